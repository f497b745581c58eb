"""Sign-in with an OpenID Connect provider, against a real one: django-oauth-toolkit (tests/oidc_provider)
started on a spare 127.0.0.1 port with its own SQLite file and a new RS256 key, PKCE required. The site
runs in the Django test client; the browser's visits to the provider and the site's own requests to it
(discovery, token, JWKS, userinfo) are real HTTP.

Without the provider these tests are skipped, unless OIDC_REQUIRED=1 (CI), when they fail."""

import base64
import json
import logging
import os
import re
import socket
import subprocess
import sys
import threading
import time
from html.parser import HTMLParser
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import jwt
import pytest
import requests
from cryptography.hazmat.primitives.asymmetric import rsa
from django.utils import translation

from learning.accounts.consent_models import Consent, ConsentSource
from learning.accounts.models import ExternalIdentity, User
from learning.accounts.services import consent_record, user_erase
from tests.conftest import PASSWORD

SERVE = Path(__file__).resolve().parents[1] / "oidc_provider" / "serve.py"
CLIENT_ID = "binh-dan-hoc-vu-so"
CLIENT_SECRET = "client-secret-for-tests-only"
CALLBACK = "http://testserver/accounts/oidc/callback/"
PEOPLE = [
    # the provider proves the number of an account of the site
    {"username": "an", "name": "Nguyễn Văn An", "phone_number": "+84912345601", "phone_number_verified": True},
    # no phone at all
    {"username": "binh", "name": "Trần Thị Bình"},
    # a number the provider does not vouch for: the account of that number must not be handed over
    {"username": "chi", "name": "Lê Văn Chi", "phone_number": "0912 345 601", "phone_number_verified": False},
    # a proven number someone else signed up with and never proved
    {"username": "dung", "name": "Phạm Thị Dung", "phone_number": "0912345604", "phone_number_verified": True},
    # a proven number new to the site
    {"username": "em", "name": "Hoàng Văn Em", "phone_number": "0912.345.605", "phone_number_verified": True},
]
PROVIDER_PASSWORD = "provider-password-2026"


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _missing(reason: str):
    if os.environ.get("OIDC_REQUIRED") == "1":
        pytest.fail(f"the OpenID Connect provider is required (OIDC_REQUIRED=1): {reason}")
    pytest.skip(reason)


@pytest.fixture(scope="module")
def provider(tmp_path_factory):
    """The test provider, started once for this module's tests and stopped after them."""
    try:
        import oauth2_provider  # noqa: F401, PLC0415
    except ImportError:
        _missing("django-oauth-toolkit is not installed (requirements/dev.txt)")
    folder = tmp_path_factory.mktemp("oidc_provider")
    port = _free_port()
    config = {
        "port": port,
        "dir": str(folder),
        "client_id": CLIENT_ID,
        "client_secret": CLIENT_SECRET,
        "redirect_uri": CALLBACK,
        "users": [{**person, "password": PROVIDER_PASSWORD} for person in PEOPLE],
    }
    (folder / "config.json").write_text(json.dumps(config))
    log = (folder / "provider.log").open("w")
    process = subprocess.Popen(
        [sys.executable, str(SERVE), str(folder / "config.json")],
        stdout=log,
        stderr=subprocess.STDOUT,
        cwd=SERVE.parent,
    )
    issuer = f"http://127.0.0.1:{port}/o"
    try:
        for _ in range(120):
            if process.poll() is not None:
                break
            try:
                if requests.get(issuer + "/.well-known/openid-configuration", timeout=2).ok:
                    break
            except requests.ConnectionError:
                pass
            time.sleep(0.5)
        else:
            _missing("the provider did not answer within 60 s")
        if process.poll() is not None:
            _missing("the provider exited: " + (folder / "provider.log").read_text()[-2000:])
        yield {"issuer": issuer, "port": port}
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        log.close()


@pytest.fixture
def configured(settings):
    """The site configured for a provider (endpoints set per test)."""
    settings.OIDC_RP_CLIENT_ID = CLIENT_ID
    settings.OIDC_RP_CLIENT_SECRET = CLIENT_SECRET
    settings.OIDC_PROVIDER_NAME = "VNeID"
    return settings


@pytest.fixture
def oidc(configured, provider):
    configured.OIDC_ISSUER = provider["issuer"]
    return configured


class _Form(HTMLParser):
    """The first form of a page: its action and its fields' values."""

    def __init__(self):
        super().__init__()
        self.action, self.fields, self.done = None, {}, False

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if self.done:
            return
        if tag == "form" and self.action is None:
            self.action = attrs.get("action") or ""
        elif tag == "input" and attrs.get("name") and attrs.get("type") != "submit":
            self.fields[attrs["name"]] = attrs.get("value") or ""

    def handle_endtag(self, tag):
        if tag == "form":
            self.done = True


def _form(html: str) -> dict:
    parser = _Form()
    parser.feed(html)
    return parser.fields


def start(client, next_url: str = "") -> str:
    """The site sends the browser to the provider; returns the provider's authorization URL."""
    response = client.get("/accounts/oidc/login/" + (f"?next={next_url}" if next_url else ""))
    assert response.status_code == 302, response.content[:500]
    return response["Location"]


def at_provider(authorize_url: str, username: str) -> str:
    """A person signs in at the provider and allows the site; returns the site's callback URL (path and
    query) the provider sends the browser back to."""
    browser = requests.Session()
    response = browser.get(authorize_url, allow_redirects=True, timeout=10)
    assert "/accounts/login/" in response.url, response.text[:500]
    fields = _form(response.text)
    fields.update(username=username, password=PROVIDER_PASSWORD)
    response = browser.post(response.url, data=fields, allow_redirects=True, timeout=10)
    assert "authorizationForm" in response.text, response.text[:1000]
    fields = _form(response.text)
    fields["allow"] = "Authorize"
    response = browser.post(response.url, data=fields, allow_redirects=False, timeout=10)
    assert response.status_code == 302, response.text[:1000]
    location = response.headers["Location"]
    assert location.startswith(CALLBACK), location
    return location.removeprefix("http://testserver")


def sign_in(client, username: str, next_url: str = ""):
    return client.get(at_provider(start(client, next_url), username))


def signed_in_as(client) -> int | None:
    value = client.session.get("_auth_user_id")
    return int(value) if value else None


def _state(callback: str) -> str:
    return parse_qs(urlsplit(callback).query)["state"][0]


# --- the button ------------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_no_button_and_no_pages_when_not_configured(client):
    for path in ("/accounts/login/", "/accounts/signup/"):
        page = client.get(path).content.decode()
        assert "data-oidc-signin" not in page
    assert client.get("/accounts/oidc/login/").status_code == 404
    assert client.get("/accounts/oidc/callback/?code=x&state=y").status_code == 404


@pytest.mark.django_db
def test_button_on_sign_in_and_sign_up_in_vietnamese(configured, vi_client):
    configured.OIDC_ISSUER = "http://127.0.0.1:9/o"
    for path in ("/accounts/login/?next=/courses/", "/accounts/signup/"):
        page = vi_client.get(path).content.decode()
        assert re.search(r'<a class="button secondary" href="/accounts/oidc/login/[^"]*" data-oidc-signin>', page)
        assert "Đăng nhập bằng VNeID" in page
    assert "/accounts/oidc/login/?next=/courses/" in vi_client.get("/accounts/login/?next=/courses/").content.decode()


# --- the flow --------------------------------------------------------------------------------------------


def test_pkce_state_and_nonce_are_sent(oidc, client, db):
    query = parse_qs(urlsplit(start(client)).query)
    assert query["code_challenge_method"] == ["S256"]
    assert len(query["code_challenge"][0]) == 43  # base64url of a SHA-256
    assert query["response_type"] == ["code"] and query["client_id"] == [CLIENT_ID]
    assert query["scope"] == ["openid profile phone"]
    kept = client.session["oidc_states"][query["state"][0]]
    assert kept["nonce"] == query["nonce"][0] and len(kept["code_verifier"]) >= 43


def test_a_proven_phone_links_the_existing_account(oidc, client, make_user):
    an = make_user(phone="0912 345 601")
    consent_record(user=an, source=ConsentSource.SIGNUP)
    response = sign_in(client, "an", next_url="/courses/")
    assert response.status_code == 302 and response["Location"] == "/courses/"
    assert signed_in_as(client) == an.pk
    identity = ExternalIdentity.objects.get(user=an)
    assert identity.issuer == oidc.OIDC_ISSUER and identity.subject == "citizen-an" and identity.phone_proven
    an.refresh_from_db()
    assert an.check_password(PASSWORD)  # the password still signs in too
    assert User.objects.count() == 1


def test_an_account_linked_by_a_proven_phone_counts_as_verified(oidc, client, db):
    # made from a roster and not activated yet: no password, phone not proven
    made = User.objects.create_user("0912 345 601", full_name="Nguyễn Văn An", phone_verified_at=None)
    response = sign_in(client, "an")
    assert signed_in_as(client) == made.pk
    assert response["Location"].startswith("/accounts/oidc/complete/")  # no commune, groups or consent yet
    made.refresh_from_db()
    assert made.phone_verified_at is not None


def test_later_sign_ins_match_by_issuer_and_subject(oidc, client, make_user):
    an = make_user(phone="0912 345 601")
    consent_record(user=an, source=ConsentSource.SIGNUP)
    assert sign_in(client, "an").status_code == 302
    User.objects.filter(pk=an.pk).update(phone="+84912999999")  # the number changed on the site
    client.logout()
    response = sign_in(client, "an")
    assert response.status_code == 302 and signed_in_as(client) == an.pk
    assert ExternalIdentity.objects.filter(subject="citizen-an").count() == 1
    assert User.objects.count() == 1


def test_an_unproven_number_makes_a_new_account_that_is_asked_commune_and_groups(oidc, client, make_user):
    owner = make_user(phone="0912 345 601")
    response = sign_in(client, "chi", next_url="/courses/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/oidc/complete/?")
    chi = User.objects.get(pk=signed_in_as(client))
    assert chi.pk != owner.pk  # a number the provider does not vouch for hands over nobody's account
    assert chi.full_name == "Lê Văn Chi" and not chi.has_usable_password()
    assert chi.phone.startswith("+841") and chi.phone_verified_at is None
    assert ExternalIdentity.objects.get(user=chi).subject == "citizen-chi"

    page = client.get(response["Location"])
    assert page.status_code == 200
    html = page.content.decode()
    assert 'name="commune"' in html and 'name="target_groups"' in html and 'name="consent"' in html

    refused = client.post(response["Location"], {"full_name": "Lê Văn Chi", "province": "22", "commune": "06688"})
    assert refused.status_code == 200 and not Consent.objects.filter(user=chi).exists()
    done = client.post(
        response["Location"],
        {
            "full_name": "Lê Văn Chi",
            "province": "22",
            "commune": "06688",
            "target_groups": ["citizen"],
            "consent": "on",
        },
    )
    assert done.status_code == 302 and done["Location"] == "/courses/"
    chi.refresh_from_db()
    assert chi.commune_id == "06688" and list(chi.target_groups.values_list("code", flat=True)) == ["citizen"]
    assert Consent.objects.get(user=chi).source == ConsentSource.OIDC
    client.logout()
    assert sign_in(client, "chi")["Location"] == "/learning/"  # complete now: straight on


def test_no_phone_makes_an_account_with_a_placeholder_number(oidc, client, db):
    assert sign_in(client, "binh").status_code == 302
    binh = User.objects.get(pk=signed_in_as(client))
    assert binh.phone == f"+841{binh.pk:08d}" and binh.phone_verified_at is None
    assert binh.phone_display == "none" and not binh.phone_unproven  # no number to show, none to prove


def test_a_proven_new_number_makes_a_verified_account(oidc, client, db):
    response = sign_in(client, "em")
    assert response["Location"].startswith("/accounts/oidc/complete/")
    em = User.objects.get(pk=signed_in_as(client))
    assert em.phone == "+84912345605" and em.phone_verified_at is not None


def test_a_proven_number_takes_back_an_account_someone_made_without_proving_it(oidc, client, make_user):
    squatter = make_user(phone="0912 345 604", verified=False, full_name="Kẻ Mạo Danh")
    sign_in(client, "dung")
    assert signed_in_as(client) == squatter.pk
    squatter.refresh_from_db()
    assert not squatter.has_usable_password()  # whoever typed the number cannot sign in any more
    assert squatter.full_name == "Phạm Thị Dung" and squatter.phone_verified_at is not None


# --- refused ---------------------------------------------------------------------------------------------


def _refused(response, client):
    assert response.status_code == 400
    assert "could not be confirmed" in response.content.decode()
    assert signed_in_as(client) is None


def test_a_state_this_browser_did_not_start_is_refused(oidc, client, db):
    callback = at_provider(start(client), "binh")
    forged = callback.replace(_state(callback), "x" * 32)
    _refused(client.get(forged), client)
    assert not User.objects.exists()


def test_a_callback_used_twice_is_refused(oidc, client, db):
    callback = at_provider(start(client), "binh")
    assert client.get(callback).status_code == 302
    client.logout()
    _refused(client.get(callback), client)


def test_a_sign_in_cancelled_at_the_provider_signs_nobody_in(oidc, client, db):
    state = parse_qs(urlsplit(start(client)).query)["state"][0]
    response = client.get(f"/accounts/oidc/callback/?error=access_denied&state={state}")
    assert response.status_code == 400 and "cancelled or refused" in response.content.decode()
    assert signed_in_as(client) is None and state not in client.session["oidc_states"]


def test_a_token_with_another_nonce_is_refused(oidc, client, db):
    callback = at_provider(start(client), "binh")
    session = client.session
    session["oidc_states"][_state(callback)]["nonce"] = "nonce-of-an-earlier-sign-in"
    session.save()
    _refused(client.get(callback), client)
    assert not User.objects.exists()


def test_a_wrong_pkce_verifier_is_refused_by_the_provider(oidc, client, db):
    callback = at_provider(start(client), "binh")
    session = client.session
    session["oidc_states"][_state(callback)]["code_verifier"] = "v" * 64
    session.save()
    _refused(client.get(callback), client)


def _flip_signature(token: str) -> str:
    head, body, signature = token.split(".")
    raw = bytearray(base64.urlsafe_b64decode(signature + "=" * (-len(signature) % 4)))
    raw[10] ^= 0x01
    return f"{head}.{body}." + base64.urlsafe_b64encode(bytes(raw)).rstrip(b"=").decode()


def _other_key(token: str) -> str:
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    header = jwt.get_unverified_header(token)
    claims = jwt.decode(token, options={"verify_signature": False})
    return jwt.encode(claims, key, algorithm="RS256", headers={"kid": header["kid"]})


@pytest.fixture
def tampering_token_endpoint(provider):
    """A man in the middle of the token endpoint that changes the ID token with ``change``."""
    real = f"{provider['issuer']}/token/"
    box = {"change": None}

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self):
            body = self.rfile.read(int(self.headers["Content-Length"]))
            headers = {"Content-Type": self.headers["Content-Type"]}
            if self.headers.get("Authorization"):
                headers["Authorization"] = self.headers["Authorization"]
            answer = requests.post(real, data=body, headers=headers, timeout=10)
            data = answer.json()
            if "id_token" in data:
                data["id_token"] = box["change"](data["id_token"])
            out = json.dumps(data).encode()
            self.send_response(answer.status_code)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(out)))
            self.end_headers()
            self.wfile.write(out)

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}/token/", box
    server.shutdown()
    server.server_close()


@pytest.mark.parametrize("change", [_flip_signature, _other_key], ids=["flipped-signature", "another-key"])
def test_a_tampered_id_token_is_refused(oidc, client, make_user, tampering_token_endpoint, change):
    an = make_user(phone="0912 345 601")
    url, box = tampering_token_endpoint
    box["change"] = change
    oidc.OIDC_OP_TOKEN_ENDPOINT = url
    _refused(sign_in(client, "an"), client)
    assert not ExternalIdentity.objects.exists()
    box["change"] = lambda token: token  # the same path, untouched, signs in: the refusal was the tampering
    client.get("/")
    assert sign_in(client, "an").status_code == 302 and signed_in_as(client) == an.pk


# --- a provider out of reach or refusing the site ----------------------------------------------------------


def test_a_wrong_client_secret_says_so_and_logs_it(oidc, vi_client, caplog, db):
    oidc.OIDC_RP_CLIENT_SECRET = "not-the-secret"
    callback = at_provider(start(vi_client), "binh")
    with caplog.at_level(logging.ERROR, logger="learning.accounts.oidc"), translation.override("vi"):
        response = vi_client.get(callback)
    assert response.status_code == 503
    assert "Không kết nối được với VNeID, vui lòng đăng nhập bằng số điện thoại" in response.content.decode()
    assert any("invalid_client" in record.getMessage() for record in caplog.records)
    assert signed_in_as(vi_client) is None and not User.objects.exists()


def test_an_unreachable_provider_says_so_and_the_site_keeps_working(configured, vi_client, client, make_user, caplog):
    configured.OIDC_ISSUER = f"http://127.0.0.1:{_free_port()}/o"
    with caplog.at_level(logging.ERROR, logger="learning.accounts.oidc"), translation.override("vi"):
        response = vi_client.get("/accounts/oidc/login/")
    assert response.status_code == 503
    assert "Không kết nối được với VNeID, vui lòng đăng nhập bằng số điện thoại" in response.content.decode()
    assert any("discovery" in record.getMessage() for record in caplog.records)
    user = make_user(phone="0912 345 609")
    signed = client.post("/accounts/login/", {"username": "0912 345 609", "password": PASSWORD})
    assert signed.status_code == 302 and signed_in_as(client) == user.pk


def test_phone_and_password_sign_in_still_works(oidc, client, make_user):
    user = make_user(phone="0912 345 601")
    wrong = client.post("/accounts/login/", {"username": "0912 345 601", "password": "wrong-password"})
    assert wrong.status_code == 200 and signed_in_as(client) is None
    response = client.post("/accounts/login/", {"username": "0912 345 601", "password": PASSWORD})
    assert response.status_code == 302 and signed_in_as(client) == user.pk


def test_deleting_ones_account_deletes_its_links(make_user):
    user = make_user(phone="0912 345 601")
    ExternalIdentity.objects.create(user=user, issuer="https://vneid.example", subject="123", phone_proven=True)
    user_erase(user=user)
    assert not ExternalIdentity.objects.exists()
