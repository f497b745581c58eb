from django.core.management.base import BaseCommand

from courses.services import site_ensure


class Command(BaseCommand):
    help = "Create the home page and the course catalogue if they are missing (idempotent)."

    def handle(self, *args, **options):
        home, catalogue = site_ensure()
        self.stdout.write(f"Home: {home.url_path}  Catalogue: {catalogue.url_path}")
