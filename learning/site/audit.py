"""Logs every successful view of other people's personal data by an organiser (``PersonalDataAccess``): the
people lists, person pages and exports of the statistics pages and the API, and a roster's error file."""

from __future__ import annotations

from .models import PersonalDataAccess

# view name → (what, the URL argument that names the scope)
WATCHED = {
    "stats:people": (PersonalDataAccess.What.PEOPLE_LIST, "code"),
    "stats:person": (PersonalDataAccess.What.PERSON, "user_id"),
    "api:stats_commune_people": (PersonalDataAccess.What.PEOPLE_LIST, "code"),
    "campaigns:roster_errors": (PersonalDataAccess.What.EXPORT, "roster_id"),
}


class PersonalDataAccessMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        match = getattr(request, "resolver_match", None)
        if match is None or match.view_name not in WATCHED or response.status_code != 200:
            return response
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated:
            return response
        what, argument = WATCHED[match.view_name]
        if request.GET.get("format") == "csv":
            what = PersonalDataAccess.What.EXPORT
        PersonalDataAccess.objects.create(
            user=user,
            who=f"{user.full_name} ({user.phone})"[:200],
            what=what,
            scope=str(match.kwargs.get(argument, ""))[:100],
            path=request.get_full_path()[:500],
        )
        return response
