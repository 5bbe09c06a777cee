"""The film page's bar charts, one per content category: every site's value and the consensus
as horizontal bars on the 0-5 scale. Only geometry is computed here; the template draws the SVG
(so Jinja2 escapes every label)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from aggregator.scales import CONTENT_CATEGORIES, CONTENT_RANGE

SITE_LABELS = {
    "commonsense": "Common Sense Media",
    "parenting": "Parenting.com",
    "pluggedin": "Plugged In",
    "kidsinmind": "Kids-In-Mind",
    "parentpreviews": "Parent Previews",
    "dove": "Dove",
    "movieguide": "MovieGuide",
    "imdb": "IMDb Parents Guide",
}
CATEGORY_LABELS = {category: category.replace("_", " ").capitalize()
                   for category in CONTENT_CATEGORIES}
HIGHER_IS_BETTER = ("positive_messages", "role_models")

WIDTH = 400  # SVG user units; the chart scales to its box
BARS_LEFT, BARS_RIGHT = 150, 370  # where 0 and 5 sit
ROW_HEIGHT, BAR_HEIGHT, TOP, AXIS = 22, 14, 6, 18
ZERO_WIDTH = 2  # a level of 0 still shows as a sliver next to its "0"


@dataclass(frozen=True)
class Bar:
    site: str  # "consensus" for the consensus bar
    label: str
    value: float
    y: float
    width: float

    @property
    def text_y(self) -> float:
        """The baseline of the bar's label and value, centred on the bar."""
        return self.y + BAR_HEIGHT - 3

    @property
    def is_consensus(self) -> bool:
        return self.site == "consensus"


@dataclass(frozen=True)
class Chart:
    category: str
    label: str
    hint: str
    consensus: float | None
    bars: tuple[Bar, ...]
    height: float
    ticks: tuple[tuple[float, int], ...]  # (x, level) of each grid line

    width = WIDTH
    left = BARS_LEFT
    bar_height = BAR_HEIGHT

    @property
    def axis_y(self) -> float:
        return self.height - AXIS + 4

    @property
    def summary(self) -> str:
        """The chart in words (the SVG's accessible title)."""
        values = "; ".join(f"{bar.label} {bar.value:g}" for bar in self.bars)
        return f"{self.label} (0-5, {self.hint}): {values or 'no site rates it'}"


def site_label(site: str) -> str:
    return SITE_LABELS.get(site, site)


def _x(level: float) -> float:
    low, high = CONTENT_RANGE
    return BARS_LEFT + (level - low) / (high - low) * (BARS_RIGHT - BARS_LEFT)


def content_chart(category: str, block: dict[str, Any]) -> Chart:
    rows = [("consensus", "Consensus", block["consensus"])] if block["consensus"] is not None \
        else []
    rows += [(site, site_label(site), value) for site, value in block["by_site"].items()
             if value is not None]
    bars = tuple(
        Bar(site=site, label=label, value=float(value), y=TOP + i * ROW_HEIGHT,
            width=max(_x(float(value)) - BARS_LEFT, ZERO_WIDTH))
        for i, (site, label, value) in enumerate(rows)
    )
    low, high = (int(v) for v in CONTENT_RANGE)
    return Chart(
        category=category,
        label=CATEGORY_LABELS[category],
        hint="higher is better" if category in HIGHER_IS_BETTER else "higher is more of it",
        consensus=block["consensus"],
        bars=bars,
        height=TOP + max(len(bars), 1) * ROW_HEIGHT + AXIS,
        ticks=tuple((_x(level), level) for level in range(low, high + 1)),
    )


def content_charts(record: dict[str, Any]) -> list[Chart]:
    """One chart per canonical category of a film JSON record, in the canonical order."""
    return [content_chart(category, record["content"][category])
            for category in CONTENT_CATEGORIES]
