"""Question texts in four source formats, and the rich text of pages (intros, lesson text), shown as safe HTML.

Whatever reaches a page as HTML passes ``nh3`` here first: editors type it, but imports, the API of the
admin and old data can bring anything (``<script>``, ``onerror=``, ``javascript:`` links)."""

import html
import re

import markdown as md
import nh3
from django.utils.safestring import mark_safe
from wagtail.templatetags.wagtailcore_tags import richtext

ALLOWED_TAGS = {
    "p",
    "br",
    "strong",
    "b",
    "em",
    "i",
    "u",
    "sub",
    "sup",
    "ul",
    "ol",
    "li",
    "code",
    "pre",
    "span",
    "table",
    "thead",
    "tbody",
    "tr",
    "th",
    "td",
    "img",
    "a",
    "blockquote",
    "h3",
    "h4",
    "hr",
}
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}, "img": {"src", "alt", "width", "height"}, "td": {"colspan", "rowspan"}}
# Page rich text: what the editor's features produce (headings, lists, links, rules, images with their
# alignment class), nothing that runs or styles.
PAGE_TAGS = ALLOWED_TAGS | {"h2", "s"}
PAGE_ATTRIBUTES = {**ALLOWED_ATTRIBUTES, "img": {"src", "alt", "width", "height", "class"}}
PAGE_URL_SCHEMES = {"http", "https", "mailto", "tel"}


PLUGINFILE_IMG = re.compile(r"<img\b[^>]*@@PLUGINFILE@@/[^>]*>", re.IGNORECASE)


def to_html(text: str, text_format: str) -> str:
    """Safe HTML for a question, choice or feedback text (imported HTML is sanitised)."""
    if not text:
        return mark_safe("")  # noqa: S308 - empty
    if text_format == "html":
        raw = text
    elif text_format == "markdown":
        raw = md.markdown(text)
    elif text_format == "plain":
        raw = html.escape(text).replace("\n", "<br>")
    else:  # "moodle": plain text whose line breaks matter; simple HTML is kept as Moodle does
        raw = text.replace("\n", "<br>")
    raw = PLUGINFILE_IMG.sub("", raw)  # files embedded in a Moodle file: the first picture is the question's image
    cleaned = nh3.clean(raw, tags=ALLOWED_TAGS, attributes=ALLOWED_ATTRIBUTES, url_schemes={"http", "https", "data"})
    return mark_safe(cleaned)  # noqa: S308 - sanitised by nh3 just above


def to_plain(text: str, text_format: str) -> str:
    """The text without markup, e.g. for matching answers shown in a select box."""
    return html.unescape(nh3.clean(str(to_html(text, text_format)), tags=set())).strip()


def page_html(value) -> str:
    """A page's rich text (a ``RichTextField`` value, a ``RichText`` block value or stored HTML) as safe
    HTML: links to pages and documents expanded as the ``richtext`` filter does, then sanitised."""
    if value is None or value == "":
        return mark_safe("")  # noqa: S308 - empty
    expanded = richtext(value)
    cleaned = nh3.clean(str(expanded), tags=PAGE_TAGS, attributes=PAGE_ATTRIBUTES, url_schemes=PAGE_URL_SCHEMES)
    return mark_safe(cleaned)  # noqa: S308 - sanitised by nh3 just above
