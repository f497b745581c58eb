"""The import contracts of .importlinter hold, and really fail when one is broken."""

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
LINT = Path(sys.executable).with_name("lint-imports")

pytestmark = pytest.mark.skipif(not LINT.exists(), reason="import-linter is not installed (make test installs it)")


def lint(where: Path) -> subprocess.CompletedProcess:
    return subprocess.run(
        [str(LINT), str(where / ".importlinter"), "--no-cache"],
        cwd=where,
        env={"PYTHONPATH": str(where), "PATH": "/usr/bin:/bin"},
        capture_output=True,
        text=True,
        timeout=300,
    )


def copy_tree(tmp_path: Path) -> Path:
    ignore = shutil.ignore_patterns("__pycache__", "*.pyc", "locale", "static", "templates", "data", "fonts")
    for package in ("learning", "courses"):
        shutil.copytree(ROOT / package, tmp_path / package, ignore=ignore)
    shutil.copy(ROOT / ".importlinter", tmp_path / ".importlinter")
    return tmp_path


def test_the_contracts_hold():
    result = lint(ROOT)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "Contracts: 2 kept, 0 broken." in result.stdout


@pytest.mark.parametrize(
    ("module", "imported", "contract"),
    [
        ("courses.models.pages", "learning.progress.selectors", "Content is a leaf"),
        ("learning.progress.services", "learning.campaigns.services", "Layers"),
        ("learning.core.text", "learning.accounts.models", "Layers"),
    ],
)
def test_a_deliberate_violation_fails(tmp_path, module, imported, contract):
    tree = copy_tree(tmp_path)
    target = tree / (module.replace(".", "/") + ".py")
    target.write_text(target.read_text() + f"\nimport {imported}  # deliberate violation\n")
    result = lint(tree)
    assert result.returncode != 0
    broken = result.stdout.split("Broken contracts")[1]
    assert contract in broken
    assert f"{module} -> {imported}" in broken
