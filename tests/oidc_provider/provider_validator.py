from django.conf import settings
from oauth2_provider.oauth2_validators import OAuth2Validator


class PhoneClaimsValidator(OAuth2Validator):
    """Each person's name and phone claims, as the configuration file gives them."""

    def get_additional_claims(self, request):
        person = settings.PEOPLE[request.user.username]
        claims = {"sub": person.get("sub") or f"citizen-{person['username']}", "name": person["name"]}
        if person.get("phone_number"):
            claims["phone_number"] = person["phone_number"]
            claims["phone_number_verified"] = bool(person.get("phone_number_verified"))
        return claims
