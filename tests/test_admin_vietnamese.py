"""The admin speaks Vietnamese: the screens an editor or organiser meets show no untranslated English.

Every text node and every readable attribute (placeholder, title, aria-label, alt, button values) of the
main admin screens is checked: a piece of text written only in ASCII letters that is made of English
interface words (the words of Wagtail's and Django's messages) is untranslated. Proper names are allowed.
"""

import gettext
import re
from html.parser import HTMLParser
from pathlib import Path

import pytest
import wagtail
from django.conf import settings
from django.test import Client
from django.utils import translation

from courses.question_bank import category_ensure

pytestmark = pytest.mark.django_db

# Names, formats and codes that are the same in Vietnamese.
ALLOWED = {
    "wagtail", "django", "url", "urls", "html", "csv", "xlsx", "gift", "aiken", "moodle", "xml", "json", "pdf",
    "id", "ok", "email", "e-mail", "zalo", "vneid", "markdown", "svg", "webp", "avif", "png", "jpeg", "jpg",
    "gif", "api", "sms", "otp", "english", "rss", "ai", "qr", "mb", "kb", "gb", "px", "web", "trang",
}  # fmt: skip
# Texts Wagtail writes into its templates without gettext, read only by screen readers (``w-sr-only``).
WAGTAIL_HARD_CODED = {"Search", "True", "False", "None"}
TIME_ZONE = re.compile(r"^(UTC|[A-Z][A-Za-z_]+/[A-Za-z_/]+)$")
READABLE_ATTRIBUTES = {"placeholder", "title", "aria-label", "alt", "data-w-tooltip-content-value"}
WORD = re.compile(r"[A-Za-z][A-Za-z'’]+")


def _english_words() -> set[str]:
    """The words of the English messages the admin is built from."""
    words: set[str] = set()
    base = Path(wagtail.__file__).parent
    catalogues = [*base.rglob("locale/vi/LC_MESSAGES/*.mo")]
    catalogues += [*(Path(settings.BASE_DIR) / "locale" / "libraries").rglob("*.mo")]
    for path in catalogues:
        with path.open("rb") as handle:
            for msgid in gettext.GNUTranslations(handle)._catalog:  # noqa: SLF001 - the msgids themselves
                text = msgid[0] if isinstance(msgid, tuple) else msgid
                words.update(w.lower() for w in WORD.findall(text.split("\x04")[-1]) if len(w) > 2)
    return words - ALLOWED


VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}


class _Texts(HTMLParser):
    """Readable texts, with whether each is shown (not inside ``hidden``) and only to screen readers."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.texts: list[tuple[str, bool]] = []
        self._skip = 0
        self._open: list[tuple[str, str]] = []  # (tag, "hidden" | "sr" | "")

    def _where(self) -> str:
        marks = {mark for _tag, mark in self._open}
        return "hidden" if "hidden" in marks else "sr" if "sr" in marks else ""

    def handle_starttag(self, tag, attrs):
        if tag in ("script", "style", "template", "svg"):
            self._skip += 1
        attributes = dict(attrs)
        if tag not in VOID:
            hidden = "hidden" in attributes
            sr = "w-sr-only" in (attributes.get("class") or "").split()
            self._open.append((tag, "hidden" if hidden else "sr" if sr else ""))
        where = self._where()
        if where == "hidden":
            return
        for name, value in attributes.items():
            shown_value = tag == "input" and name == "value" and attributes.get("type") in ("submit", "button")
            if value and (name in READABLE_ATTRIBUTES or shown_value):
                self.texts.append((value, where == "sr"))

    def handle_endtag(self, tag):
        if tag in ("script", "style", "template", "svg") and self._skip:
            self._skip -= 1
        for i in range(len(self._open) - 1, -1, -1):
            if self._open[i][0] == tag:
                del self._open[i:]
                break

    def handle_data(self, data):
        where = self._where()
        if not self._skip and data.strip() and where != "hidden":
            self.texts.append((data, where == "sr"))


def untranslated(html: str, english: set[str]) -> list[str]:
    parser = _Texts()
    parser.feed(html)
    found = []
    for text, screen_reader_only in parser.texts:
        text = " ".join(text.split())
        if not text.isascii() or TIME_ZONE.match(text):
            continue  # Vietnamese (or data with Vietnamese letters), or a time zone's name
        if screen_reader_only and text in WAGTAIL_HARD_CODED:
            continue
        words = [w.lower() for w in WORD.findall(text)]
        interface = [w for w in words if w in english]
        if interface and len(interface) * 2 >= len(words):
            found.append(text)
    return sorted(set(found))


@pytest.fixture(scope="module")
def english():
    return _english_words()


@pytest.fixture
def screens(db, make_user, course):
    from django.core.management import call_command

    call_command("setup_site", stdout=open("/dev/null", "w"))  # noqa: SIM115, PTH123
    admin = make_user(phone="0912000301")
    admin.is_staff = admin.is_superuser = True
    admin.save()
    lesson = course.get_children().first()
    bank = category_ensure("Kỹ năng số/An toàn")
    return admin, [
        "/admin/",
        f"/admin/pages/{course.get_parent().pk}/",
        f"/admin/pages/{course.pk}/",
        f"/admin/pages/{course.pk}/edit/",
        f"/admin/pages/{lesson.pk}/edit/",
        f"/admin/pages/add/courses/lessonpage/{course.pk}/",
        f"/admin/pages/add/courses/quizpage/{course.pk}/",
        f"/admin/pages/{lesson.pk}/history/",
        "/admin/images/",
        "/admin/images/multiple/add/",
        "/admin/documents/",
        "/admin/documents/multiple/add/",
        "/admin/snippets/courses/question/",
        "/admin/snippets/courses/question/add/",
        "/admin/snippets/courses/questioncategory/",
        f"/admin/snippets/courses/questioncategory/edit/{bank.pk}/",
        "/admin/question-bank/import/",
        "/admin/workflows/list/",
        "/admin/users/",
        "/admin/groups/",
        "/admin/account/",
        "/admin/redirects/",
        "/admin/reports/locked/",
        "/admin/reports/site-history/",
    ]


def test_main_admin_screens_show_no_english(screens, english):
    admin, urls = screens
    browser = Client()  # asks for no language: the site's default, Vietnamese
    browser.force_login(admin)
    problems = {}
    for url in urls:
        response = browser.get(url)
        assert response.status_code == 200, url
        found = untranslated(response.content.decode(), english)
        if found:
            problems[url] = found
    assert not problems, "\n".join(f"{url}: {texts}" for url, texts in problems.items())


def test_sign_in_and_a_failed_save_speak_vietnamese(screens, english, course):
    admin, _urls = screens
    anonymous = Client()
    assert not untranslated(anonymous.get("/admin/login/").content.decode(), english)
    browser = Client()
    browser.force_login(admin)
    response = browser.post(
        f"/admin/pages/add/courses/lessonpage/{course.pk}/",
        {"title": "", "slug": "", "body-count": "0", "action-publish": "1"},
    )
    body = response.content.decode()
    assert "Không thể tạo trang" in body or "lỗi" in body.lower()
    assert not untranslated(body, english)


def test_the_admin_scripts_have_vietnamese_texts():
    """Texts the admin's scripts show ("Autosave is paused", "Saving…") come from the jsi18n catalogue."""
    with translation.override("vi"):
        catalogue = translation.trans_real.DjangoTranslation(
            "vi", domain="djangojs", localedirs=[str(Path(wagtail.__file__).parent / "admin" / "locale")]
        )
    missing = []
    with (Path(wagtail.__file__).parent / "admin/locale/en/LC_MESSAGES/djangojs.po").open(encoding="utf-8") as po:
        entries = re.findall(r'^msgid "(.+)"\n(?:msgid_plural "(.+)"$)?', po.read(), flags=re.MULTILINE)
    for msgid, plural in entries:
        msgid, plural = (t.encode().decode("unicode_escape").encode("latin-1").decode("utf-8") for t in (msgid, plural))
        words = WORD.search(re.sub(r"%\(\w+\)s|\{\w*\}", "", msgid))
        # A plural entry by ngettext: Python before 3.11.5 finds no plural entry by gettext.
        found = catalogue.ngettext(msgid, plural, 1) if plural else catalogue.gettext(msgid)
        if found == msgid and words and msgid.lower() not in ALLOWED:
            missing.append(msgid)
    assert not missing, missing


def test_sign_in_placeholder_reads_naturally():
    """The admin's sign-in field once read "Nhập số điện thoại di độngcủa bạn" (a missing space upstream)."""
    from courses.admin_ui import AdminLoginForm

    with translation.override("vi"):
        form = AdminLoginForm()
        placeholder = str(form.fields["username"].widget.attrs["placeholder"])
        assert placeholder.endswith(" của bạn") and "của bạn" in placeholder and "ngcủa" not in placeholder
        assert str(form.fields["password"].label) == "Mật khẩu"
