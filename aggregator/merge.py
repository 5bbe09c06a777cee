"""Merge reviews into films: match every new or changed review, then recompute the consensus of
each film it touched -- in the caller's transaction, so a merge is never half-applied.

Incremental: only reviews flagged ``needs_merge`` are matched, and only against the films that
share a blocking key with them (``film_keys``), never against every film; ``full=True``
forgets every film and rebuilds them all from the reviews, with the same matching. Manual
decisions (``famreel link`` / ``unlink``, table ``match_decisions``) win over the matcher in
both: a linked review joins the film of the review it was linked to, a review kept apart from
another never shares its film.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any, Protocol

from sqlalchemy import bindparam, delete, update
from sqlalchemy.orm import Session

from aggregator.consensus import ReviewValues, compute
from aggregator.matching import (
    BlockIndex,
    Decision,
    Record,
    block_keys,
    combine,
    decide,
    record_from,
)
from aggregator.normalize import title_key
from storage.db import serialize_merges
from storage.matching_repo import (
    MergeReview,
    decisions_about,
    film_count,
    film_of_review,
    films_for_merge,
    key_counts,
    key_postings,
    linked_to,
    pending_reviews,
    replace_film_keys,
    reviews_by_id,
    unkeyed_film_ids,
)
from storage.models import Film, FilmKey, Review, utcnow

FILMS = Film.__table__
PLACE_REVIEW = (Review.__table__.update().where(Review.__table__.c.id == bindparam("review_id"))
                .values(film_id=bindparam("film_id"), needs_merge=False))


class MergeInput(ReviewValues, Protocol):
    """What a merge reads of a review: a ``MergeReview`` row, or the ORM ``Review`` that
    ``explain`` weighs."""

    id: int
    film_id: int | None
    directors: list[Any]
    cast: list[Any]


@dataclass
class MergeResult:
    reviews_merged: int = 0
    films_touched: int = 0
    films_created: int = 0
    films_removed: int = 0


def review_record(review: MergeInput) -> Record:
    return record_from(
        {"title": review.title, "year": review.year, "runtime_minutes": review.runtime_minutes,
         "mpaa_rating": review.mpaa_rating, "imdb_id": review.imdb_id,
         "directors": review.directors or [], "cast": review.cast or []},
        site=review.site_name,
    )


def stored_film_record(film: Any) -> Record:
    """A film's stored consensus as evidence (when all its reviews are being re-merged, a
    changed review still finds its own film)."""
    return record_from({"title": film.title, "year": film.year,
                        "runtime_minutes": film.runtime_minutes,
                        "mpaa_rating": film.mpaa_rating, "imdb_id": film.imdb_id})


@dataclass
class ManualDecisions:
    """``famreel link`` / ``unlink`` decisions about some reviews."""

    anchors: dict[int, int] = field(default_factory=dict)  # review -> the review it joins
    apart: dict[int, set[int]] = field(default_factory=lambda: defaultdict(set))

    @classmethod
    def load(cls, session: Session, review_ids: Iterable[int]) -> ManualDecisions:
        manual = cls()
        for decision in decisions_about(session, review_ids):
            if decision.kind == "link":
                manual.anchors[decision.review_id] = decision.other_review_id
            else:  # "apart" binds both reviews
                manual.apart[decision.review_id].add(decision.other_review_id)
                manual.apart[decision.other_review_id].add(decision.review_id)
        return manual

    def forbids(self, review_id: int, members: Iterable[int]) -> bool:
        apart = self.apart.get(review_id)
        return bool(apart) and not apart.isdisjoint(members)  # type: ignore[union-attr]


class FilmBook:
    """The films one merge works with: the stored films that share blocking keys with the
    pending reviews (read from ``film_keys``, never all films) and the films the merge creates
    (negative ids until they are stored), each with its settled members and its record."""

    def __init__(self, session: Session, pending: Sequence[MergeInput]) -> None:
        self.session = session
        self.pending = {review.id: review for review in pending}
        self.rows: dict[int, Any] = {}  # stored film id -> its row (id, title, year...)
        self.members: dict[int, list[MergeInput]] = {}
        self.records: dict[int, Record] = {}
        self.placed: dict[int, int] = {}  # pending review -> film id chosen in this merge
        self.touched: set[int] = set()
        self.index = BlockIndex(total=film_count(session))
        self.stored_counts: dict[str, int] = {}  # films holding each key of the reviews
        self._review_records: dict[int, Record] = {}
        self._next_new_id = -1

    def record_of(self, review: MergeInput) -> Record:
        if review.id not in self._review_records:
            self._review_records[review.id] = review_record(review)
        return self._review_records[review.id]

    def find_candidates(self, reviews: Sequence[MergeInput]) -> None:
        """Index the stored postings of the reviews' keys and load the films they rank best
        (a key on more than ``max_block`` films is too common to tell films apart)."""
        if not self.index.total:
            return
        records = [self.record_of(review) for review in reviews]
        keys = set().union(*(block_keys(record) for record in records))
        self.stored_counts = key_counts(self.session, keys)
        usable = [k for k, n in self.stored_counts.items() if n <= self.index.max_block]
        by_film: dict[int, tuple[set[str], int | None]] = {}
        for film_id, key, year in key_postings(self.session, usable):
            by_film.setdefault(film_id, (set(), year))[0].add(key)
        for film_id, (film_keys, year) in by_film.items():
            self.index.add_keys(film_id, film_keys, year)
        wanted = {film_id for record in records for film_id, _ in self.index.candidates(record)}
        self.load(wanted | {review.film_id for review in reviews if review.film_id})

    def load(self, film_ids: Iterable[int]) -> None:
        missing = [i for i in film_ids if i is not None and i > 0 and i not in self.rows]
        for film, members in films_for_merge(self.session, missing):
            self.rows[film.id] = film
            self.members[film.id] = [r for r in members if r.id not in self.pending]
            self._refresh(film.id)

    def candidates(self, record: Record) -> list[int]:
        found = [film_id for film_id, _ in self.index.candidates(record)]
        self.load(found)
        return [film_id for film_id in found if film_id in self.members]

    def film_of(self, review_id: int) -> int | None:
        """The film a review is in now (``None``: pending and not placed yet)."""
        if review_id in self.pending:
            return self.placed.get(review_id)
        film_id = film_of_review(self.session, review_id)
        self.load([film_id])
        return film_id if film_id in self.members else None

    def rarity(self, person_key: str) -> float:
        """A name shared with a film proves one film in as many as hold it (Tom Hanks on
        every Toy Story proves little; a one-film director, much)."""
        key = f"p:{person_key}"
        return 1.0 / max(1, self.index.size(key), self.stored_counts.get(key, 0))

    def member_ids(self, film_id: int) -> Iterator[int]:
        return (review.id for review in self.members[film_id])

    def join(self, film_id: int | None, review: MergeInput) -> int:
        """Put ``review`` into the film (a new film when ``film_id`` is ``None``)."""
        if film_id is None:
            film_id, self._next_new_id = self._next_new_id, self._next_new_id - 1
            self.members[film_id] = []
        if review.film_id is not None:
            self.touched.add(review.film_id)
        self.touched.add(film_id)
        self.members[film_id].append(review)
        self.placed[review.id] = film_id
        self._refresh(film_id)
        return film_id

    def _refresh(self, film_id: int) -> None:
        members = self.members[film_id]
        record = (combine([self.record_of(r) for r in members]) if members
                  else stored_film_record(self.rows[film_id]))
        self.records[film_id] = record
        self.index.add(film_id, record)

    def store(self, result: MergeResult) -> None:
        """Consensus of every touched film; new films inserted, emptied films removed, every
        review pointed at its film, the touched films' keys stored."""
        created: dict[int, dict[str, Any]] = {}
        changed: list[dict[str, Any]] = []
        emptied = []
        for film_id in sorted(self.touched):
            members = self.members.get(film_id)
            if not members:
                if film_id > 0:
                    emptied.append(film_id)
            elif film_id < 0:
                created[film_id] = film_values(members)
            else:
                changed.append({"id": film_id, **film_values(members)})
        real_id = {}
        if created:  # Core, not ORM: its bulk INSERT ... RETURNING took 7x as long
            real_id = dict(zip(created, self.session.connection().execute(
                FILMS.insert().returning(FILMS.c.id, sort_by_parameter_order=True),
                list(created.values())).scalars(), strict=True))
        if changed:
            self.session.execute(update(Film), changed)  # bulk UPDATE by primary key
        self.session.connection().execute(PLACE_REVIEW, [
            {"review_id": review_id, "film_id": real_id.get(film_id, film_id)}
            for review_id, film_id in self.placed.items()])
        replace_film_keys(self.session, {
            real_id.get(film_id, film_id): ((block_keys(self.records[film_id]),
                                             self.records[film_id].year)
                                            if self.members.get(film_id) else ((), None))
            for film_id in self.touched
        })
        if emptied:
            self.session.execute(delete(Film).where(Film.id.in_(emptied)))
        result.films_created += len(created)
        result.films_removed += len(emptied)
        result.films_touched = len(self.touched)


def _strength(review: MergeReview) -> tuple:
    """Strongest evidence first: records with an IMDb id, then with a year, place the films that
    year-less records (Parenting.com) then join."""
    return (review.imdb_id is None, review.year is None, review.published or "9999", review.url)


def _pending(session: Session) -> list[MergeReview]:
    """Reviews flagged for merging, and the reviews a person linked to them (they follow)."""
    pending = {review.id: review for review in pending_reviews(session)}
    followers = linked_to(session, pending) - pending.keys()
    while followers:
        for review in reviews_by_id(session, followers):
            pending[review.id] = review
        followers = linked_to(session, followers) - pending.keys()
    return sorted(pending.values(), key=_strength)


def best_film(review: MergeInput, book: FilmBook, manual: ManualDecisions) -> int | None:
    """The film the matcher puts ``review`` in (``None``: a film of its own); its current
    film wins while it still matches, so a changed review does not hop between equals."""
    record = book.record_of(review)
    current = review.film_id if review.film_id in book.members else None
    best: tuple[float, int] | None = None
    for film_id in dict.fromkeys([*([current] if current else []), *book.candidates(record)]):
        if not book.members[film_id] and film_id != current:
            continue  # a stored film whose reviews are all being re-merged: only they rejoin
        if manual.forbids(review.id, book.member_ids(film_id)):
            continue
        decision = decide(record, book.records[film_id], book.rarity)
        if not decision.matched:
            continue
        if film_id == current:
            return film_id
        if best is None or decision.score > best[0]:  # type: ignore[operator]
            best = (decision.score, film_id)  # type: ignore[assignment]
    return best[1] if best else None


def place_linked(linked: list[MergeInput], book: FilmBook, manual: ManualDecisions) -> None:
    """Each linked review joins the film of the review it follows, once that one has its film;
    links that only lead round in a circle are left to the matcher."""
    while linked:
        ready = [r for r in linked if book.film_of(manual.anchors[r.id]) is not None]
        if not ready:
            for review in linked:
                book.join(best_film(review, book, manual), review)
            return
        for review in ready:
            book.join(book.film_of(manual.anchors[review.id]), review)
        linked = [r for r in linked if r not in ready]


def index_unkeyed_films(session: Session) -> None:
    """Give blocking keys to films that have none, so new reviews can find them."""
    records = {film.id: combine([review_record(r) for r in members]) if members
               else stored_film_record(film)
               for film, members in films_for_merge(session, unkeyed_film_ids(session))}
    replace_film_keys(session, {film_id: (block_keys(record), record.year)
                                for film_id, record in records.items()})


def merge(session: Session, full: bool = False) -> MergeResult:
    serialize_merges(session)  # another process merging into the same films waits its turn
    result = MergeResult()
    if full:
        session.execute(update(Review).values(film_id=None, needs_merge=True))
        session.execute(delete(FilmKey))
        session.execute(delete(Film))
    else:
        index_unkeyed_films(session)
    pending = _pending(session)
    if not pending:
        return result
    manual = ManualDecisions.load(session, [review.id for review in pending])
    book = FilmBook(session, pending)
    book.find_candidates(pending)
    for review in pending:
        if review.id not in manual.anchors:
            book.join(best_film(review, book, manual), review)
    place_linked([review for review in pending if review.id in manual.anchors], book, manual)
    result.reviews_merged = len(pending)
    book.store(result)
    session.flush()
    session.expire_all()  # films and reviews the caller loaded were changed by bulk statements
    return result


@dataclass
class Candidate:
    """A film a review was weighed against, and the outcome."""

    film_id: int
    title: str
    year: int | None
    sites: list[str]
    decision: Decision
    verdict: str  # chosen / matched / below threshold / ruled out / kept apart (unlink)


@dataclass
class Explanation:
    review: Review
    film_id: int | None  # where the review is now
    chosen: int | None  # where a merge would put it now (None: a film of its own)
    linked_to: Review | None  # famreel link: the review it follows
    apart_from: list[MergeReview]  # famreel unlink: reviews it never shares a film with
    candidates: list[Candidate]


def explain(session: Session, review: Review) -> Explanation:
    """The films ``review`` is weighed against (its own film as if it were not in it), each
    with its score, the evidence that decided, and what the merge makes of it."""
    book = FilmBook(session, [review])
    book.find_candidates([review])
    manual = ManualDecisions.load(session, [review.id])
    anchor_id = manual.anchors.get(review.id)
    chosen = (book.film_of(anchor_id) if anchor_id is not None
              else best_film(review, book, manual))
    record = book.record_of(review)
    current = [review.film_id] if review.film_id in book.members else []
    candidates = []
    for film_id in dict.fromkeys([*current, *book.candidates(record)]):
        decision = decide(record, book.records[film_id], book.rarity)
        if film_id == chosen:
            verdict = "chosen (famreel link)" if anchor_id is not None else "chosen"
        elif manual.forbids(review.id, book.member_ids(film_id)):
            verdict = "kept apart (famreel unlink)"
        elif decision.score is None:
            verdict = "ruled out"
        else:
            verdict = "matched, lower score" if decision.matched else "below threshold"
        film = book.rows[film_id]
        candidates.append(Candidate(film_id, film.title, film.year,
                                    sorted({r.site_name for r in book.members[film_id]}),
                                    decision, verdict))
    candidates.sort(key=lambda c: (c.film_id != chosen, c.decision.score is None,
                                   -(c.decision.score or 0), c.film_id))
    return Explanation(
        review=review, film_id=review.film_id, chosen=chosen,
        linked_to=session.get(Review, anchor_id) if anchor_id is not None else None,
        apart_from=sorted((r for r in reviews_by_id(session, manual.apart.get(review.id, ()))),
                          key=lambda r: r.url),
        candidates=candidates,
    )


def film_values(reviews: Sequence[ReviewValues]) -> dict[str, Any]:
    """A film row's columns: the consensus of its reviews."""
    consensus = compute(reviews)
    return {
        "title": consensus.title, "title_key": title_key(consensus.title),
        "year": consensus.year, "mpaa_rating": consensus.mpaa_rating,
        "runtime_minutes": consensus.runtime_minutes, "imdb_id": consensus.imdb_id,
        "age": consensus.age, "quality": consensus.quality, **consensus.content,
        "parents_age": consensus.parents_age, "kids_age": consensus.kids_age,
        "by_site": consensus.by_site, "conflicts": consensus.conflicts,
        "source_count": consensus.source_count, "confidence": consensus.confidence,
        "updated_at": utcnow(),
    }
