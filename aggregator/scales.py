"""Every site's rating scale mapped into famreel's canonical model -- the one documented place.

Canonical model (``../shared/CONTRACT.md``):

* age      whole years (the minimum age a site recommends)
* quality  0-100
* content  0-5 per canonical category; ``violence sex language substances consumerism scariness``
           are "how much of it" (higher = more), ``positive_messages role_models`` are "how good"
           (higher = better).

A site parser stores what the page prints (``age_native``, ``quality_native``, ``content_native``
keyed by the site's own category names); ``normalize(site, ...)`` maps those here. A native value
outside the site's own scale raises ``ScaleError`` so the pipeline drops that one field with a
counted reason instead of storing an impossible number. Every mapping is monotonic in the native
value; the README repeats these tables.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

CONTENT_CATEGORIES: tuple[str, ...] = (
    "violence",
    "sex",
    "language",
    "substances",
    "consumerism",
    "scariness",
    "positive_messages",
    "role_models",
)
AGE_RANGE = (2, 18)  # whole years a family site can sensibly recommend
QUALITY_RANGE = (0.0, 100.0)
CONTENT_RANGE = (0.0, 5.0)


class ScaleError(ValueError):
    """A native value that the site's own scale cannot produce (e.g. 7 of 5 stars)."""

    def __init__(self, field_name: str, reason: str):
        super().__init__(f"{field_name}: {reason}")
        self.field = field_name
        self.reason = reason


def _number(value: Any, field_name: str) -> float:
    if isinstance(value, bool):
        raise ScaleError(field_name, f"not a number: {value!r}")
    if isinstance(value, (int, float)):
        if math.isnan(value):
            raise ScaleError(field_name, "not a number: nan")
        return float(value)
    match = re.search(r"-?\d+(?:\.\d+)?", str(value))
    if not match:
        raise ScaleError(field_name, f"not a number: {value!r}")
    return float(match.group())


def _in_range(value: float, low: float, high: float, field_name: str, unit: str = "") -> float:
    if not low <= value <= high:
        shown = int(value) if value == int(value) else value
        raise ScaleError(field_name, f"{shown}{unit} is outside {low:g}-{high:g}")
    return value


def age_years(value: Any, field_name: str = "age") -> int | None:
    """``"age 12+"``, ``"12+"``, ``12`` -> 12 (whole years, 2-18)."""
    if value is None or value == "":
        return None
    years = _number(value, field_name)
    if years != int(years):
        years = math.ceil(years)
    return int(_in_range(years, *AGE_RANGE, field_name, " years"))


def stars_to_quality(value: Any, out_of: int, field_name: str = "quality") -> float | None:
    """``n`` of ``out_of`` stars -> ``100 * n / out_of`` (Common Sense 3 of 5 -> 60)."""
    if value is None or value == "":
        return None
    stars = _in_range(_number(value, field_name), 0, out_of, field_name, " stars")
    return round(100.0 * stars / out_of, 2)


def level(value: Any, top: int, field_name: str) -> float:
    """A native 0..top level checked against its own range."""
    return _in_range(_number(value, field_name), 0, top, field_name)


@dataclass(frozen=True)
class SiteScale:
    """How one site's native values become canonical ones (each function may raise ScaleError)."""

    age: Callable[[Any], int | None] = age_years
    quality: Callable[[Any], float | None] = lambda value: None
    # native category -> (canonical category or None when kept but not canonical, native -> 0..5)
    content: Mapping[str, tuple[str | None, Callable[[Any], float]]] = field(default_factory=dict)


# --- commonsense -------------------------------------------------------------------------------
# Common Sense Media prints "age N+" (-> N), 1-5 stars (-> 20 x n) and a 0-5 dot grid per category,
# already on the canonical 0-5 scale: identity. "Violence & Scariness" is one Common Sense category
# and maps to violence only (CONTRACT.md); educational value and diverse representations are kept
# with the review (``extra_ratings``) but are not canonical categories.
def _csm_level(value: Any) -> float:
    return level(value, 5, "content")


COMMONSENSE = SiteScale(
    quality=lambda value: stars_to_quality(value, 5),
    content={
        "violence": ("violence", _csm_level),
        "sex": ("sex", _csm_level),
        "language": ("language", _csm_level),
        "drugs": ("substances", _csm_level),
        "consumerism": ("consumerism", _csm_level),
        "message": ("positive_messages", _csm_level),
        "role_model": ("role_models", _csm_level),
        "education": (None, _csm_level),
        "diversity": (None, _csm_level),
    },
)

# --- parenting ---------------------------------------------------------------------------------
# Parenting.com prints no age, no stars and no content levels: nothing to map. Its verdict lines
# ("What We Love" / "Hold on a Minute") are kept as text.
PARENTING = SiteScale(age=lambda value: None)

# --- pluggedin ---------------------------------------------------------------------------------
# (issue 3)

# --- kidsinmind --------------------------------------------------------------------------------
# Kids-In-Mind rates three categories with whole numbers 0-10 ("S.V.L": Sex & Nudity, Violence &
# Gore, Language) and prints no age and no quality score, so neither is mapped (no invented
# numbers). The 0-10 level is halved onto the canonical 0-5 (0 -> 0, 5 -> 2.5, 10 -> 5): linear,
# so monotonic, and both ends meet (KIM 0 "none" = canonical 0, KIM 10 = the worst = 5). Halves
# such as 2.5 are kept rather than rounded (KIM itself says its numbers are approximations, +-1).
# A fraction or a value above 10 cannot be a KIM level and raises ScaleError. Substance use,
# discussion topics and message are text only.
def _kim_level(value: Any) -> float:
    native = level(value, 10, "content")
    if native != int(native):
        raise ScaleError("content", f"{native:g} is not a whole Kids-In-Mind level")
    return native / 2


KIDSINMIND = SiteScale(
    age=lambda value: None,
    content={
        "sex": ("sex", _kim_level),
        "violence": ("violence", _kim_level),
        "language": ("language", _kim_level),
    },
)

# --- parentpreviews ----------------------------------------------------------------------------
# (issue 3)

# --- dove --------------------------------------------------------------------------------------
# (issue 3)

# --- movieguide --------------------------------------------------------------------------------
# (issue 3)

# --- imdb --------------------------------------------------------------------------------------
# (issue 3)

SCALES: dict[str, SiteScale] = {
    "commonsense": COMMONSENSE,
    "parenting": PARENTING,
    "kidsinmind": KIDSINMIND,
}


def scale_for(site: str) -> SiteScale:
    return SCALES.get(site, SiteScale())


def map_content(
    site: str, native: Mapping[str, Any]
) -> tuple[dict[str, float], dict[str, float], list[ScaleError]]:
    """Native grid -> (canonical 0-5 by category, kept non-canonical levels, errors).

    A category the site scale does not know is reported as an error, not guessed.
    """
    canonical: dict[str, float] = {}
    extra: dict[str, float] = {}
    errors: list[ScaleError] = []
    table = scale_for(site).content
    for key, value in native.items():
        if value is None or value == "":
            continue
        if key not in table:
            errors.append(ScaleError(f"content.{key}", f"unknown {site} category"))
            continue
        target, convert = table[key]
        try:
            mapped = convert(value)
        except ScaleError as exc:
            errors.append(ScaleError(f"content.{key}", exc.reason))
            continue
        if mapped is None:
            continue
        mapped = _in_range(float(mapped), *CONTENT_RANGE, f"content.{key}")
        if target is None:
            extra[key] = mapped
        elif target in canonical:
            # two native categories feeding one canonical one: keep the larger amount of content
            canonical[target] = max(canonical[target], mapped)
        else:
            canonical[target] = mapped
    return canonical, extra, errors
