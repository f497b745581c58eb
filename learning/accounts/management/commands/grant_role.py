from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from learning.accounts.models import User
from learning.accounts.phone import normalise_phone
from learning.accounts.roles import Role
from learning.accounts.services import role_grant


class Command(BaseCommand):
    help = "Give an account a role: grant_role PHONE ROLE [--scope CODE ...] (province or commune codes)."

    def add_arguments(self, parser):
        parser.add_argument("phone")
        parser.add_argument("role", choices=Role.values)
        parser.add_argument(
            "--scope", nargs="+", default=[], metavar="CODE", help="Province (2 digits) or commune (5 digits) codes."
        )

    def handle(self, *args, phone, role, scope, **options):
        try:
            user = User.objects.get(phone=normalise_phone(phone))
        except ValidationError as exc:
            raise CommandError(f"{phone}: {' '.join(exc.messages)}") from None
        except User.DoesNotExist:
            raise CommandError(f"No account has the phone number {phone}.") from None
        try:
            grants = role_grant(user=user, role=role, scope_codes=scope)
        except ValidationError as exc:
            raise CommandError(" ".join(exc.messages)) from None
        for grant in grants:
            self.stdout.write(f"{user.phone_display} ({user.full_name}): {grant}")
