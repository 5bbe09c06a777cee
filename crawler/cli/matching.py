"""Why a review is in its film, and how to correct it: ``famreel explain``, ``link``,
``unlink``.

Decisions are stored per review (``match_decisions``) and respected by every later merge,
``merge --full`` included. Exit status: ``explain`` of a URL the database does not hold is
"nothing found" (1, like ``show`` of an unknown film); ``link`` and ``unlink`` refuse an unknown
URL or film id, or a decision with nothing to act on, as bad input (2) and write nothing.
"""

from __future__ import annotations

import argparse
import json
import sys
from typing import Any
from urllib.parse import urlsplit, urlunsplit

from crawler.cli.common import EXIT_NOTHING, EXIT_OK, UsageError, database_session, db_option
from crawler.cli.output import fmt

URL_HELP = "the review's canonical URL, as famreel shows it (show, films --format json)"


def register(commands: Any) -> None:
    explain = commands.add_parser(
        "explain", help="show why a review is matched to its film",
        description="The films a review is weighed against, each with its score and the "
                    "evidence that decided (title similarity, year, runtime, MPAA rating, "
                    "people, IMDb id), the rules that ruled films out, and any manual "
                    "decision (link/unlink). A URL the database does not hold: exit 1.")
    explain.add_argument("url", metavar="REVIEW_URL", help=URL_HELP)
    explain.add_argument("--json", action="store_true", help="print one JSON object")
    db_option(explain)
    explain.set_defaults(handler=cmd_explain)

    link = commands.add_parser(
        "link", help="put a review into a film, for good",
        description="Store that REVIEW_URL reviews the same film as the other reviews of "
                    "FILM_ID and merge: the review joins that film now and in every later "
                    "merge (merge --full too), whatever the matcher thinks. Replaces any "
                    "earlier link or unlink of the review. Unknown URL or film: exit 2.")
    link.add_argument("url", metavar="REVIEW_URL", help=URL_HELP)
    link.add_argument("film_id", metavar="FILM_ID", type=int, help="film id (see search/films)")
    db_option(link)
    link.set_defaults(handler=cmd_link)

    unlink = commands.add_parser(
        "unlink", help="take a review out of its film, for good",
        description="Store that REVIEW_URL is not the film its film's other reviews describe "
                    "and merge: the review never shares a film with them again (merge --full "
                    "too); it joins another matching film or becomes a film of its own. "
                    "Replaces any earlier link or unlink of the review. Unknown URL: exit 2.")
    unlink.add_argument("url", metavar="REVIEW_URL", help=URL_HELP)
    db_option(unlink)
    unlink.set_defaults(handler=cmd_unlink)


def find_review(session: Any, url: str) -> Any:
    """The stored review for a URL as pasted: surrounding space, a query or a fragment, or the
    other trailing-slash convention forgiven (canonical URLs have none of them)."""
    from storage.matching_repo import review_by_url

    parts = urlsplit(url.strip())
    canonical = urlunsplit((parts.scheme, parts.netloc, parts.path, "", ""))
    other = canonical[:-1] if canonical.endswith("/") else canonical + "/"
    return review_by_url(session, canonical) or review_by_url(session, other)


def cmd_explain(args: argparse.Namespace) -> int:
    from aggregator.merge import explain

    with database_session(args.db) as session:
        review = find_review(session, args.url)
        if review is None:
            print(f"famreel: no review with URL {args.url.strip()}", file=sys.stderr)
            return EXIT_NOTHING
        report = explanation_json(explain(session, review))
    if args.json:
        print(json.dumps(report, ensure_ascii=False))
    else:
        print(format_explanation(report))
    return EXIT_OK


def explanation_json(explanation: Any) -> dict[str, Any]:
    from aggregator.matching import MATCH_THRESHOLD

    review = explanation.review
    return {
        "review": {"url": review.url, "site": review.site_name, "title": review.title,
                   "year": review.year, "runtime_minutes": review.runtime_minutes,
                   "mpaa_rating": review.mpaa_rating, "imdb_id": review.imdb_id,
                   "directors": review.directors or [], "cast": review.cast or []},
        "film_id": explanation.film_id,
        "chosen_film_id": explanation.chosen,
        "manual": {
            "linked_to": explanation.linked_to.url if explanation.linked_to else None,
            "apart_from": [r.url for r in explanation.apart_from],
        },
        "threshold": MATCH_THRESHOLD,
        "candidates": [
            {"film_id": c.film_id, "title": c.title, "year": c.year, "sites": c.sites,
             "score": None if c.decision.score is None else round(c.decision.score, 1),
             "verdict": c.verdict, "evidence": c.decision.evidence,
             "ruled_out": c.decision.ruled_out}
            for c in explanation.candidates
        ],
    }


def format_explanation(report: dict[str, Any]) -> str:
    review = report["review"]
    people = ", ".join(review["directors"]) or "-"
    lines = [
        f"review  {review['url']}  ({review['site']})",
        f"        {review['title']} ({fmt(review['year'])}), MPAA {fmt(review['mpaa_rating'])},"
        f" {fmt(review['runtime_minutes'])} min, IMDb {fmt(review['imdb_id'])},"
        f" directed by {people}",
        f"film    {fmt(report['film_id'])}"
        + ("" if report["chosen_film_id"] == report["film_id"]
           else f"  (a merge now would choose {fmt(report['chosen_film_id'])})"),
    ]
    manual = report["manual"]
    if manual["linked_to"]:
        lines.append(f"manual  linked to the film of {manual['linked_to']} (famreel link)")
    for url in manual["apart_from"]:
        lines.append(f"manual  never with {url} (famreel unlink)")
    lines += ["", f"candidates (a match needs {report['threshold']:g} points):"]
    if not report["candidates"]:
        lines.append("  none: no film shares a title word, a name or an IMDb id with it")
    for c in report["candidates"]:
        score = "-" if c["score"] is None else f"{c['score']:g}"
        lines.append(f"  film {c['film_id']:<6} {score:>6}  {c['verdict']:<28} "
                     f"{c['title']} ({fmt(c['year'])}) [{' '.join(c['sites']) or '-'}]")
        why = "; ".join(c["evidence"])
        if c["ruled_out"]:
            why = f"{why}; ruled out: {c['ruled_out']}" if why else f"ruled out: {c['ruled_out']}"
        lines.append(f"  {'':<13}{why}")
    return "\n".join(lines)


def cmd_link(args: argparse.Namespace) -> int:
    from storage.models import Film

    with database_session(args.db) as session:
        review = _review_or_fail(session, args.url)
        film = session.get(Film, args.film_id)
        if film is None:
            raise UsageError(f"no film with id {args.film_id}")
        others = sorted(r.id for r in film.reviews if r.id != review.id)
        if not others:
            raise UsageError(f"film {args.film_id} has no other review to link {review.url} to")
        film_id = _decide_and_merge(session, review, "link", others[:1])
    print(f"linked {review.url} to film {args.film_id}: it is in film {film_id}",
          file=sys.stderr)
    return EXIT_OK


def cmd_unlink(args: argparse.Namespace) -> int:
    from sqlalchemy import select

    from storage.models import Review

    with database_session(args.db) as session:
        review = _review_or_fail(session, args.url)
        old_film = review.film_id
        others = list(session.scalars(select(Review.id).where(
            Review.film_id == old_film, Review.id != review.id))) if old_film else []
        if not others:
            raise UsageError(f"{review.url} is the only review of its film: nothing to unlink")
        film_id = _decide_and_merge(session, review, "apart", others)
    print(f"unlinked {review.url} from film {old_film} ({len(others)} other reviews): "
          f"it is in film {film_id}", file=sys.stderr)
    return EXIT_OK


def _review_or_fail(session: Any, url: str) -> Any:
    review = find_review(session, url)
    if review is None:
        raise UsageError(f"no review with URL {url.strip()}")
    return review


def _decide_and_merge(session: Any, review: Any, kind: str, others: list[int]) -> int | None:
    """Store the decision, re-merge the review (the merge respects it), return its film."""
    from aggregator.merge import merge
    from storage.matching_repo import store_decision

    store_decision(session, review.id, kind, others)
    review.needs_merge = True
    merge(session)
    return review.film_id
