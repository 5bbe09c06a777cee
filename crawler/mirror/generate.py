"""A large mirror for scale tests: ``famreel mirror generate --films N --out DIR``.

The films come from the public catalogs in ``../shared/data/catalogs/`` (see its SOURCES.txt):
Kids-In-Mind's catalogue (4,692 films with year, MPAA rating, runtime and genres) and Common
Sense Media's list of 11,761 real titles and slugs. The 42 bundled films (``films.json``) come
first, so remakes, sequels and the spelling variants of the bundled mirror stay in every
generated mirror; the rest is a seeded sample of the catalogs. Every site's renderer
(``crawler.mirror.render``) then decides on its own, by a hash of the film's key, whether the site
reviewed the film and what it says, so each film lands on a realistic subset of the sites, in the
same markup the parsers read, with the sites' listing pages, search index and robots.txt.

What the catalogs do not say is derived from a hash of the film's key, never random, so one seed
gives one mirror: a Common Sense title that Kids-In-Mind does not list gets its year from its slug
(``cinderella-2015``) or the hash, and a hashed MPAA rating, runtime and genre; three films in
five get a made-up, unique IMDb id (``tt9…``, outside the range of the bundled films) so IMDb lists
them.
"""

from __future__ import annotations

import csv
import hashlib
import importlib
import itertools
import json
import os
import random
import re
import shutil
import tempfile
from collections.abc import Iterator
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

from aggregator.normalize import title_key
from crawler.mirror.build import load_films
from crawler.mirror.render import renderers

CATALOGS = Path(__file__).resolve().parents[3] / "shared" / "data" / "catalogs"
KIM_CATALOG = "kim_movies_tiroger.csv"
CSM_CATALOG = "csm_movie_list_thedivtagguy.csv"
FILMS_FILE = "_films.json"  # the generated film list, beside the host folders
MPAA_RATINGS = ("G", "PG", "PG-13", "R", "NC-17", "NR")
# MPAA share of Common Sense titles that Kids-In-Mind does not list (hash % 100 below the bound)
_DERIVED_MPAA = ((8, "G"), (35, "PG"), (70, "PG-13"), (97, "R"), (100, "NR"))
IMDB_SHARE = 60  # percent of generated films with an IMDb id
# a genre for films the catalogs give none (sites such as Dove list reviews by genre only)
_DERIVED_GENRES = ("Drama", "Comedy", "Family", "Documentary", "Animation", "Adventure", "Action",
                   "Romance")
_RUNTIME_IN_TEXT = re.compile(r"\[(\d):(\d\d)\]")
_SLUG_YEAR = re.compile(r"-((?:19|20)\d\d)$")


class CatalogError(Exception):
    """The catalogs are missing or unreadable."""


def _hash(*parts: object) -> int:
    data = "\x1f".join(map(str, parts)).encode("utf-8")
    return int.from_bytes(hashlib.sha256(data).digest()[:8], "big")


def _slug(title: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", title_key(title)).strip("-")


def _mpaa(text: str) -> str | None:
    words = text.split()
    return next((w for w in words if w in MPAA_RATINGS), None)


def _runtime(row: dict[str, str]) -> int | None:
    try:
        minutes = round(float(row["run_time"]))
    except ValueError:
        match = _RUNTIME_IN_TEXT.search(row["movie_description"])
        minutes = int(match[1]) * 60 + int(match[2]) if match else 0
    return minutes or None


def kim_films(catalogs: Path) -> Iterator[dict]:
    """Kids-In-Mind's catalogue: real title, year, MPAA rating, runtime and genres."""
    with (catalogs / KIM_CATALOG).open(encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            title, year = row["movie_title"].strip(), row["movie_year"].strip()
            if not title or not year.isdigit() or not 1888 <= int(year) <= 2030:
                continue  # two rows carry typos ("20", "2070")
            named = (row["genre_1"], row["genre_2"], row["movie_genre"])
            genres = list(dict.fromkeys(g for g in named if g))
            yield {"title": title, "year": int(year), "mpaa": _mpaa(row["movie_rating"]),
                   "runtime": _runtime(row), "genres": genres[:2] or ["Drama"]}


def csm_films(catalogs: Path) -> Iterator[dict]:
    """Common Sense Media's titles; year, rating and runtime derived where the slug is silent."""
    with (catalogs / CSM_CATALOG).open(encoding="latin-1", newline="") as handle:
        for title, path in csv.reader(handle):
            title = title.strip()
            if not title or "[email" in title:  # a Cloudflare-obfuscated cell, not a title
                continue
            seed = _hash(title, "facts")
            slug_year = _SLUG_YEAR.search(path)
            share = seed % 100
            yield {
                "title": title,
                "year": int(slug_year[1]) if slug_year else 1985 + seed % 37,
                "mpaa": next(rating for bound, rating in _DERIVED_MPAA if share < bound),
                "runtime": 80 + (seed >> 8) % 61,
                "genres": [_DERIVED_GENRES[(seed >> 16) % len(_DERIVED_GENRES)]],
            }


def catalog_films(catalogs: Path = CATALOGS) -> list[dict]:
    """Every catalog film once: Kids-In-Mind's facts win over a Common Sense title of the same
    normalized title (any year); remakes in one catalog stay apart by year."""
    try:
        kim = list(kim_films(catalogs))
        known_titles = {title_key(f["title"]) for f in kim}
        csm = [f for f in csm_films(catalogs) if title_key(f["title"]) not in known_titles]
    except (OSError, UnicodeError, csv.Error, KeyError, ValueError) as exc:
        raise CatalogError(f"cannot read the catalogs in {catalogs}: {exc}") from None
    return kim + csm


def choose_films(count: int, seed: int = 0, catalogs: Path = CATALOGS) -> list[dict]:
    """``count`` films: the bundled ones first, then a seeded sample of the catalogs, each with a
    unique key and (for most) a unique IMDb id."""
    bundled = load_films()
    if count <= len(bundled):
        return bundled[:count]
    taken_keys = {f["key"] for f in bundled}
    taken_films = {(title_key(f["title"]), f["year"]) for f in bundled}
    taken_ids = {f["imdb_id"] for f in bundled if f.get("imdb_id")}
    pool = catalog_films(catalogs)
    random.Random(seed).shuffle(pool)
    chosen = list(bundled)
    for film in pool:
        if len(chosen) == count:
            break
        identity = (title_key(film["title"]), film["year"])
        if identity in taken_films or not identity[0]:
            continue
        key = _unique(_slug(film["title"]), film["year"], taken_keys)
        taken_films.add(identity)
        taken_keys.add(key)
        chosen.append({"key": key, **film, "directors": [], "cast": [],
                       "imdb_id": _imdb_id(key, taken_ids)})
    return chosen


def _unique(slug: str, year: int, taken: set[str]) -> str:
    numbered = (f"{slug}-{year}-{n}" for n in itertools.count(2))
    return next(key for key in itertools.chain((slug, f"{slug}-{year}"), numbered)
                if key not in taken)


def _imdb_id(key: str, taken: set[str]) -> str | None:
    if _hash(key, "imdb") % 100 >= IMDB_SHARE:
        return None
    number = 9_000_000 + _hash(key, "imdb-id") % 990_000
    while f"tt{number}" in taken:
        number += 1
    taken.add(f"tt{number}")
    return f"tt{number}"


def render_sites(films: list[dict], root: Path) -> None:
    """Every site's renderer over ``films``, one process per core (rendering 10,000 films is
    mostly page writing: the eight renderers run side by side)."""
    names = sorted({module.__name__ for module in renderers().values()})
    with ProcessPoolExecutor(max_workers=min(len(names), os.cpu_count() or 1)) as pool:
        for done in [pool.submit(_render_site, name, films, root) for name in names]:
            done.result()


def _render_site(module_name: str, films: list[dict], root: Path) -> None:
    importlib.import_module(module_name).build(films, root)


def generate(count: int, out: Path, seed: int = 0, catalogs: Path = CATALOGS) -> list[dict]:
    """Render a mirror of ``count`` films into the empty or missing folder ``out``.

    The pages are written into a temporary folder beside ``out`` that is renamed into place at
    the end, so an interrupted run leaves nothing half-written behind.
    """
    films = choose_films(count, seed, catalogs)
    out.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{out.name}-", dir=out.parent))
    try:
        render_sites(films, staging)
        (staging / FILMS_FILE).write_text(
            json.dumps({"seed": seed, "films": films}, ensure_ascii=False), "utf-8")
        if out.exists():
            out.rmdir()  # the caller checked that it is empty
        staging.rename(out)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    return films
