"""Locations of the conformance corpus and of our own files, both kept in the repository."""

from pathlib import Path

import pytest

CORPUS = Path(__file__).resolve().parents[2] / "fixtures" / "quiz-formats"
FILES = Path(__file__).resolve().parent / "files"


def corpus_files(subdir: str, pattern: str) -> list[Path]:
    """Corpus files for parametrisation (tests/fixtures/quiz-formats; see its SOURCES.md)."""
    return sorted((CORPUS / subdir).glob(pattern))


@pytest.fixture
def corpus() -> Path:
    return CORPUS
