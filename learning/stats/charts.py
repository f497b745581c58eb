"""Charts drawn on the server as SVG: no script, no library to download, readable on a phone.

Each chart is drawn at about a phone's width (``WIDTH`` user units, shown at most that many CSS pixels wide), so
its letters stay at least 11 px tall on a 360 px screen and do not grow on a wide one. The pages put every
chart's figures in a table as well (``<details>`` under the chart, or the table a link points to)."""

from __future__ import annotations

import math

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from .formats import format_date, format_int

BAR = "#1d4ed8"
LINE = "#b45309"
GRID = "#e5e7eb"
TEXT = "#374151"
MUTED = "#6b7280"
WIDTH = 380  # user units = CSS pixels at most (the SVG is never drawn wider than this)
BAR_FONT = 14  # at a 360 px viewport the chart is about 330 px wide: 14 × 330 / 380 ≈ 12 px
TREND_FONT = 14  # the same ≈ 12 px there
BAR_LIMIT = 10  # a longer list shows its 10 largest and 10 smallest; the table has them all


def _text_width(text: str, size: float) -> float:
    """About how wide ``text`` is drawn in a sans-serif font of ``size`` (generous, to leave room)."""
    narrow, wide = set("iIjlrtf.,:;'!|() "), set("mwMWĐ%")
    return size * sum(0.34 if c in narrow else 0.95 if c in wide or c.isupper() else 0.66 for c in text)


def _fit(text: str, width: float, size: float) -> str:
    if _text_width(text, size) <= width:
        return text
    while text and _text_width(text + "…", size) > width:
        text = text[:-1]
    return text.rstrip() + "…"


def nice_ticks(top: float, count: int = 4) -> list[int]:
    """Whole-number axis ticks from 0 past ``top``, at steps of 1, 2 or 5 × 10ⁿ, about ``count`` of them:
    8 → 0 2 4 6 8; 1 → 0 1; 6599 → 0 2.000 4.000 6.000 8.000."""
    if top <= 0:
        return [0, 1]
    raw = top / count
    magnitude = 10 ** math.floor(math.log10(raw))
    step = next(m * magnitude for m in (1, 2, 5, 10) if m * magnitude >= raw)
    step = max(1, round(step))
    return [i * step for i in range(math.ceil(top / step) + 1)]


def _open(width: float, height: float, title: str, size: int) -> str:
    return (
        f'<svg class="chart" viewBox="0 0 {width} {height:.0f}" width="{width}" height="{height:.0f}" role="img" '
        f'aria-label="{escape(title)}" xmlns="http://www.w3.org/2000/svg" font-size="{size}" fill="{TEXT}">'
        f"<title>{escape(title)}</title>"
    )


def bar_selection(items: list, limit: int = BAR_LIMIT) -> tuple[list, list, int]:
    """The items a bar chart shows, largest first: all of them, or the ``limit`` largest and the ``limit``
    smallest with how many are left out between them. Items without a value (None) come last."""
    ranked = sorted(items, key=lambda item: -1 if item[1] is None else item[1], reverse=True)  # stable: ties keep order
    if len(ranked) <= 2 * limit:
        return ranked, [], 0
    return ranked[:limit], ranked[-limit:], len(ranked) - 2 * limit


def bar_chart(items: list[tuple[str, float | None, str]], *, title: str, percent: bool) -> SafeString:
    """Horizontal bars, the name beside each, its figure after it; items are (label, value, caption), values
    shares (0..1) when ``percent``. More than 2 × ``BAR_LIMIT`` items: the largest and the smallest."""
    top, bottom, hidden = bar_selection(items)
    size, row = BAR_FONT, BAR_FONT + 12
    rows: list[tuple[str, float | None, str] | None] = [*top, *([None] if hidden else []), *bottom]
    shown = [item for item in rows if item]
    caption_w = max([_text_width(c, size) for _label, _v, c in shown] + [0]) + 6
    label_w = min(max([_text_width(label, size) for label, _v, _c in shown] + [0]) + 10, WIDTH * 0.5)
    span = WIDTH - label_w - caption_w - 4
    peak = max([v for _label, v, _c in shown if v is not None] + [1.0 if percent else 1])
    height = row * len(rows) + 8
    parts = [_open(WIDTH, height, title, size)]
    for i, item in enumerate(rows):
        y = 4 + i * row
        baseline = y + row / 2 + size * 0.35
        if item is None:
            more = _fit(_("⋯ %(count)s more, in the table") % {"count": format_int(hidden)}, WIDTH - 8, size)
            parts.append(
                f'<text x="{WIDTH / 2}" y="{baseline:.1f}" text-anchor="middle" fill="{MUTED}">{escape(more)}</text>'
            )
            continue
        label, value, caption = item
        parts.append(
            f'<text x="{label_w - 8:.1f}" y="{baseline:.1f}" text-anchor="end"><title>{escape(label)}</title>'
            f"{escape(_fit(label, label_w - 8, size))}</text>"
        )
        bar = 0 if value is None else max(1.0, span * value / peak)
        parts.append(
            f'<rect x="{label_w:.1f}" y="{y + 4:.1f}" width="{bar:.1f}" height="{row - 8}" fill="{BAR}" rx="2"/>'
        )
        parts.append(f'<text x="{label_w + bar + 4:.1f}" y="{baseline:.1f}">{escape(caption)}</text>')
    parts.append("</svg>")
    return mark_safe("".join(parts))  # noqa: S308 - every label and caption is escaped above


def trend_chart(weeks: list[dict], *, title: str, bars_key: str, line_key: str, legend: tuple[str, str]) -> SafeString:
    """Weekly bars (new in the week, left axis) with a line (total to date, right axis, its own colour)."""
    size = TREND_FONT
    n = max(len(weeks), 1)
    bar_ticks = nice_ticks(max([w[bars_key] for w in weeks] + [0]))
    line_ticks = nice_ticks(max([w[line_key] for w in weeks] + [0]))
    left = max(_text_width(format_int(t), size) for t in bar_ticks) + 8
    right = max(_text_width(format_int(t), size) for t in line_ticks) + 8
    top_pad, plot_h = size, 150
    plot_w = WIDTH - left - right
    axis_y = top_pad + plot_h
    legend_y = axis_y + size * 2 + 8
    height = legend_y + size * 1.6 + 6
    parts = [_open(WIDTH, height, title, size)]
    bar_top, line_top = bar_ticks[-1], line_ticks[-1]
    for tick in bar_ticks:
        y = axis_y - plot_h * tick / bar_top
        parts.append(f'<line x1="{left}" x2="{left + plot_w}" y1="{y:.1f}" y2="{y:.1f}" stroke="{GRID}"/>')
        parts.append(f'<text x="{left - 4:.1f}" y="{y + size * 0.35:.1f}" text-anchor="end">{format_int(tick)}</text>')
    for tick in line_ticks:
        y = axis_y - plot_h * tick / line_top
        parts.append(
            f'<text x="{left + plot_w + 4:.1f}" y="{y + size * 0.35:.1f}" fill="{LINE}">{format_int(tick)}</text>'
        )
    step = plot_w / n
    every = max(1, math.ceil(n / max(1, int(plot_w // (_text_width("00/00", size) + 14)))))
    points = []
    for i, week in enumerate(weeks):
        x = left + i * step
        h = plot_h * week[bars_key] / bar_top
        tooltip = f"{format_date(week['week_start'])} – {format_date(week['week_end'])}: {format_int(week[bars_key])}"
        parts.append(
            f'<rect x="{x + step * 0.15:.1f}" y="{axis_y - h:.1f}" width="{max(step * 0.7, 1):.1f}" '
            f'height="{h:.1f}" fill="{BAR}"><title>{escape(tooltip)}</title></rect>'
        )
        points.append(f"{x + step / 2:.1f},{axis_y - plot_h * week[line_key] / line_top:.1f}")
        if i % every == 0:
            label = week["week_start"].strftime("%d/%m")
            half = _text_width(label, size) / 2
            centre = min(max(x + step / 2, half), WIDTH - half)  # the first and last stay inside the chart
            parts.append(f'<text x="{centre:.1f}" y="{axis_y + size + 4:.1f}" text-anchor="middle">{label}</text>')
    if points:
        parts.append(f'<polyline points="{" ".join(points)}" fill="none" stroke="{LINE}" stroke-width="2.5"/>')
    parts.append(
        f'<rect x="0" y="{legend_y - size * 0.8:.1f}" width="{size * 0.8:.1f}" height="{size * 0.8:.1f}" '
        f'fill="{BAR}"/><text x="{size * 1.2:.1f}" y="{legend_y:.1f}">{escape(legend[0])}</text>'
        f'<rect x="0" y="{legend_y + size * 0.9:.1f}" width="{size * 0.8:.1f}" height="3" fill="{LINE}"/>'
        f'<text x="{size * 1.2:.1f}" y="{legend_y + size * 1.4:.1f}">{escape(legend[1])}</text>'
    )
    parts.append("</svg>")
    return mark_safe("".join(parts))  # noqa: S308 - every text is escaped or a number
