"""Queue the statements of records made since a day, for the enabled LRSs (or one of them): for an LRS
configured after the records were made. Running it twice writes nothing twice (ids come from the records)."""

from datetime import date

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from learning.xapi.models import Lrs
from learning.xapi.services import backfill


class Command(BaseCommand):
    help = "Queue xAPI statements for records made since --since (YYYY-MM-DD); safe to repeat."

    def add_arguments(self, parser):
        parser.add_argument("--since", required=True, help="YYYY-MM-DD, the site's day")
        parser.add_argument("--lrs", help="the name of one LRS (default: every enabled LRS)")

    def handle(self, *args, since, lrs=None, **options):
        try:
            day = date.fromisoformat(since)
        except ValueError:
            raise CommandError(_("--since must be a date written YYYY-MM-DD.")) from None
        targets = Lrs.objects.filter(enabled=True)
        if lrs:
            targets = targets.filter(name=lrs)
        ids = list(targets.values_list("pk", flat=True))
        if not ids:
            raise CommandError(_("No enabled LRS to queue statements for."))
        counts = backfill(since=day, lrs_ids=ids)
        for name, count in counts.items():
            self.stdout.write(f"{name}: {count}")
        self.stdout.write(_("%(n)d statements queued (those already queued were left as they were).")
                          % {"n": sum(counts.values())})  # fmt: skip
