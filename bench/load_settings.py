"""The production settings with one addition for ``bench.load``: the URL configuration of
:mod:`bench.load_urls`, which adds a bare reference endpoint to the site's own. Used only by the gunicorn
that ``python -m bench.load`` starts on its benchmark database; nothing else differs from production."""

from learning.settings.production import *  # noqa: F403

ROOT_URLCONF = "bench.load_urls"
