"""Benchmarks and synthetic data: a development-only Django app (label ``bench``), never installed in production.

- ``python manage.py generate_province`` builds a synthetic Quảng Ninh (``bench.synthetic``);
- ``python -m bench.quiz``, ``bench.roster`` and ``bench.stats`` are the load benchmarks run by
  ``make bench-quiz``, ``make bench-roster`` and ``make bench-stats`` (figures in ``docs/benchmarks.md``).

It is added to ``INSTALLED_APPS`` by ``learning.settings.dev`` and ``learning.settings.test`` only. It imports
the product (``learning``, ``courses``); the product never imports it.
"""
