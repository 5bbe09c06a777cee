"""What matching reads and writes: films' blocking keys, manual match decisions (parameterized,
in chunks that stay under every database's bind-parameter limit)."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, TypeVar

from sqlalchemy import ColumnElement, Row, delete, exists, func, insert, or_, select
from sqlalchemy.orm import Session, selectinload

from storage.models import Film, FilmKey, MatchDecision, Review, Site

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


@dataclass(slots=True)
class MergeReview:
    """What matching and consensus read of a review: a plain row, not an ORM object (loading
    50,000 of these costs a third of what ORM ``Review`` objects cost, and nothing tracks them)."""

    id: int
    film_id: int | None
    site_name: str
    url: str
    title: str
    year: int | None
    mpaa_rating: str | None
    runtime_minutes: int | None
    imdb_id: str | None
    directors: list[Any]
    cast: list[Any]
    age_min: int | None
    quality: float | None
    content: dict[str, Any]
    parents_age: int | None
    kids_age: int | None
    verdict: str | None
    published: str | None


_MERGE_REVIEW = select(
    Review.id, Review.film_id, Site.name, Review.url, Review.title, Review.year,
    Review.mpaa_rating, Review.runtime_minutes, Review.imdb_id, Review.directors, Review.cast,
    Review.age_min, Review.quality, Review.content, Review.parents_age, Review.kids_age,
    Review.verdict, Review.published,
).join(Site, Site.id == Review.site_id)


def merge_reviews(session: Session, *where: ColumnElement[bool]) -> list[MergeReview]:
    return [MergeReview(*row) for row in session.execute(_MERGE_REVIEW.where(*where))]


def pending_reviews(session: Session) -> list[MergeReview]:
    """Reviews flagged ``needs_merge``."""
    return merge_reviews(session, Review.needs_merge)


def films_for_merge(session: Session, film_ids: Iterable[int]
                    ) -> list[tuple[Row[Any], list[MergeReview]]]:
    """Films (id, title, year, runtime, MPAA rating, IMDb id) with their reviews: all a merge
    reads of them."""
    films: list[tuple[Row[Any], list[MergeReview]]] = []
    for chunk in _chunks(set(film_ids)):
        members: dict[int, list[MergeReview]] = {film_id: [] for film_id in chunk}
        for review in merge_reviews(session, Review.film_id.in_(chunk)):
            members[review.film_id].append(review)  # type: ignore[index]
        films.extend((film, members[film.id]) for film in session.execute(
            select(Film.id, Film.title, Film.year, Film.runtime_minutes, Film.mpaa_rating,
                   Film.imdb_id).where(Film.id.in_(chunk))))
    return films


def review_by_url(session: Session, url: str) -> Review | None:
    return session.scalar(
        select(Review).where(Review.url == url).options(selectinload(Review.site))
    )


def film_of_review(session: Session, review_id: int) -> int | None:
    return session.scalar(select(Review.film_id).where(Review.id == review_id))


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


def reviews_by_id(session: Session, review_ids: Iterable[int]) -> list[MergeReview]:
    reviews: list[MergeReview] = []
    for chunk in _chunks(set(review_ids)):
        reviews.extend(merge_reviews(session, Review.id.in_(chunk)))
    return reviews


def store_decision(session: Session, review_id: int, kind: str,
                   other_review_ids: Sequence[int]) -> None:
    """Replace what was decided about ``review_id`` by ``kind`` towards each other review."""
    session.execute(delete(MatchDecision).where(MatchDecision.review_id == review_id))
    session.add_all(MatchDecision(review_id=review_id, other_review_id=other, kind=kind)
                    for other in other_review_ids)
    session.flush()
