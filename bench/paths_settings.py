"""The production settings with one addition for ``bench.paths``: the URL configuration of
:mod:`bench.paths_urls`, which adds the two bare reference endpoints to the site's own. Used only by the
measuring process and the gunicorn that ``python -m bench.paths`` starts on its benchmark database."""

from learning.settings.production import *  # noqa: F403

ROOT_URLCONF = "bench.paths_urls"
