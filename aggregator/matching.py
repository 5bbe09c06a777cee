"""Do two records describe the same film? Normalized keys, evidence, blocking, linkage.

A *record* is what matching knows about a film: one review, a film with what all its reviews
say, or a row of another catalogue. ``decide`` weighs the evidence that two records are one film
and says why; ``BlockIndex`` finds the few records worth comparing without scanning them all;
``link`` matches two whole collections one to one (clean-clean linkage, the API the merge and
``bench/matching.py`` share).

Scores are in title-similarity points: the rapidfuzz similarity of the closest titles (0-100),
plus or minus what year, runtime, MPAA rating and credited people add; ``MATCH_THRESHOLD`` and
above means "same film". Some evidence rules a pair out whatever the titles say: different IMDb
ids, different sequel numbers, years more than one apart, a site that already reviewed the film.
"""

from __future__ import annotations

import heapq
import math
import re
import time
import unicodedata
from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from rapidfuzz import fuzz, process

from aggregator.consensus import majority, median
from aggregator.normalize import clean, sequel_numbers, title_key

MATCH_THRESHOLD = 90.0
TITLE_FLOOR = 70.0  # below: "other titles": only a year and two shared people make one film
YEARLESS_TITLE_FLOOR = 92.0  # without a year on both sides a title must be near-identical...
YEARLESS_PEOPLE = 30.0  # ...unless someone credited on both sides (and on no other film) vouches
CONTAINED_TITLE = 85.0  # "Vengeance Most Fowl" = "Wallace & Gromit: Vengeance Most Fowl"
SUBTITLED_TITLE = 75.0  # "Norm of the North" + ": Keys to the Kingdom": a sequel, unless all agrees
UNTITLED_BASE = 60.0  # no title: one person credited on both sides (and nowhere else) matches
OTHER_TITLE_BASE = 50.0  # other titles (a translation?): a year and two shared people match
PERSON_POINTS = 30.0  # a person credited on both sides, named on no other record
PEOPLE_CAP = 60.0  # people add at most this much: a cast never outweighs a wrong year or title
CANDIDATES_PER_RECORD = 12  # per kind of key (titles, people)

# --- titles -----------------------------------------------------------------------------------

_ESCAPED = re.compile(r"u([0-9][0-9A-Fa-f]{3})")  # "Bu00E9atrice": an escape that lost its "\"
_LOST_CHAR = re.compile(r"(?<=\w)\?")  # "Micha?l": a letter an export could not encode
_SUFFIX = re.compile(
    r"\s*\((?:(?P<year>\d{4})(?:/[IVXL]+)?|(?:(?P<film_year>\d{4})\s+)?(?:film|movie)"
    r"|TV(?: series| film| movie)?|V|VG|mini)\)\s*$",
    re.I,
)
# articles that catalogues move behind the title ("Reptile, The", "Amor brujo, El")
_ARTICLES = ("the", "a", "an", "il", "lo", "la", "le", "les", "l'", "el", "los", "las", "gli",
             "die", "der", "das", "den", "det", "het", "de", "un", "una", "une", "o", "os")
_MOVED_ARTICLE = re.compile(rf"^(?P<title>.+?),\s*(?P<article>{'|'.join(_ARTICLES)})$", re.I)
_LEADING_ARTICLE = re.compile(rf"^(?:{'|'.join(a for a in _ARTICLES if a.isalpha())}) ")


def repair(text: str) -> str:
    """Undo the usual export damage: escapes that lost their backslash, UTF-8 read as
    Latin-1, "?" standing for a letter (dropped, as a side that lost the letter has it)."""
    text = _ESCAPED.sub(lambda m: chr(int(m.group(1), 16)), text)
    if "Ã" in text or "Â" in text:
        try:
            text = text.encode("latin-1").decode("utf-8")
        except UnicodeError:
            pass
    return _LOST_CHAR.sub("", text)


def split_suffixes(title: str) -> tuple[str, int | None]:
    """``Dogma (1999)``, ``Fire (1996/I) (TV)``, ``Serial (1980 film)`` -> title and year."""
    year = None
    while match := _SUFFIX.search(title):
        found = match.group("year") or match.group("film_year")
        if found and year is None:
            year = int(found)
        title = title[: match.start()]
    return title.strip(), year


@lru_cache(maxsize=65536)  # reviews of one film mostly print one title: a merge asks again
def match_titles(raw: str | None) -> tuple[tuple[str, ...], int | None]:
    """The comparison forms of a title and the year a suffix carried.

    On top of ``title_key`` (accents, case, punctuation, ``&``, roman sequel numbers): export
    damage repaired, catalogue suffixes split off, a moved article put back, a leading article
    dropped in any of the usual languages ("Reptile, The" = "The Reptile"). A title with letters
    outside ASCII gets a second form without them: the form a side that lost them has.
    """
    text = clean(repair(raw or "").replace("_", " "))
    if not text:
        return (), None
    text, year = split_suffixes(text)
    if match := _MOVED_ARTICLE.match(text):
        article = match.group("article")
        text = f"{article}{'' if article.endswith(chr(39)) else ' '}{match.group('title')}"
    forms = [text] if text.isascii() else [text, text.encode("ascii", "ignore").decode()]
    keys = (_LEADING_ARTICLE.sub("", title_key(form), count=1) for form in forms)
    return tuple(dict.fromkeys(key for key in keys if key)), year


def title_similarity(left: Sequence[str], right: Sequence[str]) -> float:
    """The best similarity of any two titles: plain ratio, word order ignored, or one title
    the end or the start of the other (a franchise name or a subtitle dropped)."""
    return max((_similarity(a, b) for a in left for b in right if a and b), default=0.0)


def _similarity(a: str, b: str) -> float:
    return max(fuzz.ratio(a, b), fuzz.token_sort_ratio(a, b), _contained(a, b))


def _contained(a: str, b: str) -> float:
    """"Vengeance Most Fowl" ends "Wallace & Gromit: Vengeance Most Fowl": the same film;
    "Norm of the North" starts "Norm of the North: Keys to the Kingdom": often its sequel."""
    short, long = sorted((a, b), key=len)
    if short == long or " " not in short:
        return 0.0
    if long.endswith(" " + short):
        return CONTAINED_TITLE
    return SUBTITLED_TITLE if long.startswith(short + " ") else 0.0


def sequels_differ(left: Sequence[str], right: Sequence[str]) -> bool:
    """"Toy Story 2" / "Toy Story 3", "Frozen" / "Frozen 2": no two titles agree on numbers."""
    numbers = {sequel_numbers(key) for key in left}
    other = {sequel_numbers(key) for key in right}
    return bool(numbers and other) and numbers.isdisjoint(other)


# --- people -----------------------------------------------------------------------------------

_CREDIT_NOTE = re.compile(r"\([^)]*\)|\b(?:story|screenplay|novel|writer|jr|sr)\b\.?:?", re.I)
_NAME_SEPARATORS = re.compile(r"<br\s*/?>|;|&|\s{2,}|\band\b", re.I)
_PARTICLES = {"de", "da", "di", "du", "del", "della", "der", "den", "van", "von", "la", "le",
              "el", "y", "bin", "ibn", "al", "ii", "iii", "iv"}
_UNDECOMPOSED = str.maketrans({"ı": "i", "ø": "o", "ł": "l", "đ": "d", "ð": "d", "þ": "th",
                               "æ": "ae", "œ": "oe", "ß": "ss"})


def _fold(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text.lower().translate(_UNDECOMPOSED))
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def _names(value: str) -> list[str]:
    """One credit string -> names: lists split, notes dropped, "Surname, Given" turned round."""
    names = []
    for part in _NAME_SEPARATORS.split(repair(value)):
        part = " ".join(_CREDIT_NOTE.sub(" ", part).split())
        pieces = [p.strip() for p in part.split(",") if p.strip()]
        if len(pieces) == 2 and len(pieces[0].split()) <= 3 and len(pieces[1].split()) <= 3:
            names.append(f"{pieces[1]} {pieces[0]}")  # IMDb's "Brosnan, Pierce"
        else:
            names.extend(pieces)
    return names


def _name_keys(words: list[str]) -> set[str]:
    """The keys of one name's words (see ``person_keys``)."""
    if len(words) == 1:
        return {words[0], f"{words[0]}/"}
    keys = {"=" + " ".join(sorted(words))} if len(words) <= 3 else set()
    run_together = len(words) > 3  # several names in one string: trust only the word before
    for position, word in enumerate(words[1:], start=1):
        if len(word) > 1 and word not in _PARTICLES:
            keys.update((word, f"{word}/{words[position - 1][0]}"))
            if not run_together:
                keys.add(f"{word}/{words[0][0]}")
    return keys


def person_keys(values: Iterable[str]) -> tuple[frozenset[str], ...]:
    """The keys of each credited person: every family-name word alone ("brosnan": weak,
    another Brosnan has it too) and with the initial of the given name or of the word before
    it ("brosnan/p": "Pierce Brendan Brosnan" = "Brosnan, Pierce"); a short name's words in any
    order ("=hyeon kim seong"); a one-word name whole ("arata/")."""
    return tuple(dict.fromkeys(person for value in values
                               for person in _credit_keys(value or "") if person))


@lru_cache(maxsize=65536)  # a director is credited on every site's review of the film
def _credit_keys(value: str) -> tuple[frozenset[str], ...]:
    """The keys of each person one credit string names (empty sets for names without letters)."""
    people = []
    for name in _names(value):
        keys: set[str] = set()
        for form in {name, name.encode("ascii", "ignore").decode()}:
            words = re.findall(r"[a-z0-9]+", _fold(form.replace("'", "")))
            if words:
                keys.update(_name_keys(words))
        people.append(frozenset(keys))
    return tuple(people)


def names_person(key: str) -> bool:
    """A key that names a person, not a family-name word alone."""
    return "/" in key or key.startswith("=")


Rarity = Callable[[str], float]


def every_name_telling(_key: str) -> float:
    """The rarity of a name when nothing is known about other records: fully telling."""
    return 1.0


def shared_people(left: Sequence[frozenset[str]], right: Sequence[frozenset[str]],
                  rarity: Rarity = every_name_telling) -> list[tuple[str, float]]:
    """People named on both sides, each counted once: (a shared key, its rarity), rarest
    first."""
    found = []
    used: set[int] = set()
    for person in left:
        best: tuple[str, float, int] | None = None
        for position, other in enumerate(right):
            if position in used:
                continue
            for key in person & other:
                if names_person(key) and (best is None or rarity(key) > best[1]):
                    best = (key, rarity(key), position)
        if best:
            used.add(best[2])
            found.append(best[:2])
    return sorted(found, key=lambda kv: -kv[1])


# --- records ----------------------------------------------------------------------------------

@dataclass(frozen=True)
class Record:
    """What matching compares. ``titles`` are ``match_titles`` forms (a film has several)."""

    titles: tuple[str, ...] = ()
    year: int | None = None
    runtime: float | None = None
    mpaa: str | None = None
    imdb_id: str | None = None
    directors: tuple[frozenset[str], ...] = ()  # person_keys of the directors
    people: tuple[frozenset[str], ...] = ()  # person_keys of directors and cast
    sites: frozenset[str] = frozenset()  # sites whose review is already part of this record


def record_from(values: Mapping[str, Any], site: str | None = None) -> Record:
    """A ``Record`` from a mapping with any of the keys ``title, year, runtime_minutes,
    mpaa_rating, directors, cast, imdb_id`` (people as lists of names); a year in a title
    suffix ("Dogma (1999)") counts when ``year`` is missing."""
    titles, suffix_year = match_titles(values.get("title"))
    directors = person_keys(values.get("directors") or ())
    year, runtime = values.get("year"), values.get("runtime_minutes")
    return Record(
        titles=titles,
        year=int(year) if year not in (None, "") else suffix_year,
        runtime=float(runtime) if runtime not in (None, "") else None,
        mpaa=values.get("mpaa_rating") or None,
        imdb_id=values.get("imdb_id") or None,
        directors=directors,
        people=tuple(dict.fromkeys(directors + person_keys(values.get("cast") or ()))),
        sites=frozenset([site]) if site else frozenset(),
    )


def combine(records: Sequence[Record]) -> Record:
    """One film's record from its members': every title, the majority year, MPAA rating and
    IMDb id (ties: the first record's), the median runtime, everyone credited."""
    return Record(
        titles=tuple(dict.fromkeys(t for r in records for t in r.titles)),
        year=majority([r.year for r in records]),
        runtime=median([r.runtime for r in records]),
        mpaa=majority([r.mpaa for r in records]),
        imdb_id=majority([r.imdb_id for r in records]),
        directors=tuple(dict.fromkeys(p for r in records for p in r.directors)),
        people=tuple(dict.fromkeys(p for r in records for p in r.people)),
        sites=frozenset(s for r in records for s in r.sites),
    )


# --- deciding ---------------------------------------------------------------------------------

@dataclass
class Decision:
    """A score with the evidence behind it; ``ruled_out`` names what forbids the pair (then
    ``score`` is ``None``)."""

    score: float | None
    evidence: list[str] = field(default_factory=list)
    ruled_out: str | None = None

    @property
    def matched(self) -> bool:
        return self.score is not None and self.score >= MATCH_THRESHOLD

    def add(self, points: float, why: str) -> None:
        assert self.score is not None
        self.score += points
        self.evidence.append(f"{why} {points:+g}")

    def rule_out(self, reason: str) -> Decision:
        self.score, self.ruled_out = None, reason
        return self


def decide(a: Record, b: Record, rarity: Rarity = every_name_telling,
           title_score: float | None = None) -> Decision:
    """Weigh the evidence that ``a`` and ``b`` are one film.

    ``rarity`` says how telling a shared name is (1: nobody else has it); a caller that scored
    the titles in bulk passes ``title_score``.
    """
    if reason := _ruled_out(a, b):
        return Decision(None, ruled_out=reason)
    if a.imdb_id and a.imdb_id == b.imdb_id and not a.sites & b.sites:
        return Decision(200.0, [f"same IMDb id {a.imdb_id}"])
    titled = bool(a.titles and b.titles)
    similarity = 0.0
    if titled:
        similarity = title_score if title_score is not None else title_similarity(a.titles,
                                                                                 b.titles)
        decision = (Decision(similarity, [f"title {similarity:.0f}"])
                    if similarity >= TITLE_FLOOR
                    else Decision(OTHER_TITLE_BASE, [f"other titles ({similarity:.0f})"]))
    else:
        decision = Decision(UNTITLED_BASE, ["no title to compare"])
    people = _add_people(decision, a, b, rarity)
    yearless = a.year is None or b.year is None
    if titled and similarity < TITLE_FLOOR and (yearless or people < 2 * PERSON_POINTS):
        return decision.rule_out(f"titles differ ({similarity:.0f})")
    if repeated := sorted(a.sites & b.sites):
        return decision.rule_out(f"{repeated[0]} already reviewed this film")
    if yearless and titled and similarity < YEARLESS_TITLE_FLOOR and people < YEARLESS_PEOPLE:
        return decision.rule_out(f"no year and titles not near-identical ({similarity:.0f})")
    if not yearless:
        same_year = a.year == b.year
        decision.add(10 if same_year else -5, "year =" if same_year else "year ±1")
    if a.runtime is not None and b.runtime is not None:
        gap = abs(a.runtime - b.runtime)
        if yearless and gap > 5:
            return decision.rule_out(f"no year and runtimes {gap:g} min apart")
        decision.add(8 if gap <= 3 else 3 if gap <= 6 else -8 if gap <= 15 else -25,
                     f"runtime Δ{gap:g}")
    if a.mpaa and b.mpaa and "NR" not in (a.mpaa, b.mpaa):
        if a.mpaa == b.mpaa:
            decision.add(4, "MPAA =")
        elif yearless:
            return decision.rule_out(f"no year and MPAA {a.mpaa} / {b.mpaa}")
        else:
            decision.add(-12, "MPAA differs")
    if a.directors and b.directors and not shared_people(a.directors, b.directors):
        decision.add(-25, "directors differ")  # same title and year, other directors: a remake
    return decision


def _ruled_out(a: Record, b: Record) -> str | None:
    if a.imdb_id and b.imdb_id and a.imdb_id != b.imdb_id:
        return f"IMDb ids differ ({a.imdb_id} / {b.imdb_id})"
    if a.year is not None and b.year is not None and abs(a.year - b.year) > 1:
        return f"years {a.year} / {b.year}"
    if a.titles and b.titles and sequels_differ(a.titles, b.titles):
        return "sequel numbers differ"
    return None


def _add_people(decision: Decision, a: Record, b: Record, rarity: Rarity) -> float:
    """Up to ``PERSON_POINTS`` for each person credited on both sides, as much as the name is
    rare; ``PEOPLE_CAP`` at most."""
    shared = shared_people(a.people, b.people, rarity)
    if not shared:
        return 0.0
    points = round(min(PEOPLE_CAP, sum(PERSON_POINTS * r for _, r in shared)), 1)
    names = ", ".join(key.split("/")[0].lstrip("=") for key, _ in shared[:3])
    decision.add(points, f"people = ({names})")
    return points


# --- blocking ---------------------------------------------------------------------------------

_STOPWORDS = {"and", "of", "the", "a", "an", "in", "on", "to", "for", "de", "la", "le", "el",
              "il", "les", "des", "der", "die", "das", "du", "di", "da", "y", "et", "und", "with",
              "at", "by", "from", "is", "my", "no"}


def block_keys(record: Record) -> frozenset[str]:
    """The keys a candidate must share: title words, the title without spaces ("spiderman" =
    "spider man"), the names of people, the IMDb id."""
    keys = {f"i:{record.imdb_id}"} if record.imdb_id else set()
    for title in record.titles:
        keys.add(f"w:{title.replace(' ', '')}")
        keys.update(f"t:{word}" for word in title.split() if word not in _STOPWORDS)
    keys.update(f"p:{key}" for person in record.people for key in person if names_person(key))
    return frozenset(keys)


class BlockIndex:
    """Records by blocking key, each key's records bucketed by year.

    ``candidates`` ranks the records that share keys with a query by the summed rarity
    (inverse document frequency) of the shared keys, separately for title and IMDb keys and
    for people (a wrong or missing title still finds its film through the people), and keeps
    the best of each. A query with a year meets only records of that year ±1 or of no year.
    Keys held by more than ``max_block`` records are skipped when the query has rarer ones
    (block purging). ``total`` is the size of the whole collection when the index holds only
    part of it (the keys a merge asked the database for).
    """

    def __init__(self, max_block: int = 400, total: int | None = None) -> None:
        self.max_block = max_block
        self.total = total
        self._postings: dict[str, dict[int | None, set[int]]] = defaultdict(
            lambda: defaultdict(set))
        self._sizes: dict[str, int] = defaultdict(int)
        self._members: dict[int, tuple[frozenset[str], int | None]] = {}

    def size(self, key: str) -> int:
        """How many records hold ``key``."""
        return self._sizes.get(key, 0)

    def add(self, ident: int, record: Record) -> None:
        self.add_keys(ident, block_keys(record), record.year)

    def add_keys(self, ident: int, keys: Iterable[str], year: int | None) -> None:
        """Index ``ident`` under ``keys`` (replacing what it was indexed under)."""
        old_keys, old_year = self._members.get(ident, (frozenset(), year))
        keys = frozenset(keys)
        if old_year != year:
            self.remove(ident)
            old_keys = frozenset()
        self._members[ident] = (keys, year)
        for key in old_keys - keys:
            self._postings[key][year].discard(ident)
            self._sizes[key] -= 1
        for key in keys - old_keys:
            self._postings[key][year].add(ident)
            self._sizes[key] += 1

    def remove(self, ident: int) -> None:
        keys, year = self._members.pop(ident, (set(), None))
        for key in keys:
            self._postings[key][year].discard(ident)
            self._sizes[key] -= 1

    def candidates(self, record: Record, limit: int = CANDIDATES_PER_RECORD
                   ) -> list[tuple[int, float]]:
        """(record id, summed key rarity) of the best candidates, best first."""
        keys = block_keys(record)
        found: dict[int, float] = {}
        for kind in ("wti", "p"):
            for ident, weight in self._rank([k for k in keys if k[0] in kind], record.year,
                                            limit):
                found[ident] = max(weight, found.get(ident, 0.0))
        return sorted(found.items(), key=_best_first)

    def _rank(self, keys: list[str], year: int | None, limit: int) -> list[tuple[int, float]]:
        sizes = self._sizes
        keys = sorted((k for k in keys if sizes.get(k)), key=sizes.__getitem__)
        keys = keys[:1] + [k for k in keys[1:] if sizes[k] <= self.max_block]
        total = self.total or len(self._members)
        years = None if year is None else (year - 1, year, year + 1, None)
        scores: dict[int, float] = defaultdict(float)
        for key in keys:
            weight = math.log(1 + total / sizes[key])
            buckets = self._postings[key]
            for members in (buckets.values() if years is None
                            else [buckets.get(bucket, ()) for bucket in years]):
                for ident in members:
                    scores[ident] += weight
        return heapq.nsmallest(limit, scores.items(), key=_best_first)


def _best_first(item: tuple[int, float]) -> tuple[float, int]:
    return -item[1], item[0]


# --- clean-clean linkage ----------------------------------------------------------------------

@dataclass
class LinkStats:
    """What a ``link`` run did: the candidate pairs it compared, time blocking and matching."""

    candidates: set[tuple[int, int]] = field(default_factory=set)
    blocking_seconds: float = 0.0
    matching_seconds: float = 0.0


def name_rarity(left: Iterable[Record], right: Iterable[Record]) -> Rarity:
    """How telling a shared name is between two collections: 1 / the most records either side
    credits it on (sharing a director of five films proves a fifth of a match)."""
    counts: tuple[dict[str, int], dict[str, int]] = (defaultdict(int), defaultdict(int))
    for side, records in zip(counts, (left, right), strict=True):
        for record in records:
            for key in {k for person in record.people for k in person}:
                side[key] += 1

    def rarity(key: str) -> float:
        return 1.0 / max(1, counts[0].get(key, 0), counts[1].get(key, 0))

    return rarity


def link(left: Sequence[Mapping[str, Any]], right: Sequence[Mapping[str, Any]],
         threshold: float = MATCH_THRESHOLD, stats: LinkStats | None = None
         ) -> list[tuple[int, int, float]]:
    """Match the records of ``left`` to those of ``right``, one to one.

    Each side is a sequence of mappings with any of the keys ``title, year, runtime_minutes,
    mpaa_rating, directors, cast, imdb_id`` (people as lists of names). Returns ``(left index,
    right index, score)`` for every matched pair, best first: candidates from a ``BlockIndex``
    of ``right``, scored by ``decide`` (titles in bulk in rapidfuzz's worker threads), then
    taken best score first, each record at most once (unique mapping).
    """
    stats = stats if stats is not None else LinkStats()
    started = time.perf_counter()
    left_records = [record_from(values) for values in left]
    right_records = [record_from(values) for values in right]
    index = BlockIndex()
    for ident, record in enumerate(right_records):
        index.add(ident, record)
    pairs = sorted({(i, j) for i, record in enumerate(left_records)
                    for j, _ in index.candidates(record)})
    stats.candidates = set(pairs)
    stats.blocking_seconds = time.perf_counter() - started

    started = time.perf_counter()
    similarities = _bulk_title_similarity(
        [left_records[i].titles for i, _ in pairs], [right_records[j].titles for _, j in pairs])
    rarity = name_rarity(left_records, right_records)
    scored = []
    for (i, j), similarity in zip(pairs, similarities, strict=True):
        decision = decide(left_records[i], right_records[j], rarity, similarity)
        if decision.score is not None and decision.score >= threshold:
            scored.append((decision.score, i, j))
    matches = one_to_one(scored)
    stats.matching_seconds = time.perf_counter() - started
    return matches


def _bulk_title_similarity(left: list[tuple[str, ...]], right: list[tuple[str, ...]]
                           ) -> list[float | None]:
    """``title_similarity`` of many pairs: pairs of single titles in rapidfuzz's worker threads
    (``process.cpdist``), the others one by one; ``None`` where a title is missing."""
    single = [i for i, (a, b) in enumerate(zip(left, right, strict=True))
              if len(a) == 1 and len(b) == 1]
    out: list[float | None] = [
        title_similarity(a, b) if a and b and not (len(a) == 1 and len(b) == 1) else None
        for a, b in zip(left, right, strict=True)
    ]
    if single:
        queries, choices = [left[i][0] for i in single], [right[i][0] for i in single]
        ratio = process.cpdist(queries, choices, scorer=fuzz.ratio, workers=-1)
        token_sort = process.cpdist(queries, choices, scorer=fuzz.token_sort_ratio, workers=-1)
        for i, query, choice, a, b in zip(single, queries, choices, ratio, token_sort,
                                          strict=True):
            out[i] = max(float(a), float(b), _contained(query, choice))
    return out


def one_to_one(scored: Iterable[tuple[float, int, int]]) -> list[tuple[int, int, float]]:
    """Unique mapping: (score, left, right) taken best first, each side's record once."""
    used_left: set[int] = set()
    used_right: set[int] = set()
    matches = []
    for score, i, j in sorted(scored, key=lambda s: (-s[0], s[1], s[2])):
        if i not in used_left and j not in used_right:
            used_left.add(i)
            used_right.add(j)
            matches.append((i, j, round(score, 2)))
    return matches
