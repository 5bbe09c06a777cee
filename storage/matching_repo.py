"""What matching reads and writes: films' blocking keys, manual match decisions (parameterized,
in chunks that stay under every database's bind-parameter limit)."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping, Sequence
from typing import TypeVar

from sqlalchemy import delete, exists, func, insert, or_, select
from sqlalchemy.orm import Session, defer, selectinload

from storage.models import Film, FilmKey, MatchDecision, Review

CHUNK = 1000
T = TypeVar("T")


def _chunks(values: Iterable[T]) -> Iterator[list[T]]:
    values = list(values)
    for start in range(0, len(values), CHUNK):
        yield values[start:start + CHUNK]


def key_counts(session: Session, keys: Iterable[str]) -> dict[str, int]:
    """How many films hold each of ``keys`` (keys no film holds are left out)."""
    counts: dict[str, int] = {}
    for chunk in _chunks(set(keys)):
        counts.update(session.execute(
            select(FilmKey.key, func.count()).where(FilmKey.key.in_(chunk)).group_by(FilmKey.key)
        ).all())
    return counts


def key_postings(session: Session, keys: Iterable[str]) -> list[tuple[int, str, int | None]]:
    """(film id, key, film year) of every film holding one of ``keys``."""
    rows: list[tuple[int, str, int | None]] = []
    for chunk in _chunks(set(keys)):
        rows.extend(session.execute(
            select(FilmKey.film_id, FilmKey.key, FilmKey.year).where(FilmKey.key.in_(chunk))
        ).all())
    return rows


def replace_film_keys(session: Session,
                      keys_by_film: Mapping[int, tuple[Iterable[str], int | None]]) -> None:
    """Store each film's blocking keys (and year) in place of what it had."""
    for chunk in _chunks(keys_by_film):
        session.execute(delete(FilmKey).where(FilmKey.film_id.in_(chunk)))
    rows = [{"film_id": film_id, "key": key, "year": year}
            for film_id, (keys, year) in keys_by_film.items() for key in sorted(set(keys))]
    for start in range(0, len(rows), CHUNK):
        session.execute(insert(FilmKey), rows[start:start + CHUNK])


def unkeyed_film_ids(session: Session) -> list[int]:
    """Films without blocking keys: stored before keys existed (schema 0001) or by other tools."""
    return list(session.scalars(
        select(Film.id).where(~exists().where(FilmKey.film_id == Film.id))))


def film_count(session: Session) -> int:
    return session.scalar(select(func.count()).select_from(Film)) or 0


# what matching and consensus never read: left in the database while a merge loads films
UNMERGED_COLUMNS = (Review.text, Review.pros, Review.cons, Review.content_native,
                    Review.extra_ratings, Review.genres)


# Built once: constructing loader options costs more than a small query (a third of a merge's
# CPU when each pending review's lookup built them anew, py-spy on 10,000 films).
_MERGE_LOAD = selectinload(Film.reviews).options(*(defer(c) for c in UNMERGED_COLUMNS),
                                                 selectinload(Review.site))


def films_for_merge(session: Session, film_ids: Iterable[int]) -> list[Film]:
    """Films with their reviews (all a merge reads of them) and the reviews' sites."""
    films: list[Film] = []
    for chunk in _chunks(set(film_ids)):
        films.extend(session.scalars(select(Film).where(Film.id.in_(chunk)).options(_MERGE_LOAD)))
    return films


def review_by_url(session: Session, url: str) -> Review | None:
    return session.scalar(
        select(Review).where(Review.url == url).options(selectinload(Review.site))
    )


def decisions_about(session: Session, review_ids: Iterable[int]) -> list[MatchDecision]:
    """Every decision that names one of ``review_ids`` on either side."""
    found: dict[tuple[int, int], MatchDecision] = {}
    for chunk in _chunks(set(review_ids)):
        for decision in session.scalars(select(MatchDecision).where(or_(
            MatchDecision.review_id.in_(chunk), MatchDecision.other_review_id.in_(chunk)
        ))):
            found[(decision.review_id, decision.other_review_id)] = decision
    return list(found.values())


def linked_to(session: Session, review_ids: Iterable[int]) -> set[int]:
    """Reviews a person linked to one of ``review_ids`` (they follow it to its film)."""
    found: set[int] = set()
    for chunk in _chunks(set(review_ids)):
        found.update(session.scalars(select(MatchDecision.review_id).where(
            MatchDecision.kind == "link", MatchDecision.other_review_id.in_(chunk))))
    return found


def reviews_by_id(session: Session, review_ids: Iterable[int]) -> list[Review]:
    reviews: list[Review] = []
    for chunk in _chunks(set(review_ids)):
        reviews.extend(session.scalars(
            select(Review).where(Review.id.in_(chunk)).options(selectinload(Review.site))
        ))
    return reviews


def store_decision(session: Session, review_id: int, kind: str,
                   other_review_ids: Sequence[int]) -> None:
    """Replace what was decided about ``review_id`` by ``kind`` towards each other review."""
    session.execute(delete(MatchDecision).where(MatchDecision.review_id == review_id))
    session.add_all(MatchDecision(review_id=review_id, other_review_id=other, kind=kind)
                    for other in other_review_ids)
    session.flush()
