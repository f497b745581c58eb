"""Charts drawn on the server as SVG: no script, no library to download, readable on a phone."""

from __future__ import annotations

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

BAR = "#1d4ed8"
LINE = "#b45309"
GRID = "#e5e7eb"
TEXT = "#374151"


def _num(value: float) -> str:
    return f"{value:,.0f}".replace(",", ".")


def bar_chart(items: list[tuple[str, float | None, str]], *, title: str, percent: bool) -> SafeString:
    """Horizontal bars, one per item (label, value, caption); values are shares (0..1) when ``percent``."""
    row, label_w, width = 22, 150, 600
    height = row * len(items) + 30
    top = max([v for _label, v, _c in items if v is not None] + [1.0 if percent else 1])
    parts = [
        f'<svg class="chart" viewBox="0 0 {width} {height}" width="100%" role="img" '
        f'aria-label="{escape(title)}" xmlns="http://www.w3.org/2000/svg" font-size="12" fill="{TEXT}">',
        f"<title>{escape(title)}</title>",
    ]
    span = width - label_w - 70
    for i, (label, value, caption) in enumerate(items):
        y = 10 + i * row
        short = label if len(label) <= 22 else label[:21] + "…"
        parts.append(f'<text x="{label_w - 6}" y="{y + 14}" text-anchor="end">{escape(short)}</text>')
        bar = 0 if value is None else max(1, round(span * value / top))
        parts.append(f'<rect x="{label_w}" y="{y + 3}" width="{bar}" height="{row - 8}" fill="{BAR}" rx="2"/>')
        parts.append(f'<text x="{label_w + bar + 4}" y="{y + 14}">{escape(caption)}</text>')
    parts.append("</svg>")
    return mark_safe("".join(parts))  # noqa: S308 - every label and caption is escaped above


def trend_chart(weeks: list[dict], *, title: str, bars_key: str, line_key: str, legend: tuple[str, str]) -> SafeString:
    """Weekly bars (new in the week) with a line (total to date) on its own scale."""
    width, height, left, bottom, top_pad = 640, 240, 48, 40, 24
    n = max(len(weeks), 1)
    plot_w, plot_h = width - left - 48, height - bottom - top_pad
    bar_top = max([w[bars_key] for w in weeks] + [1])
    line_top = max([w[line_key] for w in weeks] + [1])
    step = plot_w / n
    parts = [
        f'<svg class="chart" viewBox="0 0 {width} {height}" width="100%" role="img" aria-label="{escape(title)}" '
        f'xmlns="http://www.w3.org/2000/svg" font-size="11" fill="{TEXT}">',
        f"<title>{escape(title)}</title>",
    ]
    for k in range(5):
        y = top_pad + plot_h * k / 4
        parts.append(f'<line x1="{left}" x2="{left + plot_w}" y1="{y:.1f}" y2="{y:.1f}" stroke="{GRID}"/>')
        parts.append(f'<text x="{left - 4}" y="{y + 4:.1f}" text-anchor="end">{_num(bar_top * (4 - k) / 4)}</text>')
        parts.append(
            f'<text x="{left + plot_w + 4}" y="{y + 4:.1f}" fill="{LINE}">{_num(line_top * (4 - k) / 4)}</text>'
        )
    points = []
    for i, week in enumerate(weeks):
        x = left + i * step
        h = plot_h * week[bars_key] / bar_top
        parts.append(
            f'<rect x="{x + step * 0.15:.1f}" y="{top_pad + plot_h - h:.1f}" width="{step * 0.7:.1f}" '
            f'height="{h:.1f}" fill="{BAR}"><title>{escape(week["week_start"].strftime("%d/%m"))}: '
            f"{_num(week[bars_key])}</title></rect>"
        )
        points.append(f"{x + step / 2:.1f},{top_pad + plot_h - plot_h * week[line_key] / line_top:.1f}")
        if n <= 12 or i % max(1, n // 8) == 0:
            parts.append(
                f'<text x="{x + step / 2:.1f}" y="{height - bottom + 14}" text-anchor="middle">'
                f"{week['week_start'].strftime('%d/%m')}</text>"
            )
    if points:
        parts.append(f'<polyline points="{" ".join(points)}" fill="none" stroke="{LINE}" stroke-width="2.5"/>')
    parts.append(
        f'<rect x="{left}" y="{height - 16}" width="10" height="10" fill="{BAR}"/>'
        f'<text x="{left + 14}" y="{height - 7}">{escape(legend[0])}</text>'
        f'<rect x="{left + 260}" y="{height - 12}" width="14" height="3" fill="{LINE}"/>'
        f'<text x="{left + 278}" y="{height - 7}">{escape(legend[1])}</text>'
    )
    parts.append("</svg>")
    return mark_safe("".join(parts))  # noqa: S308 - every text is escaped or a number
