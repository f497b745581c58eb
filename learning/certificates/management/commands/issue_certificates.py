from django.core.management.base import BaseCommand

from learning.certificates.services import certificates_issue_missing


class Command(BaseCommand):
    help = "Issue the missing certificates of completed courses (safe to run again: nothing is issued twice)."

    def handle(self, *args, **options):
        issued, already = certificates_issue_missing()
        self.stdout.write(f"{issued} certificate(s) issued; {already} completed course(s) already had one.")
