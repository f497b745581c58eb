"""Quiz start burst: "everyone starts the exam at once".

A standalone benchmark (``make bench-quiz``), not part of the test suite. It

1. prepares a dedicated PostgreSQL database (``bdhvs_bench``: dropped, recreated, migrated; the script itself
   runs the development settings, and its name must contain "bench": ``bench.guard``) with the
   localities, the site, one course with a timed final test (20 minutes, 10 questions drawn from a
   bank of 15, so every start builds its own random snapshot) and N learners with API tokens;
2. starts gunicorn with the production settings on a free port of 127.0.0.1 and waits for /healthz;
3. fires the N start requests (one per learner) from a thread pool, then has every learner answer
   three questions and submit, and checks in the database that there are exactly N attempts, all
   submitted;
4. prints starts/s, latency percentiles (nearest rank, each also as a ratio to the reference measured in the
   same run, ``bench.harness.reference``) and error counts as ``bench.harness`` tables, and
   exits non-zero when a start failed,
   the start phase took longer than the window, an answer or submit failed, or the database
   disagrees;
5. stops gunicorn and drops the bench database.

Run it with the project's virtualenv from the repository root::

    .venv/bin/python -m bench.quiz                      # prepare, run, drop
    .venv/bin/python -m bench.quiz --prepare            # only build the database
    .venv/bin/python -m bench.quiz --run --workers 4    # run again on it (repeatable)
    .venv/bin/python -m bench.quiz --drop               # remove it

All traffic goes to 127.0.0.1 only; every loop is bounded by a count and every wait by a timeout.
"""

import argparse
import concurrent.futures
import http.client
import io
import json
import os
import random
import secrets
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.parse
import uuid
from pathlib import Path

from bench import harness

REPO = harness.REPO
PHONE_PREFIX = "+8497"  # +84 97x xxx xxx: the bench learners, numbered from 0
QUIZ_SLUG = "bai-thi-tai-cho"
COURSE_SLUG = "khoa-hoc-bai-thi"
BANK_CATEGORY = "Bài thi/Kỹ năng số"
LOOPBACK = {"127.0.0.1", "localhost", "::1", "[::1]"}

# 15 questions of the graded types; the quiz draws 10 of them for every attempt.
GIFT = """
::Q01::Ai cấp tài khoản định danh điện tử VNeID? {=Bộ Công an ~Ngân hàng ~Nhà mạng điện thoại ~Ủy ban xã}

::Q02::Mật khẩu nào an toàn nhất? {=Gx7pL2vQ9z ~123456 ~ngaysinh1990 ~matkhau}

::Q03::Khi nhận tin nhắn lạ chứa đường link, bạn nên làm gì? {=Không bấm vào và xóa tin nhắn ~Bấm vào xem thử
~Gửi cho bạn bè ~Trả lời tin nhắn}

::Q04::Dịch vụ công trực tuyến quốc gia có địa chỉ nào? {=dichvucong.gov.vn ~dichvucong.com ~dvc.vn.net
~congdichvu.org}

::Q05::Mã OTP dùng để làm gì? {=Xác thực một giao dịch ~Đăng nhập mạng xã hội công khai ~Chia sẻ cho nhân viên
~Đổi tên tài khoản}

::Q06::Trí tuệ nhân tạo có thể trả lời sai không? {=Có, cần kiểm tra lại ~Không bao giờ ~Chỉ khi mất mạng
~Chỉ vào ban đêm}

::Q07::Những thông tin nào không được chia sẻ? {~%50%Mã OTP ~%50%Mật khẩu ngân hàng ~%-100%Tên của xã bạn}

::Q08::Những việc nào giúp điện thoại an toàn hơn? {~%50%Cập nhật phần mềm ~%50%Đặt mã khóa màn hình
~%-100%Cài ứng dụng từ link lạ}

::Q09::Mã OTP có thể đọc cho nhân viên ngân hàng qua điện thoại. {F}

::Q10::Nên bật xác thực hai lớp cho tài khoản quan trọng. {T}

::Q11::Mọi thông tin trên mạng xã hội đều đúng. {F}

::Q12::Thủ phủ của tỉnh Quảng Ninh là phường nào? {=Hạ Long =Phường Hạ Long}

::Q13::Ứng dụng định danh điện tử quốc gia tên là gì? {=VNeID}

::Q14::Số định danh cá nhân có bao nhiêu chữ số? {#12}

::Q15::Ghép ứng dụng với việc làm. {
  =VNeID -> Định danh điện tử
  =Ứng dụng ngân hàng -> Chuyển tiền
  =Bản đồ -> Tìm đường
}
"""


# --- settings and database ---------------------------------------------------------------------


def configure_environment(args) -> None:
    """The environment of gunicorn (production settings) and of this script (development settings) on the
    bench database; must run before Django is imported."""
    os.environ["DATABASE_URL"] = f"{args.pg.rstrip('/')}/{args.db}"
    os.environ.setdefault("DJANGO_SECRET_KEY", secrets.token_urlsafe(64))
    os.environ["DJANGO_ALLOWED_HOSTS"] = "127.0.0.1,localhost"
    os.environ["DJANGO_SECURE_SSL_REDIRECT"] = "false"
    os.environ.setdefault("DJANGO_LOG_LEVEL", "WARNING")
    os.environ.setdefault("REDIS_URL", "redis://127.0.0.1:6379/1")
    os.environ.setdefault("CELERY_BROKER_URL", "redis://127.0.0.1:6379/0")
    # The API serves no static files; an empty static root keeps WhiteNoise from warning at start-up.
    static_root = Path(
        os.environ.setdefault("DJANGO_STATIC_ROOT", str(Path(tempfile.gettempdir()) / "bdhvs-bench-static"))
    )
    static_root.mkdir(parents=True, exist_ok=True)


_django_ready = False


def django_setup() -> None:
    """Django in this process: the development settings, then the guard (exit 2 unless the database's name
    contains "bench" and DEBUG is on), before anything is written."""
    global _django_ready
    if not _django_ready:
        harness.django_setup(os.environ["DATABASE_URL"])
        _django_ready = True


def close_django_connections() -> None:
    if _django_ready:
        from django.db import connections

        connections.close_all()


# --- prepare -----------------------------------------------------------------------------------


def prepare(args) -> None:
    t0 = time.monotonic()
    print(f"prepare: recreating database {args.db}", flush=True)
    django_setup()
    harness.database_recreate(args.pg, args.db)
    from django.core.management import call_command

    quiet = io.StringIO()
    call_command("migrate", interactive=False, verbosity=0, stdout=quiet)
    call_command("load_localities", stdout=quiet)
    call_command("setup_site", stdout=quiet)
    print(f"prepare: migrated, localities and site loaded in {time.monotonic() - t0:.1f}s", flush=True)
    quiz = exam_build()
    print(f"prepare: course and quiz #{quiz.pk} ({quiz.question_count} of 15 questions, 20 min)", flush=True)
    t1 = time.monotonic()
    learners_create(args.learners)
    print(f"prepare: {args.learners} learners with tokens in {time.monotonic() - t1:.1f}s", flush=True)
    close_django_connections()
    print(f"prepare: done in {time.monotonic() - t0:.1f}s", flush=True)


def exam_build():
    from courses.models import CatalogPage, CoursePage, QuestionCategory, QuizPage
    from courses.question_bank import questions_import
    from courses.quizformats import parse_gift

    report = questions_import(parse_gift(GIFT), category_path=BANK_CATEGORY)
    if report.created != 15:
        raise SystemExit(f"the question bank should have 15 new questions, got {report.created}")
    catalogue = CatalogPage.objects.first()
    course = CoursePage(
        title="Kỹ năng số cơ bản — bài thi",
        slug=COURSE_SLUG,
        intro="<p>Khóa học có bài thi cuối khóa làm tại nhà văn hóa xã.</p>",
        topic="digital_skills",
        estimated_minutes=60,
        sequential=False,
    )
    catalogue.add_child(instance=course)
    course.save_revision().publish()
    quiz = QuizPage(
        title="Bài thi cuối khóa",
        slug=QUIZ_SLUG,
        kind="final_test",
        question_count=10,
        time_limit_minutes=20,
        pass_mark_percent=50,
        review_policy="wrong_answers",
    )
    course.add_child(instance=quiz)
    quiz.categories.set([QuestionCategory.objects.get(path=BANK_CATEGORY)])
    quiz.save_revision().publish()
    return QuizPage.objects.get(pk=quiz.pk)


def learners_create(count: int) -> None:
    """N learners in the default province's communes, one password hash, tokens made directly."""
    from django.conf import settings
    from django.contrib.auth.hashers import make_password
    from django.db import transaction
    from rest_framework.authtoken.models import Token

    from learning.accounts.models import User
    from learning.localities.models import Commune

    communes = list(
        Commune.objects.filter(province_id=settings.DEFAULT_PROVINCE_CODE).order_by("code").values_list("pk", flat=True)
    )
    if not communes:
        raise SystemExit("no communes loaded: load_localities found nothing")
    password = make_password(secrets.token_urlsafe(16))
    membership = User.target_groups.through
    with transaction.atomic():
        users = User.objects.bulk_create(
            [
                User(
                    phone=f"{PHONE_PREFIX}{i:07d}",
                    full_name=f"Học viên thử {i}",
                    commune_id=communes[i % len(communes)],
                    password=password,
                )
                for i in range(count)
            ],
            batch_size=1000,
        )
        membership.objects.bulk_create(
            [membership(user_id=u.pk, targetgroup_id="citizen") for u in users], batch_size=1000
        )
        Token.objects.bulk_create([Token(key=Token.generate_key(), user_id=u.pk) for u in users], batch_size=1000)


# --- the run -----------------------------------------------------------------------------------


def bench_state(args):
    """The quiz, and the learners' tokens (first N); new migrations applied, attempts and enrolments of
    earlier runs removed so that every run starts from the same state."""
    django_setup()
    from django.core.management import call_command
    from rest_framework.authtoken.models import Token

    from courses.models import QuizPage
    from learning.progress.models import Enrolment, QuizAttempt

    call_command("migrate", interactive=False, verbosity=0, stdout=io.StringIO())  # the code may have moved on
    quiz = QuizPage.objects.filter(slug=QUIZ_SLUG).first()
    if quiz is None:
        raise SystemExit(f"database {args.db} has no bench quiz: run with --prepare first")
    tokens = list(
        Token.objects.filter(user__phone__startswith=PHONE_PREFIX).order_by("user__phone").values_list("key", flat=True)
    )
    if len(tokens) < args.learners:
        raise SystemExit(f"database {args.db} has {len(tokens)} learners, fewer than {args.learners}: --prepare again")
    QuizAttempt.objects.filter(quiz=quiz).delete()
    Enrolment.objects.filter(course_id=quiz.get_parent().pk).delete()
    close_django_connections()
    return quiz.pk, tokens[: args.learners]


def database_check(quiz_id: int, learners: int) -> dict:
    django_setup()
    from django.db.models import Count

    from learning.progress.models import AttemptAnswer, QuizAttempt

    attempts = QuizAttempt.objects.filter(quiz_id=quiz_id)
    by_status = dict(attempts.values_list("status").annotate(n=Count("pk")).order_by())
    result = {
        "attempts": attempts.count(),
        "distinct_learners": attempts.values("user_id").distinct().count(),
        "submitted": by_status.get("submitted", 0),
        "in_progress": by_status.get("in_progress", 0),
        "answers": AttemptAnswer.objects.filter(attempt__quiz_id=quiz_id).count(),
    }
    close_django_connections()
    result["ok"] = result["attempts"] == result["distinct_learners"] == result["submitted"] == learners
    return result


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Gunicorn:
    """gunicorn with deploy/gunicorn.conf.py and the production settings, in its own process group."""

    def __init__(self, *, workers: int, threads: int, log_path: Path, settings: str = "learning.settings.production"):
        self.port = free_port()
        self.workers, self.threads, self.log_path = workers, threads, log_path
        self.settings = settings
        self.proc = None

    def start(self, timeout: float = 60.0) -> None:
        env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": self.settings,  # this script runs the dev settings
            "GUNICORN_BIND": f"127.0.0.1:{self.port}",
            "GUNICORN_WORKERS": str(self.workers),
            "GUNICORN_THREADS": str(self.threads),
        }
        self.log = self.log_path.open("wb")
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "gunicorn", "--config", "deploy/gunicorn.conf.py"],
            cwd=REPO,
            env=env,
            stdout=self.log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise SystemExit(f"gunicorn exited with {self.proc.returncode}; see {self.log_path}")
            status, _body, _t = request("127.0.0.1", self.port, "GET", "/healthz", timeout=5)
            if status == 200 and len(self.worker_pids()) >= self.workers:
                return
            time.sleep(0.5)
        raise SystemExit(f"gunicorn did not answer /healthz within {timeout:.0f}s; see {self.log_path}")

    def worker_pids(self) -> list[int]:
        if self.proc is None:
            return []
        try:
            text = Path(f"/proc/{self.proc.pid}/task/{self.proc.pid}/children").read_text()
        except OSError:
            return []
        return [int(pid) for pid in text.split()]

    def stop(self, timeout: float = 30.0) -> None:
        if self.proc is None or self.proc.poll() is not None:
            return
        self.proc.send_signal(signal.SIGTERM)
        try:
            self.proc.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            os.killpg(self.proc.pid, signal.SIGKILL)
            self.proc.wait(timeout=10)
        finally:
            self.log.close()


def request(host: str, port: int, method: str, path: str, *, token=None, body=None, timeout: float = 60.0):
    """One request on a fresh connection (as a learner's phone would make it): (status, body, seconds).
    Status 0 means the request failed before an HTTP answer (refused, reset, timed out)."""
    headers = {"Accept": "application/json", "Connection": "close"}
    if token:
        headers["Authorization"] = f"Token {token}"
    data = None
    if body is not None:
        data = json.dumps(body).encode()
        headers["Content-Type"] = "application/json"
    conn = http.client.HTTPConnection(host, port, timeout=timeout)
    started = time.perf_counter()
    try:
        conn.request(method, path, body=data, headers=headers)
        response = conn.getresponse()
        payload = response.read()
        status = response.status
    except (OSError, http.client.HTTPException) as exc:
        status, payload = 0, repr(exc).encode()
    finally:
        conn.close()
    return status, payload, time.perf_counter() - started


def answer_for(question: dict, rng: random.Random) -> dict:
    """A plausible response to a public question (right or wrong, at random)."""
    qtype = question["type"]
    if qtype == "single_choice":
        return {"choice": rng.choice(question["choices"])["id"]}
    if qtype == "multiple_choice":
        return {"choices": [c["id"] for c in rng.sample(question["choices"], k=2)]}
    if qtype == "true_false":
        return {"value": rng.random() < 0.5}
    if qtype == "short_answer":
        return {"text": rng.choice(["Hạ Long", "VNeID", "không biết"])}
    if qtype == "numerical":
        return {"value": rng.choice(["12", "9", "12,0"])}
    if qtype == "matching":
        options = [o["id"] for o in question["options"]]
        return {"pairs": {item["id"]: rng.choice(options) for item in question["items"]}}
    raise ValueError(f"unexpected question type {qtype}")


def summary(latencies: list[float], statuses: list[int], expected: int, wall: float | None = None) -> dict:
    counts = {}
    for status in statuses:
        counts[str(status)] = counts.get(str(status), 0) + 1
    out = {
        "count": len(statuses),
        "errors": sum(1 for s in statuses if s != expected),
        "statuses": counts,
        **{f"p{p}_ms": round(harness.percentile(latencies, p) * 1000, 1) for p in (50, 95, 99)},
        "max_ms": round(max(latencies, default=0) * 1000, 1),
    }
    if wall is not None:
        out["wall_s"] = round(wall, 3)
        out["per_s"] = round(len(statuses) / wall, 1) if wall else 0.0
    return out


def server_processes(args, server: Gunicorn | None, conn):
    """The processes whose CPU a phase counts, for ``harness.CpuSampler``: gunicorn (master and workers) and
    the PostgreSQL backends connected to the bench database (looked up on ``conn``, a maintenance connection)."""

    def groups() -> dict[str, list[int]]:
        gunicorn = [server.proc.pid, *server.worker_pids()] if server else []
        rows = conn.execute("SELECT pid FROM pg_stat_activity WHERE datname = %s", [args.db]).fetchall()
        return {"gunicorn": gunicorn, "postgres": [row[0] for row in rows]}

    return groups


def cpu_report(usage: harness.CpuUsage) -> dict:
    return {
        "gunicorn_workers_cpu_s": round(usage.groups.get("gunicorn", 0.0), 2),
        "postgres_backends_cpu_s": round(usage.groups.get("postgres", 0.0), 2),
        "client_cpu_s": round(usage.own, 2),
        # Whatever else ran on the (shared) machine meanwhile: other sessions, the kernel.
        "other_cpu_s": round(usage.other, 2),
        "machine_busy_percent": round(usage.busy_percent, 1),
    }


def run(args) -> dict:
    quiz_id, tokens = bench_state(args)
    server = None
    if args.url:
        url = urllib.parse.urlsplit(args.url)
        host, port = url.hostname, url.port or 80
    else:
        log_path = Path(tempfile.gettempdir()) / f"bench-quiz-gunicorn-{os.getpid()}.log"
        server = Gunicorn(workers=args.workers, threads=args.threads, log_path=log_path)
        print(f"run: gunicorn {args.workers} workers x {args.threads} threads on 127.0.0.1:{server.port}", flush=True)
        host, port = "127.0.0.1", server.port
    try:
        if server is not None:
            server.start()
        return _run_against(args, host, port, quiz_id, tokens, server)
    finally:
        if server is not None:
            server.stop()
            print(f"run: gunicorn stopped (log: {server.log_path})", flush=True)


def _run_against(args, host, port, quiz_id, tokens, server) -> dict:
    with harness.maintenance_connection(args.pg) as conn:
        return _phases(args, host, port, quiz_id, tokens, server, server_processes(args, server, conn))


def _phases(args, host, port, quiz_id, tokens, server, processes) -> dict:
    timeout = args.timeout
    pool_size = args.concurrency
    load_average = [round(x, 2) for x in os.getloadavg()]

    # Warm-up: a running site has its URLconf, translations and DB connections loaded already.
    # Read-only requests; they create nothing the checks below count.
    with concurrent.futures.ThreadPoolExecutor(max_workers=pool_size) as pool:
        warm = list(
            pool.map(
                lambda i: request(host, port, "GET", "/api/v1/me/attempts/", token=tokens[-1 - i % len(tokens)])[0],
                range(args.warmup),
            )
        )
    if args.warmup and warm.count(200) != len(warm):
        print(f"run: warm-up statuses {sorted(set(warm))}", flush=True)

    # Phase 1: every learner presses "start" once.
    start_path = f"/api/v1/quizzes/{quiz_id}/attempts/"
    print(f"run: {len(tokens)} starts, {pool_size} at a time, window {args.window}s", flush=True)
    with harness.CpuSampler(processes) as start_cpu, concurrent.futures.ThreadPoolExecutor(pool_size) as pool:
        t0 = time.perf_counter()
        starts = list(
            pool.map(lambda token: request(host, port, "POST", start_path, token=token, timeout=timeout), tokens)
        )
        start_wall = time.perf_counter() - t0
    start_stats = summary([t for _s, _b, t in starts], [s for s, _b, _t in starts], 201, start_wall)
    start_stats["cpu"] = cpu = cpu_report(start_cpu.usage)
    # The machine is shared: what one start costs in CPU, and the rate that cost allows on idle cores.
    per_start = (cpu["gunicorn_workers_cpu_s"] + cpu["postgres_backends_cpu_s"] + cpu["client_cpu_s"]) / len(tokens)
    if server is not None:  # a server started elsewhere (--url) is not measured
        start_stats["cpu_ms_per_start"] = round(per_start * 1000, 1)
        start_stats["cpu_bound_per_s"] = round((os.cpu_count() or 1) / per_start, 1) if per_start else None

    # Phase 2: every learner with an attempt answers three questions, then submits.
    def answer_and_submit(index: int):
        status, payload, _t = starts[index]
        token = tokens[index]
        try:
            attempt = json.loads(payload) if status in (200, 201) else None
        except ValueError:
            attempt = None
        if not attempt:
            return [], None
        rng = random.Random(index)
        puts = []
        for question in attempt["questions"][:3]:
            path = f"/api/v1/attempts/{attempt['id']}/answers/{question['id']}/"
            body = {"response": answer_for(question, rng), "client_id": str(uuid.uuid4())}
            puts.append(request(host, port, "PUT", path, token=token, body=body, timeout=timeout))
        submit = request(host, port, "POST", f"/api/v1/attempts/{attempt['id']}/submit/", token=token, timeout=timeout)
        return puts, submit

    with harness.CpuSampler(processes) as submit_cpu, concurrent.futures.ThreadPoolExecutor(pool_size) as pool:
        t1 = time.perf_counter()
        answered = list(pool.map(answer_and_submit, range(len(tokens))))
        submit_wall = time.perf_counter() - t1
    puts = [put for put_list, _s in answered for put in put_list]
    submits = [s for _p, s in answered if s is not None]
    answer_stats = summary([t for _s, _b, t in puts], [s for s, _b, _t in puts], 200)
    submit_stats = summary([t for _s, _b, t in submits], [s for s, _b, _t in submits], 200, submit_wall)
    submit_stats["cpu"] = cpu_report(submit_cpu.usage)
    missing = len(tokens) - len(submits)
    submit_stats["errors"] += missing  # learners whose start failed never submitted

    failures = [(s, b[:300]) for s, b, _t in [*starts, *puts, *submits] if s not in (200, 201)][:5]
    db = database_check(quiz_id, len(tokens))
    reasons = []
    if start_stats["errors"]:
        reasons.append(f"{start_stats['errors']} starts did not return 201")
    if start_wall > args.window:
        reasons.append(f"the start phase took {start_wall:.2f}s, longer than the {args.window}s window")
    if answer_stats["errors"] or submit_stats["errors"]:
        reasons.append(f"{answer_stats['errors']} answers and {submit_stats['errors']} submits failed")
    if not db["ok"]:
        reasons.append(f"the database has {db} instead of {len(tokens)} submitted attempts")
    return {
        "learners": len(tokens),
        "concurrency": pool_size,
        "window_s": args.window,
        "load_average_before": load_average,
        "server": {"workers": args.workers, "threads": args.threads} if server else {"url": args.url},
        "start": start_stats,
        "answer": answer_stats,
        "submit": submit_stats,
        "database": db,
        "sample_failures": [(s, b.decode(errors="replace")) for s, b in failures],
        "failed": reasons,
    }


def print_report(result: dict, ref: harness.Reference) -> None:
    start, answer, submit = result["start"], result["answer"], result["submit"]
    server = result["server"]
    where = f"{server['workers']} workers x {server['threads']} threads" if "workers" in server else server["url"]

    def latency(name, stats, wall=None, per_s=None):
        return [
            name,
            stats["count"],
            wall,
            per_s,
            stats["p50_ms"],
            stats["p95_ms"],
            stats["p99_ms"],
            stats["max_ms"],
            stats["errors"],
            ref.ratio_ms(stats["p50_ms"]),
            ref.ratio_ms(stats["p95_ms"]),
        ]

    notes = []
    if start.get("cpu_bound_per_s"):
        notes.append(
            f"CPU per start {start['cpu_ms_per_start']} ms (gunicorn + postgres + client): at most "
            f"~{start['cpu_bound_per_s']} starts/s if all {os.cpu_count()} cores were free for it"
        )
    notes.append(f"database: {result['database']}")
    notes += [f"failure: {status} {body}" for status, body in result["sample_failures"]]
    harness.table(
        f"Quiz start burst: {result['learners']:,} learners, concurrency {result['concurrency']}, gunicorn {where}, "
        f"window {result['window_s']} s",
        [
            "phase",
            "requests",
            "phase wall s",
            "per s",
            "p50 ms",
            "p95 ms",
            "p99 ms",
            "max ms",
            "errors",
            "p50 ÷ ref",
            "p95 ÷ ref",
        ],
        [
            latency("start", start, f"{start['wall_s']:.2f}", start["per_s"]),
            latency("answer", answer),
            latency("submit", submit),
        ],
        [
            f"answer + submit phase {submit['wall_s']:.2f} s ({submit['per_s']:.1f} learners/s; every learner answers "
            "3 questions, then submits)",
            f"start phase {start['wall_s']:.2f} s = {ref.ratio(start['wall_s'])} the reference; answer + submit "
            f"{ref.ratio(submit['wall_s'])}",
            *notes,
        ],
    )
    harness.table(
        "CPU seconds during each phase",
        ["phase", "gunicorn", "postgres", "client (this script)", "rest of the machine", "machine busy %"],
        [
            [
                phase,
                f"{cpu['gunicorn_workers_cpu_s']:.2f}",
                f"{cpu['postgres_backends_cpu_s']:.2f}",
                f"{cpu['client_cpu_s']:.2f}",
                f"{cpu['other_cpu_s']:.2f}",
                cpu["machine_busy_percent"],
            ]
            for phase, cpu in (("start", start["cpu"]), ("answer + submit", submit["cpu"]))
        ],
        ["RESULT: " + ("FAIL - " + "; ".join(result["failed"]) if result["failed"] else "OK")],
    )


def parse_args(argv=None):
    parser = argparse.ArgumentParser(
        description=__doc__.split("\n\n")[0], formatter_class=argparse.RawTextHelpFormatter
    )
    mode = parser.add_mutually_exclusive_group()
    mode.add_argument("--prepare", action="store_true", help="only (re)build the bench database, keep it")
    mode.add_argument("--run", action="store_true", help="only run against the prepared database, keep it")
    mode.add_argument("--drop", action="store_true", help="only drop the bench database")
    parser.add_argument("--url", help="an already running server on this machine (default: start gunicorn)")
    parser.add_argument("--learners", type=int, default=1000, help="attempts started, one per learner (1000)")
    parser.add_argument("--concurrency", type=int, default=50, help="requests in flight at once (50)")
    parser.add_argument("--window", type=float, default=10.0, help="seconds allowed for all starts (10)")
    parser.add_argument(
        "--workers", type=int, default=int(os.environ.get("GUNICORN_WORKERS", 4)), help="gunicorn workers (4)"
    )
    parser.add_argument(
        "--threads", type=int, default=int(os.environ.get("GUNICORN_THREADS", 4)), help="threads per worker (4)"
    )
    parser.add_argument("--warmup", type=int, default=40, help="read-only requests before the burst (40)")
    parser.add_argument("--timeout", type=float, default=60.0, help="seconds one request may take (60)")
    parser.add_argument(
        "--pg", default=os.environ.get("BENCH_PG_URL", "postgres://postgres@127.0.0.1:5432"), help="PostgreSQL server"
    )
    parser.add_argument(
        "--db",
        default=os.environ.get("BENCH_DB", "bdhvs_bench"),
        type=harness.database_name_arg,
        help="bench database, dropped! (its name must contain 'bench')",
    )
    parser.add_argument("--keep-db", action="store_true", help="keep the database after a full run")
    parser.add_argument("--json", type=Path, help="also write the figures to this file")
    args = parser.parse_args(argv)
    if args.url:
        url = urllib.parse.urlsplit(args.url)
        if url.scheme != "http" or url.hostname not in LOOPBACK:
            parser.error("--url must be a plain http:// address on this machine (127.0.0.1, localhost, [::1])")
    pg_host = urllib.parse.urlsplit(args.pg).hostname
    if pg_host not in LOOPBACK:
        parser.error("--pg must be a PostgreSQL server on this machine")
    if not (1 <= args.learners <= 100_000 and 1 <= args.concurrency <= 1000):
        parser.error("--learners must be 1..100000 and --concurrency 1..1000")
    return args


def main(argv=None) -> int:
    args = parse_args(argv)
    configure_environment(args)
    os.chdir(REPO)
    django_setup()  # refused (exit 2) before anything is written unless a bench database, DEBUG on
    if args.drop:
        harness.database_drop(args.pg, args.db)
        print(f"dropped {args.db}")
        return 0
    if args.prepare:
        prepare(args)
        return 0
    print(harness.machine(harness.postgres_version(args.pg)), flush=True)
    ref = harness.reference(args.pg)
    print(ref.line(), flush=True)
    full = not args.run
    try:
        if full:
            prepare(args)
        result = run(args)
    finally:
        if full and not args.keep_db:
            harness.database_drop(args.pg, args.db)
            print(f"dropped {args.db}", flush=True)
    ref.again()
    print_report(result, ref)
    ref.report()
    result["reference_ms"] = {
        "cpu_loop": round(ref.seconds * 1000, 1),
        "postgres_query": round(ref.pg_seconds * 1000, 1),
    }
    if args.json:
        args.json.write_text(json.dumps(result, indent=2, ensure_ascii=False))
    return 1 if result["failed"] else 0


if __name__ == "__main__":
    sys.exit(main())
