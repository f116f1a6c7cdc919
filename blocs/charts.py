"""Bar charts drawn on the server as SVG, for every app's pages (``templates/includes/bar_chart.html``).

No script and no style attribute (the CSP forbids both inline): the geometry is computed here and the
template writes it as SVG attributes. A chart is a list of labelled values; each bar's length is its value
over the chart's scale (the largest value, or a fixed ``maximum`` such as 100 for percentages). Every chart
is shown with the table of its values next to it: the SVG is ``role="img"`` with a title, and names that
table in ``aria-describedby`` (``table_id``), so a screen reader and a printout read the numbers themselves.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

WIDTH = 760  # px of the drawing (its viewBox); the page scales it down on a phone
ROW = 28  # px per bar
LABEL_WIDTH = 230  # px left of the bars for the label
VALUE_GAP = 6  # px between a bar's end and its value
BAR_SPACE = WIDTH - LABEL_WIDTH - 90  # px of the longest bar: the value's text fits after it
LABEL_CHARS = 34  # a longer label is cut with "…" (the table beside the chart has it whole)


@dataclass(frozen=True)
class ChartBar:
    """One bar: its label, its value as shown (``text``: "6/8", "82,5"), and where it is drawn."""

    label: str
    text: str
    y: int
    width: float

    @property
    def text_x(self) -> float:
        return LABEL_WIDTH + self.width + VALUE_GAP


@dataclass(frozen=True)
class BarChart:
    """A horizontal bar chart: ``key`` is its element id, ``title`` its caption and accessible name."""

    key: str
    title: str
    bars: tuple[ChartBar, ...]
    table_id: str = ""

    width = WIDTH
    label_width = LABEL_WIDTH

    @property
    def height(self) -> int:
        return len(self.bars) * ROW


def _short(label: str) -> str:
    return label if len(label) <= LABEL_CHARS else label[: LABEL_CHARS - 1].rstrip() + "…"


def bar_chart(
    *,
    key: str,
    title: str,
    items: Sequence[tuple[str, float, str]],
    maximum: float | None = None,
    table_id: str = "",
) -> BarChart:
    """A chart of ``items``, each ``(label, value, text)``: the bar of ``value`` over ``maximum`` (by
    default the largest value), labelled ``label`` and followed by ``text``. A negative value or a scale of
    zero draws no bar (the text still says the value)."""
    scale = maximum if maximum is not None else max((value for _label, value, _text in items), default=0)
    bars = []
    for index, (label, value, text) in enumerate(items):
        share = min(max(value / scale, 0.0), 1.0) if scale > 0 else 0.0
        bars.append(ChartBar(label=_short(label), text=text, y=index * ROW, width=round(share * BAR_SPACE, 1)))
    return BarChart(key=key, title=title, bars=tuple(bars), table_id=table_id)
