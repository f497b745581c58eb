"""Build a synthetic Quảng Ninh on PostgreSQL for benchmarks (see ``bench.synthetic``)."""

import datetime as dt

from django.core.management.base import BaseCommand, CommandError
from django.db import connection
from django.utils import timezone

from bench import guard, synthetic


class Command(BaseCommand):
    help = (
        "Generate a synthetic province (Quảng Ninh, 22) for benchmarks: N learners with enrolments, lesson "
        "completions, quiz attempts, a campaign with targets and mandatory assignments. PostgreSQL only; "
        "locks the learner tables while it runs. Writes only to a database whose name contains 'bench', "
        "with DEBUG on (development settings)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--learners", type=int, required=True, help="How many learners (0 with --reset: remove).")
        parser.add_argument("--seed", type=int, default=1, help="The same seed gives the same province.")
        parser.add_argument(
            "--reset", action="store_true", help="Remove the previously generated synthetic data first."
        )
        parser.add_argument(
            "--batch", type=int, default=100_000, help="Learners per statement for completions and attempts."
        )
        parser.add_argument(
            "--start",
            type=dt.date.fromisoformat,
            default=synthetic.DEFAULT_START,
            help="First day of the campaign (YYYY-MM-DD); activity runs up to now.",
        )

    def handle(self, *args, learners, seed, reset, batch, start, **options):
        try:  # before anything reads or writes the database
            guard.ensure_bench_database()
        except guard.BenchRefused as exc:
            raise CommandError(str(exc)) from exc
        if not synthetic.is_postgresql():
            raise CommandError(
                f"generate_province needs PostgreSQL (set DATABASE_URL); this database is {connection.vendor}."
            )
        if not 0 <= learners <= synthetic.MAX_LEARNERS:
            raise CommandError(f"--learners must be between 0 and {synthetic.MAX_LEARNERS:,}.")
        if learners == 0 and not reset:
            raise CommandError("--learners 0 only makes sense with --reset (it removes the synthetic data).")
        if batch < 1000:
            raise CommandError("--batch must be at least 1000.")
        today = timezone.localdate()
        if (today - start).days < 7:
            raise CommandError(f"The campaign must start at least 7 days before today ({today.isoformat()}).")
        if not reset and synthetic.synthetic_exists():
            raise CommandError(
                f"Synthetic data already exists ({synthetic.synthetic_learner_count():,} learners): "
                "run again with --reset to replace it."
            )
        try:
            result = synthetic.province_generate(
                learners=learners, seed=seed, batch=batch, start=start, reset=reset, log=self.stdout.write
            )
        except synthetic.SyntheticError as exc:
            raise CommandError(str(exc)) from exc
        for table, rows in result.counts.items():
            self.stdout.write(f"  {table:<32} {rows:>12,}")
        self.stdout.write(self.style.SUCCESS(f"Done in {result.seconds:.1f} s."))
