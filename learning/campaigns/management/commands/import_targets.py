"""``manage.py import_targets FILE --campaign ID``: a campaign's per-commune targets from .xlsx or .csv."""

from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from learning.campaigns.models import Campaign
from learning.campaigns.targets import targets_import


class Command(BaseCommand):
    help = "Import a campaign's targets (one row per commune; see learning/campaigns/targets.py for the layout)."

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path, help="an .xlsx or .csv file")
        parser.add_argument("--campaign", type=int, required=True, help="the campaign's id")

    def handle(self, *args, file: Path, campaign: int, **options):
        found = Campaign.objects.filter(pk=campaign).first()
        if found is None:
            raise CommandError(f"No campaign with id {campaign}.")
        try:
            data = file.read_bytes()
        except OSError as exc:
            raise CommandError(f"Cannot read {file}: {exc.strerror or exc}") from None
        try:
            report = targets_import(campaign=found, data=data, filename=file.name)
        except ValidationError as exc:
            raise CommandError("Nothing imported:\n" + "\n".join(f"  {m}" for m in exc.messages)) from None
        self.stdout.write(
            self.style.SUCCESS(
                f"{found}: {report.communes} communes, {report.created} targets created, "
                f"{report.updated} updated, {report.unchanged} unchanged."
            )
        )
