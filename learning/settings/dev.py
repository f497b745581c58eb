"""Local development: debug on, everything else from base's embedded defaults."""

from .base import *  # noqa: F403
from .base import env

DEBUG = env.bool("DJANGO_DEBUG", default=True)
# Benchmarks and synthetic data (generate_province); development and tests only, never in production.
INSTALLED_APPS = [*INSTALLED_APPS, "bench"]  # noqa: F405
