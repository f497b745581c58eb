from django.core.management.base import BaseCommand

from courses.services import editors_group_ensure, site_ensure


class Command(BaseCommand):
    help = "Create the home page, the course catalogue and the editors' permissions if missing (idempotent)."

    def handle(self, *args, **options):
        home, catalogue = site_ensure()
        editors_group_ensure(catalogue)
        self.stdout.write(f"Home: {home.url_path}  Catalogue: {catalogue.url_path}")
