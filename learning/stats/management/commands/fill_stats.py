import time

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from learning.stats import fill


class Command(BaseCommand):
    help = _(
        "Recompute the statistics (daily counts per commune, course and target group) from the learner records. "
        "Resumes an interrupted run; --restart starts again from the first day."
    )

    def add_arguments(self, parser):
        parser.add_argument("--restart", action="store_true", help=_("Start from the first day, not where it stopped."))
        parser.add_argument("--chunk-days", type=int, default=31, help=_("Days recomputed per transaction."))

    def handle(self, *args, restart, chunk_days, **options):
        if not 1 <= chunk_days <= 366:
            raise CommandError(_("--chunk-days must be between 1 and 366."))
        started = time.monotonic()

        def progress(first, last, rows, state):
            done = (last - state.first_day).days + 1
            total = (state.last_day - state.first_day).days + 1
            self.stdout.write(
                _("%(first)s – %(last)s: %(rows)s rows (%(percent)s %%, %(seconds).0f s)")
                % {
                    "first": first,
                    "last": last,
                    "rows": rows,
                    "percent": 100 * done // total,
                    "seconds": time.monotonic() - started,
                }
            )

        state = fill.fill_all(chunk_days=chunk_days, restart=restart, progress=progress)
        self.stdout.write(
            self.style.SUCCESS(
                _("Statistics recomputed from %(first)s to %(last)s in %(seconds).1f s.")
                % {"first": state.first_day, "last": state.last_day, "seconds": time.monotonic() - started}
            )
        )
