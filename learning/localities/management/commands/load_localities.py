from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from learning.localities.services import LocalityDataError, localities_load


class Command(BaseCommand):
    help = "Load or refresh the official provinces and communes (idempotent; matches on codes)."

    def handle(self, *args, **options):
        try:
            result = localities_load()
        except LocalityDataError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(
            _("Provinces: %(pc)d created, %(pu)d updated. Communes: %(cc)d created, %(cu)d updated.")
            % {
                "pc": result.provinces_created,
                "pu": result.provinces_updated,
                "cc": result.communes_created,
                "cu": result.communes_updated,
            }
        )
