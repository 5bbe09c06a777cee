"""Do two records describe the same film? Title similarity (rapidfuzz) plus evidence.

A *record* is anything with the attributes of ``Evidence``: a review about to be merged, or a
film with what its reviews say. ``score`` returns ``None`` when the evidence rules the pair out
(different IMDb ids, different sequel numbers, years more than one apart, a site already counted)
and otherwise a number where ``MATCH_THRESHOLD`` and above means "same film".
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from rapidfuzz import fuzz, process

from aggregator.normalize import sequel_numbers, title_key

MATCH_THRESHOLD = 90.0
TITLE_CUTOFF = 85.0  # below this title similarity no evidence can make two films one
YEARLESS_TITLE_CUTOFF = 92.0  # a record without a year must have a near-identical title


@dataclass
class Evidence:
    title_keys: tuple[str, ...]
    year: int | None = None
    runtime: float | None = None
    mpaa: str | None = None
    imdb_id: str | None = None
    directors: frozenset[str] = frozenset()
    sites: frozenset[str] = frozenset()  # sites whose review is already part of this record
    urls: frozenset[str] = frozenset()


@dataclass
class Decision:
    score: float
    reasons: list[str] = field(default_factory=list)


def person_key(name: str) -> str:
    return title_key(name).replace(" ", "")


def title_similarity(left: Iterable[str], right: Iterable[str]) -> float:
    best = 0.0
    for a in left:
        for b in right:
            if not a or not b:
                continue
            best = max(best, fuzz.ratio(a, b), fuzz.token_sort_ratio(a, b))
    return best


def decide(review: Evidence, film: Evidence, site: str | None = None, url: str | None = None
           ) -> Decision | None:
    """Score a review against a film; ``None`` when they cannot be the same film."""
    if review.imdb_id and film.imdb_id:
        if review.imdb_id != film.imdb_id:
            return None
        return Decision(200.0, [f"same IMDb id {review.imdb_id}"])
    if site and site in film.sites and url not in film.urls:
        return None  # one site never contributes two reviews of one film
    if {sequel_numbers(k) for k in review.title_keys}.isdisjoint(
        {sequel_numbers(k) for k in film.title_keys}
    ):
        return None
    similarity = title_similarity(review.title_keys, film.title_keys)
    if similarity < TITLE_CUTOFF:
        return None
    decision = Decision(similarity, [f"title {similarity:.0f}"])
    yearless = review.year is None or film.year is None
    if not yearless:
        gap = abs(review.year - film.year)  # type: ignore[operator]
        if gap > 1:
            return None
        decision.score += 10 if gap == 0 else -5
        decision.reasons.append(f"year {'=' if gap == 0 else '±1'}")
    if review.runtime is not None and film.runtime is not None:
        gap = abs(review.runtime - film.runtime)
        if yearless and gap > 5:
            return None
        bonus = 8 if gap <= 3 else 3 if gap <= 6 else -8 if gap <= 15 else -25
        decision.score += bonus
        decision.reasons.append(f"runtime Δ{gap:g}")
    if review.mpaa and film.mpaa and "NR" not in (review.mpaa, film.mpaa):
        if review.mpaa != film.mpaa:
            if yearless:
                return None
            decision.score -= 12
            decision.reasons.append("MPAA differs")
        else:
            decision.score += 4
            decision.reasons.append("MPAA =")
    if review.directors and film.directors:
        if review.directors & film.directors:
            decision.score += 10
            decision.reasons.append("director =")
        else:
            decision.score -= 25  # same title and year, other directors: usually another film
            decision.reasons.append("directors differ")
    if yearless and similarity < YEARLESS_TITLE_CUTOFF:
        return None
    return decision


class FilmIndex:
    """Films held for matching, with a rapidfuzz title lookup over every title alias.

    Updating a film appends its new aliases and leaves the old ones as stale entries (skipped on
    lookup), so a merge that touches every film stays linear.
    """

    def __init__(self) -> None:
        self.films: dict[int, Evidence] = {}
        self._version: dict[int, int] = {}
        self._keys: list[str] = []
        self._owners: list[tuple[int, int]] = []

    def add(self, film_id: int, evidence: Evidence) -> None:
        version = self._version.get(film_id, 0) + 1
        self._version[film_id] = version
        self.films[film_id] = evidence
        for key in evidence.title_keys:
            self._keys.append(key)
            self._owners.append((film_id, version))

    def remove(self, film_id: int) -> None:
        self.films.pop(film_id, None)
        self._version[film_id] = self._version.get(film_id, 0) + 1

    def candidates(self, keys: Sequence[str], limit: int = 20) -> set[int]:
        found: set[int] = set()
        for key in keys:
            for _, _, position in process.extract(
                key, self._keys, scorer=fuzz.token_sort_ratio, score_cutoff=TITLE_CUTOFF,
                limit=limit * 4,
            ):
                film_id, version = self._owners[position]
                if self._version.get(film_id) == version:
                    found.add(film_id)
        return found

    def best(self, review: Evidence, site: str | None, url: str | None
             ) -> tuple[int, Decision] | None:
        best: tuple[int, Decision] | None = None
        for film_id in sorted(self.candidates(review.title_keys)):
            decision = decide(review, self.films[film_id], site, url)
            if decision is None or decision.score < MATCH_THRESHOLD:
                continue
            if best is None or decision.score > best[1].score:
                best = (film_id, decision)
        return best
