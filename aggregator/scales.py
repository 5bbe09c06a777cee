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


def four_bands(words: tuple[str, str, str, str], site_label: str,
               not_set: frozenset[str] = frozenset()) -> Callable[[Any], float | None]:
    """A converter for a site's four level words, read as the None / Mild / Moderate / Severe
    bands of the public cross-site tables and placed at each band's middle on the Common Sense
    reading of 0-5 (0 none, 1-2 a little, 3 some, 4-5 a lot): 0, 1.5, 3, 4.5 -- monotonic."""
    levels = dict(zip((w.lower() for w in words), (0.0, 1.5, 3.0, 4.5), strict=True))
    allowed = "/".join(words)

    def convert(value: Any) -> float | None:
        word = str(value).strip().lower()
        if word in not_set:
            return None
        if word not in levels:
            raise ScaleError("content", f"{value!r} is not a {site_label} level ({allowed})")
        return levels[word]

    return convert


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
# Plugged In gives no score and no age (prose sections only): neither is mapped. Its "Content
# Caution" box prints a level word for up to three categories, keyed as printed: "Sexual Content"
# -> sex, "Violence" -> violence, "Language" -> language. The level words are not documented by any
# source; assumed to be the small ordered vocabulary None / Light / Moderate / Heavy (the 2024-2025
# markup shows one word per category, "–" when not set). They are read as the None / Mild /
# Moderate / Severe bands of the public cross-site tables and placed, like MovieGuide's and IMDb's
# words, at each band's middle on the Common Sense reading of 0-5: None 0, Light 1.5, Moderate 3,
# Heavy 4.5 (monotonic). "–" (not set) maps to nothing; any other word raises ScaleError.
_pluggedin_level = four_bands(("None", "Light", "Moderate", "Heavy"), "Plugged In caution",
                              not_set=frozenset({"–", "-", "—"}))


PLUGGEDIN = SiteScale(
    age=lambda value: None,
    content={
        "Sexual Content": ("sex", _pluggedin_level),
        "Violence": ("violence", _pluggedin_level),
        "Language": ("language", _pluggedin_level),
    },
)

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
# Parent Previews grades like a report card: per content category A (none of it) ... D (heavy), with
# +/- steps, A+ the cleanest and D- the heaviest (12 steps). The four letters are the None / Mild /
# Moderate / Severe bands the public scrapers read, placed on the canonical 0-5 scale as Common
# Sense uses it (0 none, 1-2 a little, 3 some, 4-5 a lot), half a point per step inside a band:
#   A+ 0   A 0.25  A- 0.5 | B+ 1   B 1.5  B- 2 | C+ 2.5  C 3  C- 3.5 | D+ 4  D 4.5  D- 5
# Each step down the report card adds content, so the mapping is monotonic; the A band is narrower
# because "A" already means none. F and other letters are not content grades: ScaleError.
# The Overall grade is the reviewers' judgement of the film's merit and content together (not an
# average of the categories, parentpreviews.com/company/making-the-grades): the site's one verdict
# on the film, so it is its quality, read the way a report-card grade is read, through the US
# grade points (A+ 4.3, A 4.0, A- 3.7 ... D- 0.7, F 0) x 100 / 4.3: A+ 100, A 93.02, B 69.77,
# C 46.51, D 23.26, F 0 (monotonic). No age recommendation (the site's FAQ declines to give one).
PARENTPREVIEWS_CONTENT_LEVELS = {
    "A+": 0.0, "A": 0.25, "A-": 0.5,
    "B+": 1.0, "B": 1.5, "B-": 2.0,
    "C+": 2.5, "C": 3.0, "C-": 3.5,
    "D+": 4.0, "D": 4.5, "D-": 5.0,
}  # fmt: skip
PARENTPREVIEWS_GRADE_POINTS = {
    "A+": 4.3, "A": 4.0, "A-": 3.7,
    "B+": 3.3, "B": 3.0, "B-": 2.7,
    "C+": 2.3, "C": 2.0, "C-": 1.7,
    "D+": 1.3, "D": 1.0, "D-": 0.7,
    "F": 0.0,
}  # fmt: skip


def _pp_grade(value: Any, table: Mapping[str, float], field_name: str) -> float:
    """A printed letter grade ("B+", "b -", "C\u2212") looked up in one of the tables above."""
    grade = re.sub(r"\s+", "", str(value)).upper().replace("\u2212", "-").replace("\u2013", "-")
    if grade not in table:
        raise ScaleError(field_name, f"{value!r} is not a Parent Previews {field_name} grade")
    return table[grade]


def _pp_quality(value: Any) -> float | None:
    if value is None or value == "":
        return None
    points = _pp_grade(value, PARENTPREVIEWS_GRADE_POINTS, "quality")
    return round(100.0 * points / PARENTPREVIEWS_GRADE_POINTS["A+"], 2)


def _pp_level(value: Any) -> float:
    return _pp_grade(value, PARENTPREVIEWS_CONTENT_LEVELS, "content")


PARENTPREVIEWS = SiteScale(
    age=lambda value: None,
    quality=_pp_quality,
    # keys: the site's category names (parser: crawler/sites/parentpreviews.py); "Language" and
    # "Alcohol / Drug Use" are older labels of profanity and substance_use, the substance grade is
    # not on every review, and "Sexual Violence" (a few pages) goes to sex as the scrapers file it.
    content={
        "violence": ("violence", _pp_level),
        "sexual_content": ("sex", _pp_level),
        "sexual_violence": ("sex", _pp_level),
        "profanity": ("language", _pp_level),
        "substance_use": ("substances", _pp_level),
    },
)

# --- dove --------------------------------------------------------------------------------------
# Dove.org rates eight categories 0-5, already the canonical 0-5 scale: identity, checked against
# 0-5 (monotonic). Keys are Dove's own ``data-criteria`` names. Cautionary (higher = more):
# sex -> sex, language -> language, violence -> violence, drugs -> substances, and nudity -> sex
# too (nudity is sexual content in the canonical model; ``map_content`` keeps the larger of the
# two). "other" (crude humour, frightening scenes, disrespect) fits no single canonical category:
# kept, not canonical. Positive (higher = better): integrity (honesty, courage, virtue the
# characters show) -> role_models; faith measures how much Christian faith content a film has,
# not how good its message is (a secular film with a fine message scores 0), so it is kept, not
# canonical. Dove prints no quality score: none is mapped.
# Age = the seal. "All Ages" (no cautionary level above 1) -> 2, the lowest canonical age; "Ages
# 12+" -> 12; "Ages 18+" -> 18; a seal without an age ("Dove Reviewed" = reviewed but no seal,
# older "Faith-Friendly") -> None. Stricter seals never give lower ages (monotonic); an age Dove
# never awards (e.g. "7+") is impossible -> ScaleError.
DOVE_SEAL_AGES = (12, 18)


def _dove_seal_age(value: Any) -> int | None:
    if value is None or value == "":
        return None
    text = str(value)
    if re.search(r"\ball\s+ages\b", text, re.IGNORECASE):
        return AGE_RANGE[0]
    if not re.search(r"\d", text):
        return None
    years = age_years(text)
    if years not in DOVE_SEAL_AGES:
        raise ScaleError("age", f"{years}+ is not a Dove seal (All Ages, 12+, 18+)")
    return years


def _dove_level(value: Any) -> float:
    return level(value, 5, "content")


DOVE = SiteScale(
    age=_dove_seal_age,
    content={
        "sex": ("sex", _dove_level),
        "nudity": ("sex", _dove_level),
        "language": ("language", _dove_level),
        "violence": ("violence", _dove_level),
        "drugs": ("substances", _dove_level),
        "other": (None, _dove_level),
        "integrity": ("role_models", _dove_level),
        "faith": (None, _dove_level),
    },
)

# --- movieguide --------------------------------------------------------------------------------
# MovieGuide (movieguide.org/what-the-ratings-mean) prints no age recommendation (its "Audience"
# line is prose such as "Older children and adults"): age is not mapped.
# Quality: 1-4 stars (Poor, Fair, Good, Excellent) -> 25 x n (1 -> 25 ... 4 -> 100, monotonic);
# MovieGuide has no 0-star rating, so 0 is as impossible as 5.
# Content table: one of None / Light / Moderate / Heavy per row. These are the None / Mild /
# Moderate / Severe bands of the public cross-site tables, placed like IMDb's words at each band's
# middle on the Common Sense reading of 0-5: None 0, Light 1.5, Moderate 3, Heavy 4.5 (monotonic).
# Keys are the parser's names of MovieGuide's rows (crawler/sites/movieguide.py): language
# ("Language" / "Foul Language") -> language, violence -> violence, sex and nudity -> sex, alcohol
# ("Alcohol Use") and smoking_drugs ("Smoking and/or Drug Use and Abuse") -> substances
# (``map_content`` keeps the larger of two feeding one category); immorality ("Miscellaneous
# Immorality": lying, stealing, rebellion) fits no canonical category: kept, not canonical.
# Acceptability (+4 Exemplary, +3 Moral, +2 Good, +1 Worthwhile, -1 Caution, -2 Extreme Caution,
# -3 Excessive, -4 Abhorrent; there is no 0) is MovieGuide's moral verdict, not a content amount
# and not quality: kept, not canonical, placed linearly on 0-5 with higher = more acceptable,
# (n + 4) x 5 / 8: -4 -> 0, -1 -> 1.88, +1 -> 3.13, +4 -> 5 (monotonic; above 2.5 = a "+" rating).
# The parser stores it as printed ("+3", "-2 Extreme Caution"); 0, fractions and values beyond 4
# are impossible.
_movieguide_level = four_bands(("None", "Light", "Moderate", "Heavy"), "MovieGuide")


def _movieguide_acceptability(value: Any) -> float:
    rating = _in_range(_number(value, "content"), -4, 4, "content")
    if rating == 0 or rating != int(rating):
        raise ScaleError("content", f"{value!r} is not a MovieGuide acceptability (+4..+1, -1..-4)")
    return round((rating + 4) * 5 / 8, 2)


def _movieguide_quality(value: Any) -> float | None:
    if value is None or value == "":
        return None
    _in_range(_number(value, "quality"), 1, 4, "quality", " stars")
    return stars_to_quality(value, 4)


MOVIEGUIDE = SiteScale(
    age=lambda value: None,
    quality=_movieguide_quality,
    content={
        "language": ("language", _movieguide_level),
        "violence": ("violence", _movieguide_level),
        "sex": ("sex", _movieguide_level),
        "nudity": ("sex", _movieguide_level),
        "alcohol": ("substances", _movieguide_level),
        "smoking_drugs": ("substances", _movieguide_level),
        "immorality": (None, _movieguide_level),
        "acceptability": (None, _movieguide_acceptability),
    },
)

# --- imdb --------------------------------------------------------------------------------------
# IMDb's Parents Guide shows the community's vote per category as one of four words (None, Mild,
# Moderate, Severe). They are the None / Mild / Moderate / Severe bands of the public cross-site
# tables, placed on the canonical 0-5 scale as Common Sense uses it (0 none, 1-2 a little, 3 some,
# 4-5 a lot) at each band's middle: None 0, Mild 1.5, Moderate 3, Severe 4.5 (monotonic; the same
# band points as Parent Previews' A / B / C / D). Keys are IMDb's own category anchors (#nudity...,
# GraphQL ids NUDITY...): nudity ("Sex & Nudity") -> sex, violence ("Violence & Gore") ->
# violence, profanity -> language, alcohol ("Alcohol, Drugs & Smoking") -> substances,
# frightening ("Frightening & Intense Scenes") -> scariness. Any other word is not an IMDb
# severity: ScaleError. IMDb prints no age recommendation and no quality score for a guide.
_imdb_level = four_bands(("None", "Mild", "Moderate", "Severe"), "IMDb severity")


IMDB = SiteScale(
    age=lambda value: None,
    content={
        "nudity": ("sex", _imdb_level),
        "violence": ("violence", _imdb_level),
        "profanity": ("language", _imdb_level),
        "alcohol": ("substances", _imdb_level),
        "frightening": ("scariness", _imdb_level),
    },
)

SCALES: dict[str, SiteScale] = {
    "commonsense": COMMONSENSE,
    "parenting": PARENTING,
    "pluggedin": PLUGGEDIN,
    "dove": DOVE,
    "parentpreviews": PARENTPREVIEWS,
    "kidsinmind": KIDSINMIND,
    "imdb": IMDB,
    "movieguide": MOVIEGUIDE,
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
