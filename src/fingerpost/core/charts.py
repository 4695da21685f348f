"""Bar charts drawn on the server as SVG, always shown with a data table.

The chart is an image with a text alternative (`role="img"`, a title and a
description that says what it shows); the numbers themselves are in the
table beside it, which is what screen readers and copy-and-paste use. Bars
are drawn with presentation attributes only (no inline styles), so the
site's Content-Security-Policy needs no exception.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from xml.sax.saxutils import escape

from django.utils.safestring import SafeString, mark_safe

from .disclosure import Figure

# GOV.UK blue on white, and GOV.UK black text: both meet WCAG contrast.
BAR_COLOUR = "#1d70b8"
TEXT_COLOUR = "#0b0c0c"
WIDTH = 640
LABEL_WIDTH = 260
VALUE_WIDTH = 110
ROW_HEIGHT = 32
BAR_HEIGHT = 20
FONT_SIZE = 15


@dataclass(frozen=True)
class Chart:
    svg: SafeString
    title: str
    description: str


def bar_chart(*, figures: Sequence[Figure], title: str, description: str, chart_id: str) -> Chart:
    """A horizontal bar for each figure; a hidden figure gets no bar, only its words."""
    shown = [f.value for f in figures if f.value is not None]
    largest = max(shown, default=0) or 1
    bar_space = WIDTH - LABEL_WIDTH - VALUE_WIDTH
    height = ROW_HEIGHT * len(figures) + 8
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="fp-chart" role="img" '
        f'viewBox="0 0 {WIDTH} {height}" width="100%" preserveAspectRatio="xMinYMin meet" '
        f'aria-labelledby="{chart_id}-title {chart_id}-desc" focusable="false" '
        f'font-family="system-ui, -apple-system, Segoe UI, Roboto, Arial, sans-serif">',
        f'<title id="{chart_id}-title">{escape(title)}</title>',
        f'<desc id="{chart_id}-desc">{escape(description)}</desc>',
    ]
    for row, figure in enumerate(figures):
        y = row * ROW_HEIGHT + 4
        text_y = y + BAR_HEIGHT - 5
        label = figure.label if len(figure.label) <= 30 else figure.label[:29] + "…"
        parts.append(
            f'<text x="0" y="{text_y}" font-size="{FONT_SIZE}" fill="{TEXT_COLOUR}">'
            f"{escape(label)}</text>"
        )
        width = 0 if figure.value is None else round(bar_space * figure.value / largest)
        if width:
            parts.append(
                f'<rect x="{LABEL_WIDTH}" y="{y}" width="{width}" height="{BAR_HEIGHT}" '
                f'fill="{BAR_COLOUR}"/>'
            )
        parts.append(
            f'<text x="{LABEL_WIDTH + width + 6}" y="{text_y}" font-size="{FONT_SIZE}" '
            f'fill="{TEXT_COLOUR}">{escape(figure.text)}</text>'
        )
    parts.append("</svg>")
    return Chart(mark_safe("".join(parts)), title, description)  # noqa: S308 - every text is escaped
