"""Locations of the shared conformance corpus (beside the repository) and of our own files."""

from pathlib import Path

import pytest

CORPUS = Path(__file__).resolve().parents[3].parent / "shared" / "fixtures" / "quiz-formats"
FILES = Path(__file__).resolve().parent / "files"


def corpus_files(subdir: str, pattern: str) -> list[Path]:
    """Corpus files for parametrisation; empty when the corpus is absent (tests then skip)."""
    folder = CORPUS / subdir
    return sorted(folder.glob(pattern)) if folder.is_dir() else []


def require_corpus() -> Path:
    if not CORPUS.is_dir():
        pytest.skip(f"conformance corpus not found at {CORPUS}")
    return CORPUS


@pytest.fixture
def corpus() -> Path:
    return require_corpus()
