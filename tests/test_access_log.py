"""The access log of personal data: every organiser view of a people list, a person page or an export — the
statistics pages and API, rosters, mandatory-module people, certificates — records who, when, what and scope
(each view calls ``learning.audit.services.personal_data_viewed``); refused requests are not recorded;
administrators read the log, nobody edits it."""

from django.test import Client

from learning.accounts.services import role_grant
from learning.audit.models import PersonalDataAccess

COMMUNE = "06688"


def test_organiser_views_of_people_are_logged(client, make_user, api):
    person = make_user(commune=COMMUNE, full_name="Trần Văn An")
    organiser = make_user(commune=COMMUNE, groups=("official",), full_name="Tổ chức Xã")
    role_grant(user=organiser, role="commune_organiser", scope_codes=[COMMUNE])
    client.force_login(organiser)
    assert client.get(f"/organiser/stats/communes/{COMMUNE}/people/").status_code == 200
    assert client.get(f"/organiser/stats/communes/{COMMUNE}/people/", {"format": "csv"}).status_code == 200
    assert client.get(f"/organiser/stats/people/{person.pk}/").status_code == 200
    api.force_authenticate(organiser)
    assert api.get(f"/api/v1/stats/communes/{COMMUNE}/people/").status_code == 200
    assert client.get("/organiser/stats/communes/00004/people/").status_code == 403  # refused: not logged
    log = list(PersonalDataAccess.objects.order_by("pk").values_list("user", "what", "scope"))
    assert log == [
        (organiser.pk, "people_list", COMMUNE),
        (organiser.pk, "export", COMMUNE),
        (organiser.pk, "person", str(person.pk)),
        (organiser.pk, "people_list", COMMUNE),
    ]
    entry = PersonalDataAccess.objects.filter(what="export").get()
    assert entry.who == f"Tổ chức Xã ({organiser.phone})" and "format=csv" in entry.path and entry.at


def test_administrators_read_the_log_and_nobody_edits_it(make_user):
    learner = make_user()
    entry = PersonalDataAccess.objects.create(user=learner, who="X", what="person", scope="1", path="/p/")
    admin = make_user(phone="0913999999")
    admin.is_staff = admin.is_superuser = True
    admin.save()
    browser = Client(HTTP_ACCEPT_LANGUAGE="en")
    assert browser.get("/django-admin/audit/personaldataaccess/").status_code == 302  # sign-in first
    browser.force_login(learner)
    assert browser.get("/django-admin/audit/personaldataaccess/").status_code == 302
    browser.force_login(admin)
    listing = browser.get("/django-admin/audit/personaldataaccess/")
    assert listing.status_code == 200 and "/p/" in listing.content.decode()
    assert browser.get(f"/django-admin/audit/personaldataaccess/{entry.pk}/delete/").status_code == 403
    assert browser.get("/django-admin/audit/personaldataaccess/add/").status_code == 403


def test_rosters_mandatory_modules_and_certificates_are_logged_too(client, make_user, api):
    from learning.campaigns.roster_models import Roster

    organiser = make_user(commune=COMMUNE, groups=("official",), full_name="Tổ chức Xã")
    role_grant(user=organiser, role="commune_organiser", scope_codes=[COMMUNE])
    other = make_user(commune="00004", groups=("official",), full_name="Tổ chức Hà Nội")
    role_grant(user=other, role="commune_organiser", scope_codes=["00004"])
    roster = Roster.objects.create(organiser=organiser, filename="ds.csv", status="previewed")
    client.force_login(organiser)
    assert client.get(f"/organiser/rosters/{roster.pk}/").status_code == 200
    assert client.get(f"/organiser/rosters/{roster.pk}/errors.csv").status_code == 200
    assert client.get("/organiser/certificates/", {"commune": COMMUNE}).status_code == 200
    api.force_authenticate(organiser)
    assert api.get(f"/api/v1/organiser/rosters/{roster.pk}/rows/").status_code == 200
    assert api.get("/api/v1/organiser/assignments/", {"commune": COMMUNE}).status_code == 200
    api.force_authenticate(other)
    assert api.get(f"/api/v1/organiser/rosters/{roster.pk}/rows/").status_code == 404  # not theirs: not logged
    assert api.get("/api/v1/organiser/assignments/", {"commune": COMMUNE}).status_code == 403
    log = list(PersonalDataAccess.objects.order_by("pk").values_list("user", "what", "scope"))
    assert log == [
        (organiser.pk, "people_list", f"roster:{roster.pk}"),
        (organiser.pk, "export", f"roster:{roster.pk}"),
        (organiser.pk, "people_list", COMMUNE),
        (organiser.pk, "people_list", f"roster:{roster.pk}"),
        (organiser.pk, "people_list", COMMUNE),
    ]


def test_a_learner_reading_their_own_data_is_not_logged(client, make_user):
    me = make_user()
    client.force_login(me)
    assert client.get("/accounts/my-data/").status_code == 200
    assert client.get("/accounts/my-data/download/").status_code == 200
    assert not PersonalDataAccess.objects.exists()
