"""A backup that restores: deploy/backup.sh on a database with learners, completions, quiz attempts,
certificates, daily counts, a report file and uploads; deploy/restore.sh into a fresh PostgreSQL cluster
(``initdb`` here, on a spare port); then every table holds the same rows, the sequences go on from where they
were, the site works on the copy, and the uploads and report files are back byte for byte.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
from pathlib import Path

import pytest

from tests.faults._load import SETUP as COURSE
from tests.faults.conftest import PG_BIN, ROOT, SETTINGS, Postgres, django_run

FILL = """
import datetime as dt, io, uuid
from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.images import ImageFile
from django.utils import timezone
from PIL import Image as PILImage
from wagtail.documents.models import Document
from wagtail.images.models import Image
from courses.models import CoursePage, LessonPage, QuizPage
from learning.accounts.models import User
from learning.certificates.services import certificate_issue
from learning.progress import quiz_services
from learning.progress.models import Enrolment
from learning.progress.services import enrolment_ensure, lesson_complete
from learning.stats import fill
from learning.stats.models import ReportSnapshot
from learning.stats.reports import report_generate

course = CoursePage.objects.get(pk=result["course"])
quiz = QuizPage.objects.get(pk=result["quiz"])
lessons = list(LessonPage.objects.filter(pk__in=result["lessons"]).order_by("path"))
learners = list(User.objects.filter(full_name__startswith="Học Viên").order_by("pk"))
for n, user in enumerate(learners):
    enrolment = enrolment_ensure(user=user, course=course)
    for lesson in lessons[: 1 + n % len(lessons)]:
        lesson_complete(user=user, lesson=lesson, client_id=uuid.uuid4(), time_spent_seconds=90)
    attempt = quiz_services.attempt_start(user=user, quiz=quiz, course=course).attempt
    quiz_services.attempt_submit(attempt=attempt)
    if n % 2 == 0:  # a completed course and its certificate
        Enrolment.objects.filter(pk=enrolment.pk).update(completed_at=timezone.now())
        certificate_issue(enrolment=enrolment)
fill.fill_all(restart=True)

buffer = io.BytesIO()
PILImage.new("RGB", (40, 30), (200, 30, 30)).save(buffer, "PNG")
Image.objects.create(title="Ảnh bài học", file=ImageFile(io.BytesIO(buffer.getvalue()), name="anh-bai-hoc.png"))
Document.objects.create(title="Tài liệu", file=ContentFile("Tài liệu hướng dẫn.\\n".encode(), name="tai-lieu.txt"))
today = timezone.localdate()
snapshot = ReportSnapshot.objects.create(province_id="22", kind="on_demand",
                                         period_start=today - dt.timedelta(days=6), period_end=today)
report_generate(snapshot.pk)
snapshot.refresh_from_db()
assert snapshot.status == "ready", snapshot.error
result = {"media": settings.MEDIA_ROOT, "private": settings.PRIVATE_ROOT}
"""

# Every base table of the schema: its rows, and a digest of all of them in a stable order.
TABLES = """
SELECT table_name,
       (xpath('/row/n/text()', query_to_xml(format('SELECT count(*) AS n FROM %I', table_name),
           false, true, '')))[1]::text
       || ' ' ||
       coalesce((xpath('/row/d/text()', query_to_xml(format(
           'SELECT md5(string_agg(t::text, %L ORDER BY t::text)) AS d FROM %I t', '|', table_name),
           false, true, '')))[1]::text, '-')
FROM information_schema.tables
WHERE table_schema = 'public' AND table_type = 'BASE TABLE'
ORDER BY table_name
"""
SEQUENCES = "SELECT sequencename, coalesce(last_value, 0) FROM pg_sequences WHERE schemaname = 'public' ORDER BY 1"

AFTER = """
from learning.accounts.services import user_register
from learning.certificates.models import Certificate
from learning.localities.models import Commune
from learning.progress.models import LessonCompletion, QuizAttempt
from learning.stats.models import DailyCount
user = user_register(phone="0915999999", full_name="Người Đến Sau", password="Mat-khau-2025!",
                     commune=Commune.objects.get(code="06652"), target_groups=["citizen"])
result = {
    "new_user": user.pk,
    "completions": LessonCompletion.objects.count(),
    "attempts": QuizAttempt.objects.filter(status="submitted").count(),
    "certificates": sorted(Certificate.objects.values_list("code", "holder_name")),
    "daily_rows": DailyCount.objects.count(),
}
"""


def files(root: Path) -> dict[str, str]:
    return {
        str(path.relative_to(root)): hashlib.sha256(path.read_bytes()).hexdigest()
        for path in sorted(root.rglob("*"))
        if path.is_file()
    }


def table_rows(server: Postgres, db: str) -> dict[str, str]:
    return dict(line.split("|", 1) for line in server.psql(TABLES, db=db).splitlines())


def script(name: str, *args, env: dict) -> subprocess.CompletedProcess:
    result = subprocess.run(  # noqa: S603
        ["sh", str(ROOT / "deploy" / name), *args], env=env, capture_output=True, text=True, timeout=300
    )
    assert result.returncode == 0, f"{name} exited {result.returncode}:\n{result.stdout}\n{result.stderr}"
    return result


def test_a_backup_restores_into_a_fresh_cluster(fault_postgres, tmp_path):
    if not (PG_BIN / "pg_dump").exists():
        pytest.skip(f"pg_dump is not in {PG_BIN}")
    source = fault_postgres.fresh()
    source_db = source.rsplit("/", 1)[1]
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": SETTINGS,
        "DATABASE_URL": source,
        "DATABASE_CONN_MAX_AGE": "0",
        "REDIS_URL": "",
        "CELERY_BROKER_URL": "",
        "PYTHONPATH": str(ROOT),
        "PATH": f"{PG_BIN}:{os.environ.get('PATH', '/usr/bin:/bin')}",
    }
    made = django_run(env, "LEARNERS = 6\nLESSONS = 3\n" + COURSE + FILL, timeout=300)
    media, private = Path(made["media"]), Path(made["private"])
    restored_media, restored_private = tmp_path / "restored-media", tmp_path / "restored-private"
    fresh = None
    try:
        original_files = {"media": files(media), "private": files(private)}
        assert any(name.endswith(".png") for name in original_files["media"]), original_files
        assert any(name.endswith(".xlsx") for name in original_files["private"]), original_files
        before = table_rows(fault_postgres, source_db)
        sequences = fault_postgres.psql(SEQUENCES, db=source_db)
        for table in ("accounts_user", "progress_lessoncompletion", "progress_quizattempt", "stats_dailycount"):
            assert int(before[table].split()[0]) > 0, (table, before[table])
        certificates = int(before["certificates_certificate"].split()[0])
        assert certificates >= 3

        backups = tmp_path / "backups"
        backup_env = {**env, "DJANGO_MEDIA_ROOT": str(media), "DJANGO_PRIVATE_ROOT": str(private)}
        target = Path(script("backup.sh", str(backups), env=backup_env).stdout.strip().splitlines()[-1])
        assert sorted(p.name for p in target.iterdir()) == [
            "SHA256SUMS",
            "database.dump",
            "media.tar.gz",
            "private.tar.gz",
        ]

        fresh = Postgres()  # a new cluster: initdb, nothing migrated
        fresh.start()
        url = fresh.createdb("restored")
        restore_env = {
            **env,
            "DATABASE_URL": url,
            "DJANGO_MEDIA_ROOT": str(restored_media),
            "DJANGO_PRIVATE_ROOT": str(restored_private),
        }
        script("restore.sh", str(target), env=restore_env)

        after = table_rows(fresh, "restored")
        assert after.keys() == before.keys()
        different = {table: (before[table], after[table]) for table in before if before[table] != after[table]}
        assert not different, different
        assert fresh.psql(SEQUENCES, db="restored") == sequences
        assert {"media": files(restored_media), "private": files(restored_private)} == original_files

        # A second restore into the same (now full) database is refused.
        refused = subprocess.run(  # noqa: S603
            ["sh", str(ROOT / "deploy" / "restore.sh"), str(target)], env=restore_env, capture_output=True, text=True
        )
        assert refused.returncode == 1 and "already holds" in refused.stderr, refused.stderr

        # The site works on the copy: the records are there and new ones get new ids.
        restored = django_run({**env, "DATABASE_URL": url}, AFTER)
        assert restored["completions"] == int(before["progress_lessoncompletion"].split()[0])
        assert restored["attempts"] == 6
        assert len(restored["certificates"]) == certificates
        assert restored["daily_rows"] == int(before["stats_dailycount"].split()[0])
        print(f"\nbackup of {len(before)} tables: {sum((target / n).stat().st_size for n in os.listdir(target))} bytes")
    finally:
        if fresh is not None:
            fresh.remove()
        for directory in (media, private):
            shutil.rmtree(directory, ignore_errors=True)
        fault_postgres.psql(f'DROP DATABASE IF EXISTS "{source_db}" WITH (FORCE)')


def test_a_damaged_backup_is_refused(tmp_path):
    backup = tmp_path / "20260101T000000Z"
    backup.mkdir()
    for name in ("database.dump", "media.tar.gz", "private.tar.gz"):
        (backup / name).write_bytes(b"x")
    sums = "".join(f"{hashlib.sha256(b'x').hexdigest()}  {name}\n" for name in ("database.dump", "media.tar.gz"))
    (backup / "SHA256SUMS").write_text(sums + f"{hashlib.sha256(b'x').hexdigest()}  private.tar.gz\n")
    (backup / "media.tar.gz").write_bytes(b"y")
    env = {**os.environ, "DATABASE_URL": "postgres://nobody@127.0.0.1:1/none", "DJANGO_MEDIA_ROOT": str(tmp_path)}
    result = subprocess.run(  # noqa: S603
        ["sh", str(ROOT / "deploy" / "restore.sh"), str(backup)], env=env, capture_output=True, text=True, timeout=30
    )
    assert result.returncode == 1
    assert "does not match its checksums" in result.stderr
