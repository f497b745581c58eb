"""manage.py import_questions / export_questions."""

import io
import os
import subprocess
import sys
from dataclasses import replace
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.test import override_settings

from courses.models import Question, QuestionCategory
from courses.question_bank import question_to_parsed
from courses.quizformats import parse_gift

from .test_question_import import MALFORMED_GIFT, SAMPLE_GIFT

pytestmark = pytest.mark.django_db

ROOT = "Kỹ năng số/Lừa đảo trực tuyến"
REPO = Path(__file__).resolve().parents[2]


def run(*args) -> tuple[str, str]:
    out, err = io.StringIO(), io.StringIO()
    call_command(*args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


@pytest.fixture
def sample(tmp_path) -> Path:
    path = tmp_path / "lua-dao.gift"
    path.write_bytes(SAMPLE_GIFT)
    return path


def test_import_prints_skipped_questions_and_counts(sample):
    out, _err = run("import_questions", str(sample), "--category", ROOT)
    assert "Skipped question 3 “Cảm nghĩ” (line 12, type essay): essay questions are not supported" in out
    assert "3 created, 0 unchanged, 1 skipped" in out
    assert set(Question.objects.values_list("category__path", flat=True)) == {
        ROOT,
        f"{ROOT}/Tin nhắn",
        f"{ROOT}/Tin nhắn/Cuộc gọi",
    }
    out, _err = run("import_questions", str(sample), "--category", f" {ROOT.replace('/', ' / ')} ")
    assert "0 created, 3 unchanged, 1 skipped" in out
    assert Question.objects.count() == 3


def test_dry_run_stores_nothing(sample):
    out, _err = run("import_questions", str(sample), "--category", ROOT, "--dry-run")
    assert "Line 16: numerical “Số khẩn cấp” → Kỹ năng số/Lừa đảo trực tuyến/Tin nhắn/Cuộc gọi" in out
    assert "Skipped question 3 “Cảm nghĩ”" in out
    assert "Dry run: 3 questions to import" in out
    assert not Question.objects.exists() and not QuestionCategory.objects.exists()


def test_refused_file_names_file_and_line(tmp_path):
    path = tmp_path / "hong.gift"
    path.write_bytes(MALFORMED_GIFT)
    with pytest.raises(CommandError) as error:
        run("import_questions", str(path), "--category", ROOT)
    assert str(error.value) == f"{path}:7: the answer weight 150% is outside the range -100% to 100%"
    assert not Question.objects.exists() and not QuestionCategory.objects.exists()


def test_refused_moodle_xml_names_file_and_line(tmp_path):
    path = tmp_path / "hong.xml"
    path.write_text('<?xml version="1.0"?>\n<quiz>\n<question type="truefalse">\n</quiz>\n', encoding="utf-8")
    with pytest.raises(CommandError) as error:
        run("import_questions", str(path), "--category", ROOT)
    assert str(error.value).startswith(f"{path}:4: ")


def test_unknown_extension_needs_format(sample):
    other = sample.with_name("cau-hoi.docx")
    other.write_bytes(SAMPLE_GIFT)
    with pytest.raises(CommandError, match="give --format gift or --format moodle_xml"):
        run("import_questions", str(other), "--category", ROOT)
    out, _err = run("import_questions", str(other), "--category", ROOT, "--format", "gift")
    assert "3 created" in out


@override_settings(QUESTION_IMPORT_MAX_BYTES=64)
def test_oversized_file_is_refused(sample):
    with pytest.raises(CommandError) as error:
        run("import_questions", str(sample), "--category", ROOT)
    assert str(error.value) == f"{sample}: the file is larger than the limit of 64 bytes"
    assert not Question.objects.exists()


def test_missing_file_and_empty_category(tmp_path, sample):
    with pytest.raises(CommandError, match="Cannot read"):
        run("import_questions", str(tmp_path / "khong-co.gift"), "--category", ROOT)
    with pytest.raises(CommandError, match="Give the target category"):
        run("import_questions", str(sample), "--category", " / ")


def test_export_to_stdout_and_file_then_import_is_unchanged(sample, tmp_path):
    run("import_questions", str(sample), "--category", ROOT)
    out, _err = run("export_questions", "--category", f"{ROOT}/Tin nhắn")
    exported = parse_gift(out)
    stored = Question.objects.filter(category__path=f"{ROOT}/Tin nhắn").order_by("pk")
    assert [replace(q, line=0, category=None) for q in exported.questions] == [
        replace(question_to_parsed(q), line=0, category=None) for q in stored
    ]
    target = tmp_path / "xuat.gift"
    _out, err = run("export_questions", "--category", ROOT, str(target))
    assert "1 questions written" in err
    assert parse_gift(target.read_bytes()).questions[0].name == "Mã OTP"
    out, _err = run("import_questions", str(target), "--category", ROOT)
    assert "0 created, 1 unchanged, 0 skipped" in out


def test_export_of_an_unknown_category():
    with pytest.raises(CommandError, match="There is no question category “Không có”"):
        run("export_questions", "--category", "Không có")


def test_refused_file_exits_non_zero_from_the_shell(tmp_path):
    path = tmp_path / "hong.gift"
    path.write_bytes(MALFORMED_GIFT)
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "learning.settings.test", "PYTHONIOENCODING": "utf-8"}
    done = subprocess.run(
        [sys.executable, "manage.py", "import_questions", str(path), "--category", ROOT],
        cwd=REPO,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode != 0
    assert f"{path}:7: the answer weight 150%" in done.stderr
