"""The test suite: SQLite unless DATABASE_URL is set, fast hashing, files in a temp dir."""

import tempfile

from .base import *  # noqa: F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
MEDIA_ROOT = tempfile.mkdtemp(prefix="bdhvs-media-")
PRIVATE_ROOT = tempfile.mkdtemp(prefix="bdhvs-private-")
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
REST_FRAMEWORK = {**REST_FRAMEWORK, "DEFAULT_THROTTLE_RATES": {"auth": "1000/minute"}}  # noqa: F405
# Benchmarks and synthetic data (generate_province); development and tests only, never in production.
INSTALLED_APPS = [*INSTALLED_APPS, "bench"]  # noqa: F405
