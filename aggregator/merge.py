"""Merge reviews into films: match every new or changed review, then recompute the consensus of
each film it touched -- in the caller's transaction, so a merge is never half-applied.

Only reviews flagged ``needs_merge`` are matched (incremental); ``full=True`` forgets every film
and rebuilds them all from the reviews.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from dataclasses import dataclass

from sqlalchemy import delete, select, update
from sqlalchemy.orm import Session, selectinload

from aggregator.consensus import compute, majority, median
from aggregator.matching import MATCH_THRESHOLD, Evidence, FilmIndex, decide, person_key
from aggregator.normalize import title_key
from storage.models import Film, Review, utcnow
from storage.repository import films_with_reviews

logger = logging.getLogger(__name__)


@dataclass
class MergeResult:
    reviews_merged: int = 0
    films_touched: int = 0
    films_created: int = 0
    films_removed: int = 0


def review_evidence(review: Review) -> Evidence:
    return Evidence(
        title_keys=(review.title_key,),
        year=review.year,
        runtime=review.runtime_minutes,
        mpaa=review.mpaa_rating,
        imdb_id=review.imdb_id,
        directors=frozenset(person_key(d) for d in review.directors or [] if d),
    )


def film_evidence(film: Film, reviews: Iterable[Review]) -> Evidence:
    """What a film's (settled) reviews say; a film whose reviews are all being re-merged keeps
    its stored consensus as evidence, so a changed review can find its own film again."""
    reviews = list(reviews)
    if not reviews:
        return Evidence(
            title_keys=(film.title_key,), year=film.year, runtime=film.runtime_minutes,
            mpaa=film.mpaa_rating, imdb_id=film.imdb_id,
        )
    keys = tuple(dict.fromkeys([film.title_key, *(r.title_key for r in reviews)]))
    return Evidence(
        title_keys=keys,
        year=majority([r.year for r in reviews]),
        runtime=median([r.runtime_minutes for r in reviews]),
        mpaa=majority([r.mpaa_rating for r in reviews]),
        imdb_id=majority([r.imdb_id for r in reviews]),
        directors=frozenset(person_key(d) for r in reviews for d in r.directors or [] if d),
        sites=frozenset(r.site_name for r in reviews),
        urls=frozenset(r.url for r in reviews),
    )


def _merge_order(review: Review) -> tuple:
    """Strongest evidence first: records with an IMDb id, then with a year, place the films that
    year-less records (Parenting.com) then join."""
    return (review.imdb_id is None, review.year is None, review.published or "9999", review.url)


def merge(session: Session, full: bool = False) -> MergeResult:
    result = MergeResult()
    if full:
        session.execute(update(Review).values(film_id=None, needs_merge=True))
        session.execute(delete(Film))
    pending = list(
        session.scalars(
            select(Review).where(Review.needs_merge).options(selectinload(Review.site))
        )
    )
    if not pending:
        return result
    pending.sort(key=_merge_order)
    pending_ids = {r.id for r in pending}

    index = FilmIndex()
    settled: dict[int, list[Review]] = {}
    films: dict[int, Film] = {}
    for film in films_with_reviews(session):
        films[film.id] = film
        settled[film.id] = [r for r in film.reviews if r.id not in pending_ids]
        index.add(film.id, film_evidence(film, settled[film.id]))

    touched: set[int] = set()
    for review in pending:
        evidence = review_evidence(review)
        site, url = review.site_name, review.url
        film_id = None
        if review.film_id in index.films:
            kept = decide(evidence, index.films[review.film_id], site, url)
            if kept is not None and kept.score >= MATCH_THRESHOLD:
                film_id = review.film_id
        if film_id is None:
            best = index.best(evidence, site, url)
            film_id = best[0] if best else None
        if film_id is None:
            film = Film(title=review.title, title_key=review.title_key, year=review.year,
                        by_site={}, conflicts=[], source_count=0)
            session.add(film)
            session.flush()
            films[film.id] = film
            settled[film.id] = []
            film_id = film.id
            result.films_created += 1
        if review.film_id is not None:
            touched.add(review.film_id)
        touched.add(film_id)
        review.film_id = film_id
        review.needs_merge = False
        settled[film_id].append(review)
        index.add(film_id, film_evidence(films[film_id], settled[film_id]))
        result.reviews_merged += 1

    session.flush()
    for film_id in sorted(touched):
        film = films.get(film_id) or session.get(Film, film_id)
        if film is None:
            continue
        members = list(session.scalars(
            select(Review).where(Review.film_id == film_id).options(selectinload(Review.site))
        ))
        if not members:
            session.delete(film)
            result.films_removed += 1
            continue
        apply_consensus(film, members)
    result.films_touched = len(touched)
    return result


def apply_consensus(film: Film, reviews: list[Review]) -> None:
    consensus = compute(reviews)
    film.title = consensus.title
    film.title_key = title_key(consensus.title)
    film.year = consensus.year
    film.mpaa_rating = consensus.mpaa_rating
    film.runtime_minutes = consensus.runtime_minutes
    film.imdb_id = consensus.imdb_id
    film.age = consensus.age
    film.quality = consensus.quality
    for category, value in consensus.content.items():
        setattr(film, category, value)
    film.parents_age = consensus.parents_age
    film.kids_age = consensus.kids_age
    film.by_site = consensus.by_site
    film.conflicts = consensus.conflicts
    film.source_count = consensus.source_count
    film.confidence = consensus.confidence
    film.updated_at = utcnow()
