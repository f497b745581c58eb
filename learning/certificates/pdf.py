"""A certificate as an A4 landscape PDF (fpdf2), made on request from its frozen copy.

Always in Vietnamese, the language of the issuing body, whatever language the site is shown in. It embeds
Noto Sans (``learning/core/fonts/``, SIL Open Font License 1.1): every text is normalised to NFC, so each
letter with its diacritics is one precomposed glyph. The QR code (segno) holds the absolute address of the
public verification page, ``SITE_URL`` (or ``WAGTAILADMIN_BASE_URL``) + ``/chung-nhan/<code>/``.
"""

from __future__ import annotations

import io
import unicodedata
from pathlib import Path

import segno
from django.conf import settings
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _

from .formatting import long_date, pdf_filename, percent
from .models import Certificate

FONT_DIR = Path(__file__).resolve().parents[1] / "core" / "fonts"
FONT = "NotoSans"

PAGE_W, PAGE_H = 297.0, 210.0  # mm, A4 landscape
OUTER, INNER = 8.0, 11.5  # the two frame lines' distance from the page edge
TEXT_W = 236.0  # the widest a line of the body may be
LEFT = (PAGE_W - TEXT_W) / 2
BOTTOM_TOP = 150.0  # where the QR code and the signature block start; the body must end above it
QR_SIZE = 32.0

RED = (155, 28, 28)
GOLD = (184, 134, 11)
INK = (31, 41, 55)
GREY = (75, 85, 99)
NAVY = (30, 58, 138)
PT = 25.4 / 72  # mm per point


def verify_url(certificate: Certificate) -> str:
    """The absolute address of the certificate's public verification page (the one in its QR code)."""
    base = (settings.SITE_URL or settings.WAGTAILADMIN_BASE_URL).rstrip("/")
    return base + reverse("certificate_verify:verify", args=[certificate.code])


def qr_png(url: str) -> io.BytesIO:
    qr = segno.make_qr(url, error="m")
    out = io.BytesIO()
    qr.save(out, kind="png", scale=8, border=0)
    out.seek(0)
    return out


def _nfc(text: str) -> str:
    return unicodedata.normalize("NFC", text or "")


class _Page:
    """The certificate page and a cursor that moves down it."""

    def __init__(self):
        from fpdf import FPDF

        self.pdf = FPDF(orientation="L", unit="mm", format="A4")
        self.pdf.set_auto_page_break(False)
        self.pdf.set_margins(0, 0, 0)
        self.pdf.add_font(FONT, "", str(FONT_DIR / "NotoSans-Regular.ttf"))
        self.pdf.add_font(FONT, "B", str(FONT_DIR / "NotoSans-Bold.ttf"))
        self.pdf.add_page()
        self.y = 0.0
        self._widths: dict[tuple, float] = {}

    def font(self, size: float, style: str = "", color=INK):
        self.pdf.set_font(FONT, style, size)
        self.pdf.set_text_color(*color)

    def width(self, text: str) -> float:
        """``text``'s width in mm in the current font, from the font's glyph widths: what fpdf2's
        ``get_string_width`` gives (no kerning, so widths add up), without its cost — wrapping measures
        many candidate lines. Words are measured once per font and size."""
        key = (self.pdf.font_family, self.pdf.font_style, self.pdf.font_size_pt, text)
        if key not in self._widths:
            widths = self.pdf.current_font.cw
            self._widths[key] = sum(widths[ord(c)] for c in text) * self.pdf.font_size_pt * 0.001 * PT
        return self._widths[key]

    def fitted_size(self, text: str, width: float, style: str, largest: float, smallest: float) -> float:
        """The largest size (down to ``smallest``) at which ``text`` fits on one line of ``width``."""
        size = largest
        while size > smallest:
            self.pdf.set_font(FONT, style, size)
            if self.width(text) <= width:
                break
            size -= 0.5
        return size

    def lines(self, text: str, width: float) -> list[str]:
        """``text`` wrapped at spaces into lines of ``width`` in the current font; a word wider than a line
        (a long address) is broken where it must be."""
        space = self.width(" ")
        lines: list[str] = []
        current, used = "", 0.0
        for word in text.split():
            size = self.width(word)
            if current and used + space + size <= width:
                current, used = f"{current} {word}", used + space + size
                continue
            if current:
                lines.append(current)
            if size <= width:
                current, used = word, size
                continue
            current, used = "", 0.0
            for char in word:
                char_width = self.width(char)
                if current and used + char_width > width:
                    lines.append(current)
                    current, used = "", 0.0
                current, used = current + char, used + char_width
        return [*lines, current] if current else lines or [""]

    def balanced(self, text: str, width: float) -> list[str]:
        """``text`` wrapped into as few lines as at ``width``, but with lines of similar length (no word left
        alone on the last line)."""
        lines = self.lines(text, width)
        low, high = width / len(lines), width
        while high - low > 1:
            middle = (low + high) / 2
            if len(self.lines(text, middle)) > len(lines):
                low = middle
            else:
                high = middle
        return self.lines(text, high)

    def wrapped(self, text, width, style, sizes, max_lines) -> tuple[float, list[str]] | None:
        """The first of ``sizes`` at which ``text`` wraps into at most ``max_lines`` balanced lines, and
        those lines; None when it does not fit even at the last size."""
        for size in sizes:
            self.pdf.set_font(FONT, style, size)
            lines = self.balanced(text, width)
            if len(lines) <= max_lines:
                return size, lines
        return None

    def centred(self, text: str, size: float, style: str = "", color=INK, *, left=LEFT, width=TEXT_W, gap=1.0):
        """One centred line at the cursor; the cursor moves below it."""
        self.font(size, style, color)
        height = size * PT * 1.25
        self.pdf.set_xy(left, self.y)
        self.pdf.cell(width, height, text, align="C")
        self.y += height + gap

    def frame(self):
        pdf = self.pdf
        pdf.set_draw_color(*RED)
        pdf.set_line_width(1.4)
        pdf.rect(OUTER, OUTER, PAGE_W - 2 * OUTER, PAGE_H - 2 * OUTER)
        pdf.set_draw_color(*GOLD)
        pdf.set_line_width(0.4)
        pdf.rect(INNER, INNER, PAGE_W - 2 * INNER, PAGE_H - 2 * INNER)
        # a small square at each inner corner
        pdf.set_fill_color(*GOLD)
        for x in (INNER - 1.6, PAGE_W - INNER - 1.6):
            for y in (INNER - 1.6, PAGE_H - INNER - 1.6):
                pdf.rect(x, y, 3.2, 3.2, style="F")

    def rule(self, width: float, color=GOLD, gap=3.0):
        self.pdf.set_draw_color(*color)
        self.pdf.set_line_width(0.5)
        self.pdf.line((PAGE_W - width) / 2, self.y, (PAGE_W + width) / 2, self.y)
        self.y += gap


def _title(page: _Page):
    page.y = 20.0
    page.centred(_("The “Digital literacy for everyone” campaign").upper(), 12, "B", RED, gap=3)
    page.centred(_("CERTIFICATE"), 40, "B", RED, gap=1)
    page.rule(60, gap=0)


def _line_height(size: float, gap: float) -> float:
    return size * PT * 1.25 + gap


def _competence_lines(page: _Page, competences: list, room: float) -> list[tuple]:
    """The competences under their heading, in as many lines as ``room`` (mm) holds; when not all of them
    fit, the last ones are counted ("and 5 more") rather than cut."""
    heading = (_("Digital competences (Circular 02/2025/TT-BGDĐT):"), 9.5, "B", GREY, 0.3)
    max_lines = min(4, int((room - _line_height(9.5, 0.3)) // _line_height(9.5, 0.2)))
    if not competences or max_lines < 1:
        return []
    items = [f"{code} {_nfc(name)}" for code, name in competences]
    for shown in range(len(items), 0, -1):
        text = "; ".join(items[:shown])
        if shown < len(items):
            text += "; " + _("and %(n)d more") % {"n": len(items) - shown}
        fitted = page.wrapped(text, TEXT_W, "", (9.5, 9, 8.5), max_lines)
        if fitted:
            size, lines = fitted
            return [heading, *((line, size, "", GREY, 0.2) for line in lines)]
    return []


def _body(page: _Page, certificate: Certificate):
    """The holder, the course, the date and score, the competences: centred between the title and the
    verification and signature blocks."""
    top = page.y
    name = _nfc(certificate.holder_name)
    lines = [
        (name, page.fitted_size(name, TEXT_W, "B", 30, 14), "B", NAVY, 2.5),
        (_("has completed the course"), 13, "", INK, 1.5),
    ]
    title = _nfc(certificate.course_title)
    fitted = page.wrapped(title, TEXT_W - 16, "B", (19, 17, 15, 13), 3)
    if fitted is None:  # longer than any course title: the first lines, cut
        page.font(13, "B")
        fitted = (13, [*page.lines(title, TEXT_W - 16)[:2], "…"])
    size, title_lines = fitted
    lines += [(line, size, "B", INK, 0.3) for line in title_lines[:-1]] + [(title_lines[-1], size, "B", INK, 2.8)]
    done = _("Completed on %(date)s") % {"date": long_date(certificate.completed_on)}
    if certificate.score_percent is not None:
        done += "  ·  " + _("Final test score: %(score)s") % {"score": percent(certificate.score_percent)}
    lines.append((done, 11.5, "", INK, 3.5))
    room = BOTTOM_TOP - 4 - top
    used = sum(_line_height(size, gap) for _text, size, _style, _color, gap in lines)
    lines += _competence_lines(page, certificate.competences, room - used)
    height = sum(_line_height(size, gap) for _text, size, _style, _color, gap in lines)
    page.y = top + max(0.0, (room - height) / 2)
    for text, size, style, color, gap in lines:
        page.centred(text, size, style, color, gap=gap)


def _verification_block(page: _Page, certificate: Certificate, url: str):
    pdf = page.pdf
    x, y = INNER + 10, PAGE_H - INNER - 8 - QR_SIZE
    pdf.image(qr_png(url), x=x, y=y, w=QR_SIZE, h=QR_SIZE)
    left, width = x + QR_SIZE + 5, 95.0
    page.y = y + 3
    page.font(9, "", GREY)
    pdf.set_xy(left, page.y)
    pdf.cell(width, 5, _("Verification code"))
    page.y += 5
    page.font(15, "B", INK)
    pdf.set_xy(left, page.y)
    pdf.cell(width, 7, " ".join((certificate.code[:5], certificate.code[5:])))
    page.y += 9
    page.font(8, "", GREY)
    for text in (_("Scan the QR code or open this address to check the certificate:"), url):
        for line in page.lines(text, width):
            pdf.set_xy(left, page.y)
            pdf.cell(width, 3.8, line)
            page.y += 3.8


def _signature_block(page: _Page, certificate: Certificate):
    """The issuing body, then the signer's title(s), room to sign, and the signer's name; a block without a
    signer stands level with the QR code."""
    width = 100.0
    left = PAGE_W - INNER - 8 - width
    page.font(10.5, "B", INK)
    lines = [(line, 10.5, 0.0) for line in page.balanced(_nfc(certificate.issuer).upper(), width)]
    signer = [_nfc(line) for line in certificate.signer_lines]
    if signer:
        lines[-1] = (lines[-1][0], 10.5, 1.0)
        lines += [(line, 10, 0.0) for line in signer[:-1]]
        lines[-1] = (lines[-1][0], lines[-1][1], 16.0)  # room for a signature and a seal
        lines.append((signer[-1], 11.5, 0.0))
    height = sum(_line_height(size, gap) for _text, size, gap in lines)
    qr_top = PAGE_H - INNER - 8 - QR_SIZE
    page.y = min(qr_top + (QR_SIZE - height) / 2, qr_top) if height < QR_SIZE else BOTTOM_TOP + 2
    for text, size, gap in lines:
        page.centred(text, size, "B", INK, left=left, width=width, gap=gap)


def certificate_pdf(certificate: Certificate) -> tuple[bytes, str]:
    """The certificate's PDF and its file name (after the course)."""
    with translation.override("vi"):
        url = verify_url(certificate)
        page = _Page()
        title = _nfc(certificate.course_title)
        page.pdf.set_title(_("Certificate") + " — " + title)
        page.pdf.set_author(_nfc(certificate.issuer))
        page.pdf.set_subject(_("Verification code") + " " + certificate.code)
        page.pdf.set_creator("Bình dân học vụ số")
        page.pdf.set_lang("vi")
        page.frame()
        _title(page)
        _body(page, certificate)
        _verification_block(page, certificate, url)
        _signature_block(page, certificate)
        return bytes(page.pdf.output()), pdf_filename(certificate.course_title)
