from pathlib import Path

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management.base import BaseCommand, CommandError

from learning.accounts.models import User
from learning.accounts.phone import normalise_phone
from learning.campaigns.roster_models import RowOutcome
from learning.campaigns.rosters import max_bytes, roster_import, roster_preview, roster_rows, roster_start


class Command(BaseCommand):
    help = (
        "Preview and import a roster (.xlsx or .csv) as an organiser: import_roster FILE --organiser PHONE "
        "[--dry-run]. Prints every row's outcome; with --dry-run nothing is imported."
    )

    def add_arguments(self, parser):
        parser.add_argument("file")
        parser.add_argument("--organiser", required=True, metavar="PHONE", help="The organiser whose scope applies.")
        parser.add_argument("--dry-run", action="store_true", help="Only show the preview; import nothing.")

    def handle(self, *args, file, organiser, dry_run, **options):
        try:
            user = User.objects.get(phone=normalise_phone(organiser))
        except ValidationError as exc:
            raise CommandError(f"--organiser {organiser}: {' '.join(exc.messages)}") from None
        except User.DoesNotExist:
            raise CommandError(f"No account has the phone number {organiser}.") from None
        path = Path(file)
        if not path.is_file():
            raise CommandError(f"{file}: no such file.")
        if path.stat().st_size > max_bytes():
            raise CommandError(f"{file}: the file is larger than the limit of {max_bytes()} bytes.")
        try:
            roster = roster_preview(organiser=user, content=path.read_bytes(), filename=path.name)
        except PermissionDenied as exc:
            raise CommandError(str(exc)) from None
        except ValidationError as exc:
            raise CommandError(f"{path.name}: {' '.join(exc.messages)}") from None
        labels = dict(RowOutcome.choices)
        for row in roster_rows(roster=roster).iterator(chunk_size=5000):
            detail = row.reason if row.outcome == RowOutcome.ERROR else f"{row.phone} {row.full_name}"
            if row.changes:
                detail += f" ({row.changes})"
            self.stdout.write(f"{row.row_number}\t{row.outcome}\t{labels[row.outcome]}: {detail}")
        self.stdout.write(
            f"Roster {roster.pk}: {roster.total_rows} rows — {roster.new_rows} new, {roster.update_rows} update, "
            f"{roster.unchanged_rows} unchanged, {roster.error_rows} error."
        )
        if dry_run:
            self.stdout.write("Dry run: nothing imported.")
            return
        if not roster.valid_rows:
            raise CommandError("No valid rows to import.")
        roster, _start = roster_start(roster=roster)
        roster = roster_import(roster=roster)
        self.stdout.write(
            self.style.SUCCESS(
                f"Imported roster {roster.pk}: {roster.processed} rows processed, {roster.created_count} accounts "
                f"created, {roster.error_rows} rows with errors."
            )
        )
