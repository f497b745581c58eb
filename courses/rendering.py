"""Question texts in four source formats, shown as safe HTML."""

import html
import re

import markdown as md
import nh3
from django.utils.safestring import mark_safe

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
