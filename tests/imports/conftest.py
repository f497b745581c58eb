"""Spies on the reading of an .xlsx: which reader runs, how much of the sheet is unpacked."""

import zipfile

import pytest


@pytest.fixture
def no_calamine(monkeypatch):
    from learning.imports import xlsx

    def refuse(*args):
        raise AssertionError("the sheet should have been refused before the reader opened it")

    monkeypatch.setattr(xlsx, "_calamine_rows", refuse)


@pytest.fixture
def sheet_bytes_read(monkeypatch):
    """How many bytes of the sheet's XML have been unpacked."""
    read_so_far = {"bytes": 0}
    original = zipfile.ZipExtFile.read

    def counting(self, n=-1):
        data = original(self, n)
        if self.name == "xl/worksheets/sheet1.xml":
            read_so_far["bytes"] += len(data)
        return data

    monkeypatch.setattr(zipfile.ZipExtFile, "read", counting)
    return read_so_far
