"""Private files: kept under ``PRIVATE_ROOT`` (``DJANGO_PRIVATE_ROOT``), outside ``MEDIA_ROOT``, with no URL.

Nothing serves this folder: a private file reaches a browser only through a view that checks who asks
(``FileResponse``), e.g. the report downloads. Names carry a random token (``private_name``), so knowing
one file's name tells nothing about another's."""

from __future__ import annotations

import posixpath
import secrets

from django.conf import settings
from django.core.files.storage import FileSystemStorage, storages


class PrivateStorage(FileSystemStorage):
    """A folder outside the web root: ``location`` defaults to ``settings.PRIVATE_ROOT``; ``url()`` refuses."""

    def __init__(self, location=None, **kwargs):
        kwargs.pop("base_url", None)
        super().__init__(location=location or settings.PRIVATE_ROOT, base_url=None, **kwargs)

    def url(self, name):
        raise ValueError("A private file has no URL: serve it through a view that checks permissions.")


def private_storage():
    """The ``"private"`` entry of ``STORAGES`` (a callable, so that settings overridden in tests apply)."""
    return storages["private"]


def private_name(folder: str, filename: str) -> str:
    """``folder/<random token>/filename``: a name nobody can guess, keeping the file's own name for downloads."""
    return posixpath.join(folder, secrets.token_urlsafe(18), posixpath.basename(filename))
