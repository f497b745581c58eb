"""The report as an A4 landscape PDF (fpdf2).

The PDF embeds Noto Sans (``learning/core/fonts/``, SIL Open Font License 1.1), which covers Vietnamese: every
text is normalised to NFC, so each letter with its diacritics is one precomposed glyph and no text shaping engine
is needed. The tables are drawn with fpdf2's ``text()`` and glyph widths read from the font (its ``table()`` is
several times slower), so a report of ten sheets × 54 communes × 15 columns renders in a fraction of a second.
"""

from __future__ import annotations

import math
from datetime import UTC
from pathlib import Path

from django.utils.translation import gettext as _

from .data import (
    CREATOR,
    Column,
    ReportData,
    Sheet,
    _display,
    _generated_line,
    _nfc,
    _period_line,
    _totals_row,
    _validate,
)

FONT_DIR = Path(__file__).resolve().parents[2] / "core" / "fonts"
FONT_FAMILY = "NotoSans"
_FONT_SIZES = (8, 7, 6)  # the table's font size: the largest at which the columns fit the page…
_FONT_SIZE_MIN = 3.0  # … shrinking further, for very many columns, down to this
_PAD = 1.0  # mm, left and right inside a cell
_VPAD = 0.9  # mm, above and below a cell's text
_TEXT_MAX_LINES = 2  # a longer name is cut with "…"
_FIT = 0.01  # mm: widths are sums of floats; a word exactly as wide as its column fits
_TEXT_MIN_WIDTH = 28.0  # mm
_TEXT_MAX_WIDTH = 75.0  # mm
_HEADER_FILL = (221, 230, 240)
_STRIPE_FILL = (246, 246, 246)
_TOTALS_FILL = (232, 232, 232)
_BORDER = (150, 150, 150)
_PT = 25.4 / 72  # mm per point


class _Meter:
    """String widths in mm, read straight from the fonts' glyph widths: the same numbers as fpdf2's
    ``get_string_width`` (no shaping, no letter spacing) at a tenth of its cost, which matters for 10,000 cells."""

    def __init__(self, pdf):
        self.widths = {style: pdf.fonts[FONT_FAMILY.lower() + style].cw for style in ("", "B")}

    def __call__(self, text: str, style: str, size: float) -> float:
        widths = self.widths[style]
        return sum(widths[ord(c)] for c in text) * size * 0.001 * _PT

    def fit(self, text: str, width: float, style: str, size: float) -> str:
        """``text``, cut with "…" when it is wider than ``width``."""
        if self(text, style, size) <= width:
            return text
        while text and self(text + "…", style, size) > width:
            text = text[:-1]
        return text.rstrip() + "…"

    def wrap(self, text: str, width: float, style: str, size: float, max_lines: int | None = None) -> list[str]:
        """``text`` broken at spaces into lines of at most ``width``; a word wider than that is cut (only a
        name can be: the columns are made as wide as every header's longest word); when more than
        ``max_lines`` lines are needed, the last one ends with "…"."""
        width += _FIT
        if self(text, style, size) <= width:
            return [text]
        lines: list[str] = []
        current = ""
        for word in text.split():
            candidate = f"{current} {word}" if current else word
            if self(candidate, style, size) <= width:
                current = candidate
                continue
            if current:
                lines.append(current)
            current = word
            while len(current) > 1 and self(current, style, size) > width:  # a word wider than the column
                cut = len(current) - 1
                while cut > 1 and self(current[:cut], style, size) > width:
                    cut -= 1
                lines.append(current[:cut])
                current = current[cut:]
        if current:
            lines.append(current)
        if max_lines and len(lines) > max_lines:
            lines = lines[: max_lines - 1] + [self.fit(" ".join(lines[max_lines - 1 :]), width, style, size)]
        return lines


def _font_sizes():
    yield from _FONT_SIZES
    size = _FONT_SIZES[-1] * 0.85
    while size >= _FONT_SIZE_MIN:
        yield round(size, 2)
        size *= 0.85


def _make_pdf_class():
    from fpdf import FPDF

    class ReportPDF(FPDF):
        footer_left = ""
        footer_page = ""
        meter: _Meter

        def footer(self):
            self.set_y(-11)
            self.set_font(FONT_FAMILY, "", 7.5)
            self.set_text_color(90, 90, 90)
            self.c_margin = 0
            half = self.epw / 2
            self.cell(half, 5, self.meter.fit(self.footer_left, half - 5, "", 7.5), align="L")
            self.cell(half, 5, self.footer_page % {"page": self.page_no(), "pages": self.str_alias_nb_pages}, align="R")
            self.set_text_color(0, 0, 0)

    return ReportPDF


def _header_lines(meter: _Meter, label: str, width: float, size: float) -> int:
    return len(meter.wrap(label, width, "B", size))


def _pdf_widths(meter: _Meter, columns: list[Column], cells: list[list[str]], size: float, available: float):
    """Column widths (mm) at font ``size``, or None when the columns cannot fit ``available``.

    Every column starts as narrow as it can be: its widest number (or, for a name, up to 28 mm of it) and its
    header's longest word, so no header word is ever broken. What is left of the page then goes first to the
    names (up to their full width, 75 mm at most), then, a step at a time, to the header that takes the most
    lines, as long as a step shortens it."""
    labels = [_nfc(c.label) for c in columns]
    minimums, wants = [], []
    for col, (column, label) in enumerate(zip(columns, labels, strict=True)):
        header_word = max((meter(w, "B", size) for w in label.split()), default=0.0)
        content = max((meter(row[col], "B", size) for row in cells), default=0.0)  # bold, like the totals
        if column.kind == "text":
            minimum = max(header_word, min(content, _TEXT_MIN_WIDTH))
            want = max(minimum, min(content, _TEXT_MAX_WIDTH))
        else:
            minimum = want = max(content, header_word)
        minimums.append(minimum)
        wants.append(want)
    spare = available - sum(minimums) - 2 * _PAD * len(columns)
    if spare < 0:
        return None
    widths = list(minimums)
    for col, want in enumerate(wants):  # the names on one line if the page allows
        grow = min(want - widths[col], spare)
        widths[col] += grow
        spare -= grow
    lines = [_header_lines(meter, label, w, size) for label, w in zip(labels, widths, strict=True)]
    step = 0.5
    while spare >= step:
        tallest = max(lines)
        if tallest == 1:
            break
        best = None
        for col in (c for c, n in enumerate(lines) if n == tallest):
            extra = step
            while extra <= spare and _header_lines(meter, labels[col], widths[col] + extra, size) == tallest:
                extra += step
            if extra <= spare and (best is None or extra < best[1]):
                best = (col, extra)
        if best is None:
            break
        col, extra = best
        widths[col] += extra
        spare -= extra
        lines[col] = _header_lines(meter, labels[col], widths[col], size)
    return [w + 2 * _PAD for w in widths]


class _TableWriter:
    """Draws one sheet's table, the header row again at the top of every page. Text goes straight to the page
    with ``text()``; a row is one fill, one rule, and the column rules are drawn once per page."""

    def __init__(self, pdf, sheet: Sheet):
        self.pdf = pdf
        meter = self.meter = pdf.meter
        self.columns = sheet.columns
        self.rows = [[_display(c, data.get(c.key)) for c in self.columns] for data in sheet.rows]
        totals = _totals_row(sheet)
        self.totals = [_display(c, totals.get(c.key)) for c in self.columns] if totals is not None else None
        measured = self.rows + ([self.totals] if self.totals else [])
        for size in _font_sizes():
            self.size = size
            self.widths = _pdf_widths(meter, self.columns, measured, size, pdf.epw)
            if self.widths is not None:
                break
        else:  # too many columns even at the smallest size: share the page in proportion
            wants = _pdf_widths(meter, self.columns, measured, self.size, math.inf)
            self.widths = [w * pdf.epw / sum(wants) for w in wants]
        self.lefts = [pdf.l_margin + sum(self.widths[:i]) for i in range(len(self.widths))]
        self.right = pdf.l_margin + sum(self.widths)
        self.line_h = self.size * _PT * 1.25
        self.baseline = 0.5 * self.line_h + 0.3 * self.size * _PT  # from the top of a line, as fpdf2's cell()
        self.header_lines = [
            meter.wrap(_nfc(c.label), w - 2 * _PAD, "B", self.size)
            for c, w in zip(self.columns, self.widths, strict=True)
        ]
        self.header_h = max((len(lines) for lines in self.header_lines), default=1) * self.line_h + 2 * _VPAD
        self.block_top = 0.0

    def room_for_start(self) -> float:
        return self.header_h + (self.line_h + 2 * _VPAD) * min(len(self.rows) + 1, 3)

    def _put(self, lines: list[str], left: float, width: float, top: float, height: float, align: str, style: str):
        pdf, size = self.pdf, self.size
        y = top + (height - len(lines) * self.line_h) / 2 + self.baseline
        for line in lines:
            if align == "L":
                x = left + _PAD
            else:
                free = width - 2 * _PAD - self.meter(line, style, size)
                x = left + _PAD + (free if align == "R" else free / 2)
            pdf.text(x, y, line)
            y += self.line_h

    def _close_block(self):
        """The vertical rules of the part of the table on this page."""
        pdf, bottom = self.pdf, self.pdf.get_y()
        for x in [*self.lefts, self.right]:
            pdf.line(x, self.block_top, x, bottom)

    def draw_header(self):
        pdf = self.pdf
        top = self.block_top = pdf.get_y()
        pdf.set_fill_color(*_HEADER_FILL)
        pdf.rect(pdf.l_margin, top, self.right - pdf.l_margin, self.header_h, style="DF")
        pdf.set_font(FONT_FAMILY, "B", self.size)
        for lines, left, width in zip(self.header_lines, self.lefts, self.widths, strict=True):
            self._put(lines, left, width, top, self.header_h, "C", "B")
        pdf.set_y(top + self.header_h)

    def draw_row(self, texts: list[str], fill: tuple | None, style: str = ""):
        pdf, meter, size = self.pdf, self.meter, self.size
        cells = [
            meter.wrap(text, width - 2 * _PAD, style, size, _TEXT_MAX_LINES) if column.kind == "text" else [text]
            for text, width, column in zip(texts, self.widths, self.columns, strict=True)
        ]
        height = max(len(lines) for lines in cells) * self.line_h + 2 * _VPAD
        if pdf.get_y() + height > pdf.page_break_trigger:
            self._close_block()
            pdf.add_page()
            self.draw_header()
        top = pdf.get_y()
        if fill:
            pdf.set_fill_color(*fill)
            pdf.rect(pdf.l_margin, top, self.right - pdf.l_margin, height, style="F")
        pdf.line(pdf.l_margin, top + height, self.right, top + height)
        pdf.set_font(FONT_FAMILY, style, size)
        for lines, left, width, column in zip(cells, self.lefts, self.widths, self.columns, strict=True):
            self._put(lines, left, width, top, height, "L" if column.kind == "text" else "R", style)
        pdf.set_y(top + height)

    def draw(self):
        pdf = self.pdf
        pdf.set_draw_color(*_BORDER)
        pdf.set_line_width(0.15)
        self.draw_header()
        if not self.rows and not self.totals:
            pdf.set_font(FONT_FAMILY, "", self.size)
            pdf.c_margin = _PAD
            pdf.cell(self.right - pdf.l_margin, self.line_h + 2 * _VPAD, _("No data"), border=1, align="C")
            pdf.ln()
        for number, texts in enumerate(self.rows):
            self.draw_row(texts, _STRIPE_FILL if number % 2 else None)
        if self.totals:
            self.draw_row(self.totals, _TOTALS_FILL, style="B")
        self._close_block()
        pdf.set_draw_color(0, 0, 0)


def pdf_bytes(report: ReportData) -> bytes:
    """The report as an A4 landscape PDF: title, period and generation time, one table per sheet, "Page n of N"
    in the footers."""
    _validate(report)
    pdf = _make_pdf_class()(orientation="L", unit="mm", format="A4")
    pdf.set_margins(10, 10, 10)
    pdf.set_auto_page_break(True, margin=14)
    pdf.add_font(FONT_FAMILY, "", str(FONT_DIR / "NotoSans-Regular.ttf"))
    pdf.add_font(FONT_FAMILY, "B", str(FONT_DIR / "NotoSans-Bold.ttf"))
    pdf.meter = _Meter(pdf)
    title = _nfc(report.title)
    pdf.set_title(title)
    pdf.set_subject(_period_line(report))
    pdf.set_author(CREATOR)
    pdf.set_creator(CREATOR)
    pdf.set_lang("vi")
    pdf.set_creation_date(report.generated_at.astimezone(UTC))
    pdf.footer_left = title
    pdf.footer_page = _("Page %(page)s of %(pages)s")

    pdf.add_page()
    pdf.c_margin = 0
    pdf.set_font(FONT_FAMILY, "B", 15)
    pdf.multi_cell(0, 7.5, title, align="L", new_x="LMARGIN", new_y="NEXT")
    pdf.ln(1)
    pdf.set_font(FONT_FAMILY, "", 10)
    pdf.cell(0, 5.5, _period_line(report), new_x="LMARGIN", new_y="NEXT")
    pdf.cell(0, 5.5, _generated_line(report), new_x="LMARGIN", new_y="NEXT")

    for index, sheet in enumerate(report.sheets):
        table = _TableWriter(pdf, sheet)
        if index > 0:
            pdf.add_page()
        else:
            pdf.ln(4)
        if pdf.get_y() + 7.5 + table.room_for_start() > pdf.page_break_trigger:
            pdf.add_page()
        pdf.c_margin = 0
        pdf.set_font(FONT_FAMILY, "B", 11.5)
        pdf.multi_cell(0, 6, _nfc(sheet.heading or sheet.title), align="L", new_x="LMARGIN", new_y="NEXT")
        pdf.ln(1.5)
        table.draw()
        if index == 0 and report.notes:
            pdf.ln(4)
            if pdf.get_y() + 15 > pdf.page_break_trigger:
                pdf.add_page()  # no "Notes" line alone at the bottom of a page
            pdf.c_margin = 0
            pdf.set_font(FONT_FAMILY, "B", 9)
            pdf.cell(0, 5, _("Notes"), new_x="LMARGIN", new_y="NEXT")
            pdf.set_font(FONT_FAMILY, "", 8.5)
            for note in report.notes:
                pdf.multi_cell(0, 4.5, "• " + _nfc(note), align="L", new_x="LMARGIN", new_y="NEXT")
    return bytes(pdf.output())
