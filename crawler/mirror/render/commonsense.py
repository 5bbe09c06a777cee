"""Common Sense Media mirror pages (``www.commonsensemedia.org``) in the site's real markup.

Pages written by ``build``:

* ``/movie-reviews/<slug>`` -- one review per covered film, in the current theme (2022-2026:
  JSON-LD ``@graph``, ``drupal-settings-json`` with ``amplitude_props``) or in the Drupal-7 theme
  (<= 2021: bare JSON-LD, GA data-layer variables, panel panes), plus "coming soon" pages;
* ``/movie-reviews`` -- the 2025 browse shell: ``div[data-url][data-filter]`` sections whose
  Drupal AJAX command lists (``/ajax/reviews/...?ajax_page_state[libraries]=...``) are written too;
* ``/movie-reviews?page=N`` -- the 2021 paged listing (``div.views-row`` + Drupal pager) of every
  review, so a full crawl reaches all of them (the shell's sections are curated and unpaged);
* ``robots.txt`` and ``_index.json`` (the titles the mirror's search answers from).

The search page ``/search/category/movie/<query>`` (also ``/search/<query>``) is rendered on
request by ``render_search``. Its AJAX twin ``/ajax/search/<query>`` is not served by the mirror
(``search_query`` returns None for it, because ``render_search`` only receives the query and
could not tell the two forms apart); ``render_ajax_search`` renders that form for tests.

Judgement values live in ``commonsense_data.json`` (keys of films.json); a film without an entry
gets values derived from a hash of its key, so ``build`` stays deterministic for any catalog.
"""

from __future__ import annotations

import hashlib
import json
import re
import unicodedata
from dataclasses import dataclass, field
from datetime import date, timedelta
from html import escape
from pathlib import Path
from typing import Any
from urllib.parse import quote, unquote, urlencode

from crawler.mirror.paths import INDEX_FILE, write_page

HOSTS: tuple[str, ...] = ("www.commonsensemedia.org",)
HOST = HOSTS[0]
SITE = f"https://{HOST}"
DATA = json.loads(Path(__file__).with_name("commonsense_data.json").read_text("utf-8"))

LISTING_PAGE_SIZE = 20  # assumed: the 2021 views listing's page length is not documented
# ``ajaxPageState.libraries`` of the browse shell: an opaque token the AJAX URLs must echo.
LIBRARIES = "eJyVk22SwiAMhi9k7JE6KU0pIyQdktrx9stUXVftWvzDTMjzhpAPJykJt0qs1LjVOAU7"
SHELL_SECTION_SIZE = 12
POSTER = SITE + "/sites/default/files/styles/ratio_2_3_large/public/product-images/csm-movie/{}.jpg"
REVIEWERS = (  # fictional critics for the written-for-famreel reviews
    "Renee Longstreet",
    "Tom Cassidy",
    "Marta Ybarra",
    "Jeff Haller",
    "Lena Ortiz",
    "Paul Trandahl",
    "Grace Whitcomb",
    "Dev Raman",
)
GRID_KEYS = (  # display order of the grid; native keys (amplitude_props suffixes)
    "education",
    "message",
    "role_model",
    "diversity",
    "violence",
    "sex",
    "language",
    "consumerism",
    "drugs",
)
GRID_LABELS = {
    "education": "Educational Value",
    "message": "Positive Messages",
    "role_model": "Positive Role Models",
    "diversity": "Diverse Representations",
    "violence": "Violence & Scariness",
    "sex": "Sex, Romance & Nudity",
    "language": "Language",
    "consumerism": "Products & Purchases",
    "drugs": "Drinking, Drugs & Smoking",
}
D7_GRID_IDS = {"education": "educational"}  # the Drupal-7 theme's id/GA spelling
CONCERNS = ("violence", "sex", "language", "drugs", "consumerism")
ONE_LINER_PRAISE = ("", "Weak", "Uneven", "Likable", "Entertaining", "Outstanding")  # by stars
PERIL = ("no", "mild", "some", "lots of")  # by violence bucket
LEVEL_WORDS = ("Not present", "very little", "a little", "some", "a lot", "a lot")
GRID_TEXT = {  # generic grid texts by level bucket: 0, 1-2, 3, 4-5
    "education": (
        "Not intended to teach.",
        "Kids may pick up a few lessons about history, science, or feelings.",
        "Kids can learn about emotions, culture, and history along the way.",
        "Teaches a lot: emotions, history, and science are woven into the story.",
    ),
    "message": (
        "No clear positive messages.",
        "Some positive messages, mixed with questionable behavior.",
        "Messages about friendship, loyalty, and doing the right thing.",
        "Strong messages about empathy, courage, family, and perseverance.",
    ),
    "role_model": (
        "Few characters worth emulating.",
        "Main characters mean well but make selfish choices.",
        "Main characters are brave and loyal, though flawed.",
        "Main characters are kind, brave, and learn from their mistakes.",
    ),
    "diversity": (
        "Cast is almost entirely white, with few other perspectives.",
        "Limited diversity; characters of color have little to do.",
        "A reasonably diverse cast, with characters of color in key roles.",
        "Diverse characters and perspectives are central to the story.",
    ),
    "violence": (
        "No violence or scary scenes.",
        "Mild peril and some tense moments; characters are threatened but rarely hurt.",
        "Fights, chases, and peril; a few frightening moments and a death.",
        "Frequent, intense violence with weapons and deaths; some scenes are very frightening.",
    ),
    "sex": (
        "Nothing of concern.",
        "A few kisses and some flirting.",
        "Kissing, romantic tension, and some innuendo.",
        "Sex scenes and partial nudity.",
    ),
    "language": (
        "No cursing.",
        'Mild insults like "stupid" and "shut up."',
        'Some cursing, including "damn" and "hell."',
        'Frequent strong language, including "s--t" and other profanity.',
    ),
    "consumerism": (
        "No products or brands.",
        "A few brands appear on screen.",
        "Part of a franchise with lots of tie-in toys, games, and merchandise.",
        "The movie is a launching pad for a huge merchandising empire.",
    ),
    "drugs": (
        "Nothing of concern.",
        "Adults drink wine at dinner.",
        "Adults drink, and one character gets drunk; some smoking.",
        "Drinking, smoking, and drug use are shown.",
    ),
}
ANY_GOOD = {  # "Is it any good?" by stars: {caps} title, {director}, {lead}, {genre}
    5: (
        (
            "{caps} is the kind of family film that works on every level. {director} balances "
            "{genre} thrills with real emotional depth, and {lead} makes every moment count."
        ),
        (
            "It's a rare movie that parents will be as happy to rewatch as kids, and one that "
            "leaves plenty to talk about on the way home."
        ),
    ),
    4: (
        (
            "{caps} is a very good {genre} movie with plenty to offer families. {director} keeps "
            "the story moving, and {lead} gives it warmth."
        ),
        "A few stretches feel familiar, but the heart of the film is in the right place.",
    ),
    3: (
        (
            "{caps} has its moments, but it rarely rises above the formula. {lead} is appealing, "
            "and {director} stages some lovely scenes."
        ),
        "Still, the story feels thin next to the best of the genre.",
    ),
    2: (
        (
            "{caps} is a letdown. Despite the efforts of {lead}, the story is muddled and the "
            "jokes fall flat."
        ),
        "Only diehard fans will find much here.",
    ),
    1: (
        "{caps} is a misfire from start to finish.",
        "Even {lead} can't rescue a script this lazy.",
    ),
}
MPAA_SEVERITY = {"G": 0, "PG": 1, "PG-13": 2, "R": 3, "NC-17": 4}
MPAA_AGE = {"G": 5, "PG": 8, "PG-13": 12, "R": 15, "NC-17": 17}
# robots.txt: Drupal core's defaults, trimmed (assumed). Unlike the core file it does not
# disallow /search/: the site's own search is how one-off crawls find a title.
ROBOTS = """#
# robots.txt
#
# This file is to prevent the crawling and indexing of certain parts
# of your site by web crawlers and spiders run by sites like Yahoo!
# and Google.

User-agent: *
# CSS, JS, Images
Allow: /core/*.css$
Allow: /core/*.js$
Allow: /profiles/*.css$
Allow: /profiles/*.png$
# Directories
Disallow: /core/
Disallow: /profiles/
# Files
Disallow: /README.md
Disallow: /web.config
# Paths (clean URLs)
Disallow: /admin/
Disallow: /comment/reply/
Disallow: /filter/tips
Disallow: /node/add/
Disallow: /user/register
Disallow: /user/password
Disallow: /user/login
Disallow: /user/logout
Disallow: /*/user-reviews/*/add
# Paths (no clean URLs)
Disallow: /index.php/admin/
Disallow: /index.php/user/login
"""


# --- per-film values --------------------------------------------------------------------------


@dataclass
class Entry:
    """Everything one review page shows, from the film's facts plus Common Sense's judgement."""

    film: dict[str, Any]
    slug: str
    title: str
    theme: str  # "current" (2022-2026) or "d7" (<= 2021)
    nid: int
    coming_soon: str | None = None  # where/when it will be available, for "coming soon" pages
    age: int = 0
    stars: int = 0
    grid: dict[str, int] = field(default_factory=dict)
    grid_text: dict[str, str] = field(default_factory=dict)
    parents: list[int] | None = None  # [age, review count]
    kids: list[int] | None = None
    in_theaters: date | None = None
    published: date | None = None
    reviewer: str = ""
    one_liner: str = ""
    story: str = ""
    any_good: list[str] = field(default_factory=list)
    parents_need_to_know: str = ""
    talk_about: list[str] = field(default_factory=list)

    @property
    def path(self) -> str:
        return f"/movie-reviews/{self.slug}"


def _pick(key: str, salt: str, modulo: int) -> int:
    """A stable pseudo-random number in ``range(modulo)`` for one film and one purpose."""
    digest = hashlib.sha256(f"{key}:{salt}".encode()).digest()
    return int.from_bytes(digest[:8], "big") % modulo


def _clamp(value: int, low: int = 0, high: int = 5) -> int:
    return max(low, min(high, value))


def slugify(title: str) -> str:
    """The site's slug rule: lowercase, drop ``'`` ``’`` ``:`` ``.``; other runs -> ``-``. The
    catalog drops ``&`` and ``/`` too (``wallace-gromit-...``, ``the-lion-king-1-12``)."""
    ascii_title = unicodedata.normalize("NFKD", title).encode("ascii", "ignore").decode()
    ascii_title = re.sub(r"['\u2019:.&/]", "", ascii_title.lower())
    return re.sub(r"[^a-z0-9]+", "-", ascii_title).strip("-")


def _unique_slug(slug: str, year: Any, taken: set[str]) -> str:
    """Collisions get the year, then ``-0``, ``-1``... (both patterns occur on the site)."""
    candidates = [slug, f"{slug}-{year}"] + [f"{slug}-{n}" for n in range(100)]
    return next(c for c in candidates if c not in taken)


def entries(films: list[dict[str, Any]]) -> list[Entry]:
    """The covered films as entries, explicit data first so its real slugs are reserved."""
    known, soon = DATA["films"], DATA["coming_soon"]
    covered = [
        f
        for f in films
        if f["key"] in known
        or f["key"] in soon
        or (f["key"] not in DATA["not_covered"] and _pick(f["key"], "covered", 5))
    ]
    covered.sort(key=lambda f: f["key"] not in known and f["key"] not in soon)
    taken: set[str] = set()
    result = []
    for film in covered:
        data = known.get(film["key"]) or soon.get(film["key"]) or {}
        slug = _unique_slug(data.get("slug") or slugify(film["title"]), film.get("year"), taken)
        taken.add(slug)
        result.append(_entry(film, slug, data, coming_soon=film["key"] in soon))
    return result


def _entry(film: dict[str, Any], slug: str, data: dict[str, Any], coming_soon: bool) -> Entry:
    key = film["key"]
    entry = Entry(
        film=film,
        slug=slug,
        title=data.get("title") or film["title"],
        theme=data.get("theme") or _derived_theme(film),
        nid=100000 + _pick(key, "nid", 900000),
    )
    if coming_soon:
        entry.coming_soon = data.get("available") or "Coming soon"
        return entry
    derived = _derived_values(film)
    for name, value in derived.items():
        setattr(entry, name, data.get(name, value))
    entry.in_theaters = _date(data.get("in_theaters"))
    entry.published = _date(data.get("published")) or _review_date(key, film, entry.in_theaters)
    entry.grid_text = {
        k: data.get("grid_text", {}).get(k) or _grid_text(k, v) for k, v in entry.grid.items()
    }
    entry.any_good = data.get("any_good") or _any_good(entry)
    entry.parents_need_to_know = data.get("parents_need_to_know") or _parents_need_to_know(entry)
    entry.talk_about = data.get("talk_about") or _talk_about(entry)
    return entry


def _derived_theme(film: dict[str, Any]) -> str:
    """Half of the pre-2000 films keep their Drupal-7 era page; the rest is current."""
    old = (film.get("year") or 2100) < 2000
    return "d7" if old and _pick(film["key"], "theme", 2) else "current"


def _derived_values(film: dict[str, Any]) -> dict[str, Any]:
    """Judgement values for a film without a data entry, from its MPAA rating and a hash."""
    key, mpaa = film["key"], film.get("mpaa")
    severity = MPAA_SEVERITY.get(mpaa, 1)
    age = _clamp(MPAA_AGE.get(mpaa, 10) + _pick(key, "age", 3) - 1, 2, 18)
    base = {
        "education": 1,
        "message": 3,
        "role_model": 3,
        "diversity": 2,
        "violence": severity + 1,
        "sex": severity,
        "language": severity,
        "consumerism": 1,
        "drugs": severity - 1,
    }
    grid = {k: _clamp(v + _pick(key, k, 3) - 1) for k, v in base.items()}
    stars = 2 + _pick(key, "stars", 4)
    peril = PERIL[_bucket(grid["violence"])]
    return {
        "age": age,
        "stars": stars,
        "grid": grid,
        "parents": _community(key, "parents", age),
        "kids": _community(key, "kids", age),
        "reviewer": REVIEWERS[_pick(key, "reviewer", len(REVIEWERS))],
        "one_liner": f"{ONE_LINER_PRAISE[stars]} {_genre(film)} tale has {peril} peril.",
        "story": _story(film),
    }


def _community(key: str, who: str, age: int) -> list[int] | None:
    count = _pick(key, f"{who}-count", 120)
    return [_clamp(age + _pick(key, f"{who}-age", 3) - 1, 2, 18), count] if count else None


def _story(film: dict[str, Any]) -> str:
    cast = film.get("cast") or []
    starring = f", {_and(cast[:3])} play" if cast else ","
    return (
        f"In this {_genre(film)} film{_directed(film)}{starring} unlikely allies who set out on a "
        "journey that tests their courage and their friendship."
    )


def _genre(film: dict[str, Any]) -> str:
    return (film.get("genres") or ["family"])[0].lower()


def _directed(film: dict[str, Any]) -> str:
    return f" directed by {_and(film['directors'])}" if film.get("directors") else ""


def _date(value: str | None) -> date | None:
    return date.fromisoformat(value) if value else None


def _review_date(key: str, film: dict[str, Any], released: date | None) -> date:
    """Reviews of new films appear days before the release; older films were reviewed when the
    site built its catalog (2003-2009)."""
    year = film.get("year") or 2010
    if released and year >= 2003:
        return released - timedelta(days=_pick(key, "lead", 4))
    if year >= 2003:
        return date(year, 1 + _pick(key, "month", 12), 1 + _pick(key, "day", 28))
    return date(
        2003 + _pick(key, "year", 7), 1 + _pick(key, "month", 12), 1 + _pick(key, "day", 28)
    )


def _bucket(level: int) -> int:
    return 0 if level == 0 else 1 if level <= 2 else 2 if level == 3 else 3


def _grid_text(key: str, level: int) -> str:
    return GRID_TEXT[key][_bucket(level)]


def _and(names: list[str]) -> str:
    """``["A", "B", "C"]`` -> ``"A, B and C"``."""
    if len(names) < 2:
        return "".join(names)
    return ", ".join(names[:-1]) + " and " + names[-1]


def _any_good(entry: Entry) -> list[str]:
    film = entry.film
    directors = film.get("directors") or []
    values = {
        "caps": film["title"].upper(),
        "director": f"Director {_and(directors)}" if directors else "The director",
        "lead": (film.get("cast") or ["the cast"])[0],
        "genre": _genre(film),
    }
    return [p.format(**values) for p in ANY_GOOD[_clamp(entry.stars, 1, 5)]]


def _parents_need_to_know(entry: Entry) -> str:
    concerns = [entry.grid_text[k] for k in CONCERNS if entry.grid.get(k, 0) >= 2][:2]
    film = entry.film
    return " ".join(
        [
            f"Parents need to know that {film['title']} is a {_genre(film)} movie{_directed(film)}.",
            *concerns,
            entry.grid_text.get("message", ""),
        ]
    ).strip()


def _talk_about(entry: Entry) -> list[str]:
    return [
        (
            f"Families can talk about the messages in {entry.film['title']}. What do the "
            "characters learn by the end, and how do they change?"
        ),
        "Which characters show courage or empathy? Why are those important character strengths?",
    ]


# --- shared markup ----------------------------------------------------------------------------


def _fmt(day: date | None) -> str:
    return f"{day:%B} {day.day}, {day.year}" if day else ""


def _json_script(data: Any) -> str:
    return json.dumps(data, ensure_ascii=False).replace("</", "<\\/")


def _stars(count: int, icon: str = "icon-star-solid") -> str:
    return "".join(f'<i class="{icon}{" active" if n < count else ""}"></i>' for n in range(5))


def _runtime(film: dict[str, Any]) -> str:
    return f"{film['runtime']} minutes" if film.get("runtime") else ""


def _summary_items(film: dict[str, Any]) -> str:
    """The bullets under the title: MPAA, year, runtime (as the seed page prints them)."""
    facts = (film.get("mpaa"), film.get("year"), _runtime(film))
    return "".join(f"<li>{escape(str(fact))}</li>" for fact in facts if fact)


def _community_stars(entry: Entry, role: str) -> int:
    """Parents' and kids' stars: the critic's, give or take one."""
    return _clamp(entry.stars - 1 + _pick(entry.film["key"], role, 3), 1, 5)


def _links(names: list[str]) -> str:
    return ", ".join(f'<a href="/search/{quote(n)}">{escape(n)}</a>' for n in names)


def _details(entry: Entry) -> list[tuple[str, str]]:
    """(label, HTML value) of the "Movie details" list, shared by both themes."""
    film = entry.film
    directors = film.get("directors") or []
    rows = [
        (
            "In theaters" if entry.theme == "current" else "Release date",
            escape(_fmt(entry.in_theaters)),
        ),
        ("Cast", _links(film.get("cast") or [])),
        ("Directors" if len(directors) > 1 else "Director", _links(directors)),
        ("Genre", escape(", ".join(film.get("genres") or []))),
        ("Run time", _runtime(film)),
        ("MPAA rating", escape(film.get("mpaa") or "")),
        ("Last updated", escape(_fmt(entry.published))),
    ]
    return [(label, value) for label, value in rows if value]


CURRENT_HEADER = """<header class="site-header" role="banner">
 <div class="site-header__top container">
  <a class="site-logo" href="/" title="Home" rel="home"><img src="/themes/custom/common_sense/images/logo.svg" alt="Common Sense Media" width="174" height="32"></a>
  <nav class="site-nav" role="navigation" aria-label="Main navigation">
   <ul class="menu menu--main">
    <li class="menu-item"><a href="/movie-reviews">Movies</a></li>
    <li class="menu-item"><a href="/tv-reviews">TV Shows</a></li>
    <li class="menu-item"><a href="/book-reviews">Books</a></li>
    <li class="menu-item"><a href="/game-reviews">Games</a></li>
    <li class="menu-item"><a href="/podcast-reviews">Podcasts</a></li>
    <li class="menu-item"><a href="/app-reviews">Apps</a></li>
    <li class="menu-item"><a href="/youtube-reviews">YouTube</a></li>
    <li class="menu-item"><a href="/articles">Parents' Ultimate Guides</a></li>
   </ul>
  </nav>
  <form class="site-search" action="/search" method="get" role="search">
   <label class="visually-hidden" for="edit-keyword">Search</label>
   <input type="search" id="edit-keyword" name="keyword" placeholder="Movies, shows, books, games...">
   <button type="submit" class="btn btn--search">Search</button>
  </form>
  <a class="btn btn--donate" href="/donate">Donate</a>
 </div>
</header>"""

CURRENT_FOOTER = """<footer class="site-footer" role="contentinfo">
 <div class="container">
  <ul class="menu menu--footer">
   <li><a href="/about-us">About</a></li>
   <li><a href="/about-us/our-mission/about-our-ratings">How We Rate</a></li>
   <li><a href="/about-us/careers">Careers</a></li>
   <li><a href="/privacy-policy">Privacy</a></li>
   <li><a href="/terms-of-use">Terms of Use</a></li>
   <li><a href="/contact-us">Contact Us</a></li>
  </ul>
  <p class="site-footer__copyright">&copy; Common Sense Media. All rights reserved. Common Sense and other associated names and logos are trademarks of Common Sense Media, a 501(c)(3) nonprofit organization (FEIN 41-2024986).</p>
 </div>
</footer>"""


def _current_page(
    *,
    title: str,
    body: str,
    canonical: str | None = None,
    description: str = "",
    head: str = "",
    settings: dict[str, Any] | None = None,
    body_class: str = "",
) -> str:
    settings = {
        "path": {"baseUrl": "/", "pathPrefix": "", "currentLanguage": "en", "isFront": False},
        "ajaxPageState": {"libraries": LIBRARIES, "theme": "common_sense", "theme_token": None},
        **(settings or {}),
    }
    canonical_link = f'<link rel="canonical" href="{escape(canonical)}">\n' if canonical else ""
    return f"""<!DOCTYPE html>
<html lang="en" dir="ltr">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<meta name="description" content="{escape(description)}">
{canonical_link}<meta property="og:site_name" content="Common Sense Media">
<meta property="og:title" content="{escape(title)}">
<title>{escape(title)}</title>
<link rel="stylesheet" media="all" href="/sites/default/files/css/css_common_sense.css">
{head}</head>
<body class="{body_class}">
<a href="#main-content" class="visually-hidden focusable skip-link">Skip to main content</a>
<div class="dialog-off-canvas-main-canvas" data-off-canvas-main-canvas>
{CURRENT_HEADER}
<a id="main-content" tabindex="-1"></a>
<div id="content" role="main" class="layout-content container">
{body}
</div>
{CURRENT_FOOTER}
</div>
<script type="application/json" data-drupal-selector="drupal-settings-json">{_json_script(settings)}</script>
<script src="/sites/default/files/js/js_common_sense.js"></script>
</body>
</html>
"""


D7_HEADER = """<div id="header"><div class="section clearfix">
 <a href="/" title="Home" rel="home" id="logo"><img src="https://www.commonsensemedia.org/sites/all/themes/csm/logo.png" alt="Common Sense Media"></a>
 <div id="navigation"><div class="section">
  <ul class="menu">
   <li class="first leaf"><a href="/movie-reviews">Movies</a></li>
   <li class="leaf"><a href="/tv-reviews">TV</a></li>
   <li class="leaf"><a href="/book-reviews">Books</a></li>
   <li class="leaf"><a href="/game-reviews">Games</a></li>
   <li class="leaf"><a href="/app-reviews">Apps</a></li>
   <li class="last leaf"><a href="/parent-concerns">Parents' Concerns</a></li>
  </ul>
 </div></div>
 <form action="/search" method="post" id="csm-search-form" accept-charset="UTF-8"><div>
  <input type="text" id="edit-search" name="search" value="" size="30" maxlength="128" class="form-text">
  <input type="submit" id="edit-submit" name="op" value="Search" class="form-submit">
 </div></form>
</div></div>"""

D7_FOOTER = """<div id="footer"><div class="section">
 <ul class="menu"><li class="first leaf"><a href="/about-us">About us</a></li><li class="leaf"><a href="/about-us/our-mission/about-our-ratings">How we rate</a></li><li class="leaf"><a href="/privacy-policy">Privacy policy</a></li><li class="last leaf"><a href="/terms-of-use">Terms of use</a></li></ul>
 <p>&copy; Common Sense Media. All rights reserved. Common Sense and other associated names and logos are trademarks of Common Sense Media, a 501(c)(3) nonprofit organization (FEIN 41-2024986).</p>
</div></div>"""


def _d7_page(
    *,
    title: str,
    body: str,
    canonical: str | None = None,
    description: str = "",
    head: str = "",
    body_class: str = "",
) -> str:
    canonical_link = f'<link rel="canonical" href="{escape(canonical)}" />\n' if canonical else ""
    return f"""<!DOCTYPE html PUBLIC "-//W3C//DTD XHTML+RDFa 1.0//EN" "http://www.w3.org/MarkUp/DTD/xhtml-rdfa-1.dtd">
<html xmlns="http://www.w3.org/1999/xhtml" xml:lang="en" version="XHTML+RDFa 1.0" dir="ltr">
<head profile="http://www.w3.org/1999/xhtml/vocab">
<meta http-equiv="Content-Type" content="text/html; charset=utf-8" />
<meta name="description" content="{escape(description)}" />
{canonical_link}<title>{escape(title)}</title>
<link type="text/css" rel="stylesheet" href="https://www.commonsensemedia.org/sites/default/files/css/css_csm.css" media="all" />
<script type="text/javascript" src="https://www.commonsensemedia.org/misc/jquery.js?v=1.4.4"></script>
{head}</head>
<body class="html not-front not-logged-in one-sidebar sidebar-second {body_class}">
<div id="skip-link"><a href="#main-content" class="element-invisible element-focusable">Skip to main content</a></div>
<div id="page-wrapper"><div id="page">
{D7_HEADER}
<div id="main-wrapper"><div id="main" class="clearfix"><div id="content" class="column"><div class="section">
<a id="main-content"></a>
{body}
</div></div></div></div>
{D7_FOOTER}
</div></div>
</body>
</html>
"""


# --- review pages -----------------------------------------------------------------------------


def _review_ld(entry: Entry, graph: bool) -> dict[str, Any]:
    """JSON-LD review: 2022-2026 inside ``@graph`` with ratings; the Drupal-7 block is bare and
    carries no rating (the GA variables and the DOM do)."""
    film, url = entry.film, SITE + entry.path
    reviewed = {"@type": "Movie", "name": entry.title, "image": POSTER.format(entry.slug)}
    if film.get("imdb_id"):
        reviewed["sameAs"] = f"https://www.imdb.com/title/{film['imdb_id']}/"
    review = {
        "@type": "Review",
        "name": entry.title,
        "url": url,
        "itemReviewed": reviewed,
        "author": {"@type": "Person", "name": entry.reviewer},
        "datePublished": entry.published.isoformat() if entry.published else None,
        "reviewBody": entry.story,
    }
    if not graph:
        return {"@context": "http://schema.org", **review}
    review.update(
        {
            "@id": url + "#review",
            "reviewRating": {
                "@type": "Rating",
                "ratingValue": str(entry.stars),
                "bestRating": "5",
                "worstRating": "1",
            },
            "typicalAgeRange": f"{entry.age}+",
            "isFamilyFriendly": "true" if entry.age < 13 else "false",
            "publisher": {"@id": SITE + "/#organization"},
        }
    )
    organization = {
        "@type": "Organization",
        "@id": SITE + "/#organization",
        "name": "Common Sense Media",
        "url": SITE + "/",
    }
    return {"@context": "https://schema.org", "@graph": [review, organization]}


def _amplitude(entry: Entry) -> dict[str, Any]:
    props = {
        "csm_content_type": "csm_review",
        "csm_product_type": "csm_movie",
        "csm_review_rating_age": entry.age,
        "csm_review_rating_overall": entry.stars,
        "csm_title_industry_rating_mpaa": entry.film.get("mpaa") or "NR",
    }
    props.update(
        {f"csm_review_rating_details_{k}": v for k, v in entry.grid.items() if k != "diversity"}
    )
    props["csm_user_member_type"] = "anonymous"
    return props


def _current_community(entry: Entry, role: str, who: str, values: list[int] | None) -> str:
    if not values:
        return (
            f'<div class="user-rating user-rating--{role}"><span class="user-rating__title">{who} say</span>'
            f'<span class="user-rating__empty">No reviews yet</span>'
            f'<a class="link" href="{entry.path}/user-reviews/{role}/add">Add your rating</a></div>'
        )
    age, count = values
    stars = _community_stars(entry, role)
    return (
        f'<div class="user-rating user-rating--{role}"><a class="link link--user-reviews" href="{entry.path}/user-reviews/{role}">'
        f'<span class="user-rating__title">{who} say</span>'
        f'<div class="rating rating--inline"><span class="rating__age">age {age}+</span>'
        f'<span class="rating__score" aria-label="{who}: {stars} out of 5 stars">{_stars(stars)}</span></div>'
        f'<span class="user-rating__count">Based on {count} review{"s" if count != 1 else ""}</span></a></div>'
    )


def _current_grid(entry: Entry) -> str:
    items = []
    for key in (k for k in GRID_KEYS if k in entry.grid):
        level = entry.grid[key]
        label = GRID_LABELS[key]
        if key == "role_model" and "diversity" not in entry.grid:
            label = "Positive Role Models & Representations"  # before diversity was rated apart
        data_text = escape(f"<p>{escape(entry.grid_text[key], quote=False)}</p>")
        items.append(
            f'<div class="col-12 col-md-6 content-grid-content" data-text="{data_text}">'
            f'<button type="button" class="btn-link content-grid-item" id="content-grid-item-{key}" aria-expanded="false">'
            f'<span class="rating__label">{escape(label)}</span>'
            f'<span class="rating__score" aria-label="Rating: {level} out of 5">{_stars(level, "icon-circle-solid")}</span>'
            f'<span class="rating__text">{LEVEL_WORDS[level]}</span></button></div>'
        )
    joined = "\n".join(items)
    return f"""<div id="review-view-content-grid" class="review-view-content-grid">
 <h2 class="heading heading--section">A lot or a little?</h2>
 <p class="review-view-content-grid__intro">The parents' guide to what's in this movie.</p>
 <div class="row">
{joined}
 </div>
</div>"""


def _paragraphs(texts: list[str]) -> str:
    return "".join(f"<p>{escape(t)}</p>" for t in texts)


DIVERSITY_PROMPT = """<div class="review-view-diversity-update">
  <h3>Did this review miss something on diversity?</h3>
  <p>Research shows a connection between kids' healthy self-esteem and positive, diverse representations in books, TV shows, and movies. Want to help us help them? <a href="/diversity-update?nid={nid}">Suggest a diversity update</a></p>
 </div>"""


def _current_review(entry: Entry) -> str:
    film = entry.film
    diversity_prompt = "" if "diversity" in entry.grid else DIVERSITY_PROMPT.format(nid=entry.nid)
    concerns = "".join(
        f"<li><strong>{escape(GRID_LABELS[k])}:</strong> {escape(entry.grid_text[k])}</li>"
        for k in CONCERNS
        if entry.grid.get(k, 0) >= 2
    )
    details = "".join(
        f'<li class="review-product-details-list-item"><span class="review-product-details__label">{label}</span>: '
        f'<span class="detail{" detail--last-updated" if label == "Last updated" else ""}">{value}</span></li>'
        for label, value in _details(entry)
    )
    talk = "".join(f"<li>{escape(t)}</li>" for t in entry.talk_about)
    body = f"""<div class="review-view-top review-teaser-parent">
 <div class="review-view-type"><div class="review-view-type__inner"><span>Movie</span></div></div>
 <div class="review-view-summary">
  <div class="review-view-summary__title"><h1 class="heading heading--page-title">{escape(entry.title)}</h1></div>
  <div class="review-view-byline"><span class="review-view-byline__text">Movie review by <strong><a href="/users/{slugify(entry.reviewer)}">{escape(entry.reviewer)}</a></strong>, Common Sense Media</span></div>
  <div class="review-view-image"><img src="{POSTER.format(entry.slug)}" alt="{escape(entry.title)} Movie Poster Image" loading="lazy"></div>
  <div class="review-rating"><div class="rating rating--inline rating--xlg"><span class="rating__age">age {entry.age}+</span><span class="rating__score" aria-label="Our review: {entry.stars} out of 5 stars">{_stars(entry.stars)}</span></div></div>
  <div class="review-view-summary-oneliner">{escape(entry.one_liner)}</div>
  <div class="review-product-summary"><ul class="review-product-summary__list">{_summary_items(film)}</ul></div>
 </div>
 <div class="review-view-user-ratings">
  {_current_community(entry, "adult", "Parents", entry.parents)}
  {_current_community(entry, "child", "Kids", entry.kids)}
 </div>
</div>
<div id="review-view-content-main" class="review-view-content-main">
 {diversity_prompt}
 {_current_grid(entry)}
 <div class="review-view-why-age"><h2 class="heading">Why Age {entry.age}+?</h2><ul>{concerns}</ul></div>
 <div class="review-view-parents-need-to-know"><h3 class="heading">What parents need to know</h3><div class="paragraph">{_paragraphs([entry.parents_need_to_know])}</div></div>
 <section class="review-view-section review-view-section--story"><h2 class="heading">What's the story?</h2><div class="paragraph">{_paragraphs([entry.story])}</div></section>
 <section class="review-view-section review-view-section--any-good"><h2 class="heading">Is it any good?</h2><div class="paragraph">{_paragraphs(entry.any_good)}</div></section>
 <section class="review-view-section review-view-section--talk"><h2 class="heading">Talk to your kids about ...</h2><ul class="review-view-talk-list">{talk}</ul></section>
 <div id="review-product-details" class="review-product-details"><h2 class="heading">Movie details</h2><ul class="review-product-details-list">{details}</ul></div>
 <p class="review-view-disclaimer">Common Sense Media's unbiased ratings are created by expert reviewers and aren't influenced by the product's creators or by any of our funders, affiliates, or partners. <a href="/about-us/our-mission/about-our-ratings">See how we rate</a></p>
</div>"""
    return _current_page(
        title=f"{entry.title} Movie Review | Common Sense Media",
        canonical=SITE + entry.path,
        description=f"{entry.one_liner} Read Common Sense Media's {entry.title} review, age rating, and parents guide.",
        head=f'<script type="application/ld+json">{_json_script(_review_ld(entry, graph=True))}</script>\n',
        settings={"amplitude_props": _amplitude(entry)},
        body=body,
        body_class="path-node page-node-type-csm-review",
    )


def _d7_community(entry: Entry, role: str, who: str, values: list[int] | None) -> str:
    if not values:
        stats = (
            '<div class="stat-wrapper no-reviews">No reviews yet</div>'
            f'<a href="{entry.path}/user-reviews/{role}/add">Add your rating</a>'
        )
    else:
        age, count = values
        stars = _community_stars(entry, role)
        stats = (
            f'<div class="stat-wrapper age">age {age}+</div>'
            f'<div class="stat-wrapper stars"><div class="field-stars-rating rating-{stars}"></div></div>'
            f'<div class="stat-wrapper count">Based on {count} review{"s" if count != 1 else ""}</div>'
        )
    return (
        f'<div class="user-review-statistics {role}"><div class="stat-title">'
        f'<a href="{entry.path}/user-reviews/{role}">{who} say</a></div>{stats}</div>'
    )


def _d7_grid(entry: Entry) -> str:
    return "\n".join(
        f'<div id="content-grid-item-{D7_GRID_IDS.get(k, k)}" class="content-grid-item">'
        f'<div class="content-grid-item-title">{escape(GRID_LABELS[k])}</div>'
        f'<div class="content-grid-rating content-grid-{entry.grid[k]}"><span class="element-invisible">{entry.grid[k]} out of 5</span></div>'
        f'<div class="field field-name-field-content-grid-rating-text"><p>{escape(entry.grid_text[k])}</p></div></div>'
        for k in GRID_KEYS
        if k in entry.grid
    )


def _d7_pane(name: str, title: str, inner: str) -> str:
    return (
        f'<div class="panel-pane pane-entity-field pane-node-field-{name}"><h2 class="pane-title">{title}</h2>'
        f'<div class="pane-content"><div class="field field-name-field-{name}"><div class="field-items">'
        f'<div class="field-item even">{inner}</div></div></div></div></div>'
    )


def _d7_review(entry: Entry) -> str:
    film = entry.film
    grid = ",".join(f"{D7_GRID_IDS.get(k, k)}:{v}" for k, v in entry.grid.items())
    ga = {
        "csm_content_type": "csm_movie",
        "csm_age_rating": str(entry.age),
        "csm_outside_rating": film.get("mpaa") or "NR",
        "csm_content_grid": grid,
    }
    details = "".join(
        f"<li><strong>{label}:</strong> {value}</li>" for label, value in _details(entry)
    )
    talk = "<ul>" + "".join(f"<li>{escape(t)}</li>" for t in entry.talk_about) + "</ul>"
    body = f"""<div class="panel-display csm-review-layout clearfix" about="{entry.path}" typeof="schema:Review">
 <meta property="description" content="{escape(entry.one_liner)}" />
 <div class="panel-pane pane-node-title csm_movie"><div class="pane-content"><h1>{escape(entry.title)}</h1></div></div>
 <div class="panel-pane pane-review-author"><div class="pane-content">Review by <a href="/users/{slugify(entry.reviewer)}">{escape(entry.reviewer)}</a></div></div>
 <div class="panel-pane pane-node-field-one-liner"><div class="pane-content"><p>{escape(entry.one_liner)}</p></div></div>
 <div class="product-subtitle csm_movie"><ul>{_summary_items(film)}</ul></div>
 <div class="panel-pane pane-node-field-review-age"><div class="csm-green-age">age {entry.age}+</div></div>
 <div class="panel-pane pane-node-field-stars-rating"><div class="field field-name-field-stars-rating"><div class="field_stars_rating rating-{entry.stars}" title="{entry.stars} stars"><span class="element-invisible">{entry.stars} stars</span></div></div></div>
 <div class="panel-pane pane-user-review-statistics"><div class="pane-content">
  {_d7_community(entry, "adult", "Parents", entry.parents)}
  {_d7_community(entry, "child", "Kids", entry.kids)}
 </div></div>
 <div class="panel-pane pane-content-grid"><h2 class="pane-title">A lot or a little?</h2><div class="pane-content">
  <p class="content-grid-intro">The parents' guide to what's in this movie.</p>
{_d7_grid(entry)}
 </div></div>
 {_d7_pane("parents-need-to-know", "What parents need to know", _paragraphs([entry.parents_need_to_know]))}
 {_d7_pane("what-is-story", "What's the story?", _paragraphs([entry.story]))}
 {_d7_pane("any-good", "Is it any good?", _paragraphs(entry.any_good))}
 {_d7_pane("family-topics", "Families can talk about...", talk)}
 <div class="panel-pane pane-product-details"><h2 class="pane-title">Movie details</h2><div class="pane-content"><ul id="review-product-details-list">{details}</ul></div></div>
</div>"""
    head = (
        f'<script type="application/ld+json">{_json_script(_review_ld(entry, graph=False))}</script>\n'
        '<script type="text/javascript">window.dataLayer = window.dataLayer || [];'
        f"dataLayer.push({_json_script(ga)});</script>\n"
        '<script type="text/javascript">jQuery.extend(Drupal.settings, {"basePath":"\\/","pathPrefix":"",'
        '"ajaxPageState":{"theme":"csm","theme_token":"xT4pJ0eVh1bq2m"}});</script>\n'
    )
    return _d7_page(
        title=f"{entry.title} Movie Review",
        canonical=SITE + entry.path,
        description=f"{entry.one_liner} Read Common Sense Media's {entry.title} review, age rating, and parents guide.",
        head=head,
        body=body,
        body_class=f"page-node page-node-{entry.nid} node-type-csm-movie",
    )


def _coming_soon(entry: Entry) -> str:
    film = entry.film
    body = f"""<div class="review-view-top review-teaser-parent">
 <div class="review-view-type"><div class="review-view-type__inner"><span>Movie</span></div></div>
 <div class="review-view-summary">
  <div class="review-view-summary__title"><h1 class="heading heading--page-title">{escape(entry.title)}</h1></div>
  <div class="review-product-summary"><ul class="review-product-summary__list">{_summary_items(film)}</ul></div>
 </div>
</div>
<div class="review-view-coming-soon">
 <h2 class="heading">Coming soon</h2>
 <p>Our editors haven't reviewed this title yet. Available: {escape(entry.coming_soon or "")}.</p>
 <p><a class="btn" href="/user/register">Sign up</a> to get notified when our review is published.</p>
</div>"""
    return _current_page(
        title=f"{entry.title} Movie Review | Common Sense Media",
        canonical=SITE + entry.path,
        body=body,
        body_class="path-node page-node-type-csm-review",
    )


# --- listings ---------------------------------------------------------------------------------


def _teaser(entry: Entry) -> str:
    """A review teaser as the browse sections and the search results print it."""
    rating = (
        ""
        if entry.coming_soon
        else (
            f'<div class="review-rating"><div class="rating rating--inline"><span class="rating__age">age {entry.age}+</span>'
            f'<span class="rating__score" aria-label="{entry.stars} out of 5 stars">{_stars(entry.stars)}</span></div></div>'
            f'<p class="review-one-liner">{escape(entry.one_liner)}</p>'
        )
    )
    return (
        f'<div class="review-teaser"><div class="review-teaser-type"><span>Movie</span></div>'
        f'<div class="review-image"><img data-src="{POSTER.format(entry.slug)}" alt="{escape(entry.title)}"></div>'
        f'<h3 class="review-title"><a href="{entry.path}" class="link link--title">{escape(entry.title)}</a></h3>{rating}</div>'
    )


def drupal_ajax(selector: str, html: str) -> bytes:
    """A Drupal AJAX command list; the insert is 4th, where the 2025 browse scraper reads it."""
    commands = [
        {
            "command": "settings",
            "settings": {"ajaxPageState": {"theme": "common_sense", "libraries": LIBRARIES}},
            "merge": True,
        },
        {
            "command": "add_css",
            "data": [{"href": "/sites/default/files/css/css_review_slider.css", "media": "all"}],
        },
        {"command": "add_js", "selector": "body", "data": []},
        {
            "command": "insert",
            "method": "replaceWith",
            "selector": selector,
            "data": html,
            "settings": None,
        },
    ]
    return json.dumps(commands, ensure_ascii=False).encode("utf-8")


# (heading, data-url, data-filter, chooser of entries); the URL shapes are assumed.
SECTIONS = (
    (
        "New in theaters",
        "/ajax/reviews/category/{category}/status/{status}/sort/{sort}/row/slider",
        {"category": "movie", "status": ["theaters"], "sort": "date-desc"},
        lambda reviewed, soon: reviewed[:8],
    ),
    (
        "New streaming movies",
        "/ajax/reviews/category/{category}/status/{status}/sort/{sort}/row/slider",
        {"category": "movie", "status": ["streaming", "dvd"], "sort": "date-desc"},
        lambda reviewed, soon: soon + reviewed[8:16],
    ),
    (
        "Great watch-together picks",
        "/ajax/reviews/category/{category}/tag/{tag}/rating/{rating}/row/slider",
        {"category": "movie", "tag": [31822], "rating": [5]},
        lambda reviewed, soon: sorted((e for e in reviewed if e.stars == 5), key=_popularity),
    ),
    (
        "Popular with parents",
        "/ajax/reviews/category/{category}/sort/{sort}/row/slider",
        {"category": "movie", "sort": "popular-parents"},
        lambda reviewed, soon: sorted(reviewed, key=_popularity),
    ),
    (
        "Family laughs",
        "/ajax/reviews/category/{category}/genre/{genre}/age/{age}/row/slider",
        {"category": "movie", "genre": ["comedy"], "age": list(range(2, 11))},
        lambda reviewed, soon: [
            e for e in reviewed if "Comedy" in (e.film.get("genres") or []) and e.age <= 10
        ],
    ),
)


def _popularity(entry: Entry) -> tuple[int, str]:
    return (-(entry.parents or [0, 0])[1], entry.slug)


def _section_path(template: str, filters: dict[str, Any]) -> str:
    return template.format(
        **{k: "+".join(map(str, v)) if isinstance(v, list) else v for k, v in filters.items()}
    )


def _write_browse_shell(root: Path, reviewed: list[Entry], soon: list[Entry]) -> None:
    """The 2025 ``/movie-reviews`` shell and each section's AJAX command list."""
    query = urlencode({"ajax_page_state[libraries]": LIBRARIES})
    sections = []
    for n, (heading, template, filters, choose) in enumerate(SECTIONS):
        chosen = choose(reviewed, soon)[:SHELL_SECTION_SIZE]
        slider = (
            '<div class="review-slider"><ul class="review-slider__list">'
            + "".join(f'<li class="review-slider__item">{_teaser(e)}</li>' for e in chosen)
            + "</ul></div>"
        )
        write_page(
            root,
            HOST,
            _section_path(template, filters),
            drupal_ajax(f"#browse-section-{n}", slider),
            query=query,
        )
        sections.append(
            f'<div class="browse-section" id="browse-section-{n}" data-url="{escape(template)}" '
            f'data-filter="{escape(json.dumps(filters))}"><h2 class="heading">{escape(heading)}</h2>'
            '<div class="review-slider review-slider--placeholder"><span class="loader">Loading...</span></div></div>'
        )
    body = (
        '<div class="browse-page"><h1 class="heading heading--page-title">Movie Reviews</h1>'
        "<p>Age-appropriate movie reviews and ratings for parents, by Common Sense Media's expert reviewers.</p>\n"
        + "\n".join(sections)
        + "</div>"
    )
    page = _current_page(
        title="Movie Reviews and Ratings for Parents | Common Sense Media",
        canonical=SITE + "/movie-reviews",
        description="Movie reviews for parents.",
        body=body,
        settings={
            "amplitude_props": {"csm_content_type": "browse", "csm_user_member_type": "anonymous"}
        },
        body_class="path-movie-reviews",
    )
    write_page(root, HOST, "/movie-reviews", page)


def _pager(page: int, pages: int) -> str:
    def href(n: int) -> str:
        return "/movie-reviews" if n == 0 else f"/movie-reviews?page={n}"

    items = []
    if page > 0:
        items += [
            f'<li class="pager-first first"><a title="Go to first page" href="{href(0)}">« first</a></li>',
            f'<li class="pager-previous"><a title="Go to previous page" href="{href(page - 1)}">‹ previous</a></li>',
        ]
    for n in range(max(0, page - 4), min(pages, page + 5)):
        items.append(
            f'<li class="pager-current">{n + 1}</li>'
            if n == page
            else f'<li class="pager-item"><a title="Go to page {n + 1}" href="{href(n)}">{n + 1}</a></li>'
        )
    if page < pages - 1:
        items += [
            f'<li class="pager-next"><a title="Go to next page" href="{href(page + 1)}">next ›</a></li>',
            f'<li class="pager-last last"><a title="Go to last page" href="{href(pages - 1)}">last »</a></li>',
        ]
    return f'<h2 class="element-invisible">Pages</h2><div class="item-list"><ul class="pager">{"".join(items)}</ul></div>'


def _views_row(entry: Entry, n: int, last: bool) -> str:
    position = f"views-row-{n + 1} views-row-{'odd' if n % 2 == 0 else 'even'}"
    position += " views-row-first" if n == 0 else " views-row-last" if last else ""
    return (
        f'<div class="views-row {position}"><div class="csm-search-result">'
        f'<div class="result-image"><a href="{entry.path}"><img typeof="foaf:Image" src="{POSTER.format(entry.slug)}" alt="" /></a></div>'
        f'<div class="result-title"> <a href="{entry.path}">{escape(entry.title)}</a> </div>'
        f'<div class="csm-green-age">age {entry.age}+</div>'
        f'<div class="field_stars_rating rating-{entry.stars}"></div>'
        f'<div class="result-one-liner">{escape(entry.one_liner)}</div></div></div>'
    )


def _write_paged_listing(root: Path, reviewed: list[Entry]) -> None:
    """The 2021 views listing ``/movie-reviews?page=N`` (page 0 is the crawl's entry point)."""
    pages = max(1, -(-len(reviewed) // LISTING_PAGE_SIZE))
    for page in range(pages):
        chunk = reviewed[page * LISTING_PAGE_SIZE : (page + 1) * LISTING_PAGE_SIZE]
        rows = "\n".join(_views_row(e, n, n == len(chunk) - 1) for n, e in enumerate(chunk))
        body = (
            f'<h1 class="title" id="page-title">Movie Reviews</h1>'
            f'<div class="view view-csm-browse view-id-csm_browse view-display-id-page_movies">'
            f'<div class="view-content">\n{rows}\n</div>{_pager(page, pages)}</div>'
        )
        html = _d7_page(
            title="Movie Reviews for Kids | Common Sense Media",
            body=body,
            description="Movie reviews for parents.",
            body_class="page-movie-reviews",
        )
        write_page(root, HOST, "/movie-reviews", html, query=f"page={page}")


# --- entry points -----------------------------------------------------------------------------


def build(films: list[dict[str, Any]], root: Path) -> None:
    all_entries = entries(films)
    for entry in all_entries:
        page = (
            _coming_soon(entry)
            if entry.coming_soon
            else (_d7_review(entry) if entry.theme == "d7" else _current_review(entry))
        )
        write_page(root, HOST, entry.path, page)
    newest_first = sorted(
        all_entries, key=lambda e: (-(e.published or date.min).toordinal(), e.slug)
    )
    reviewed = [e for e in newest_first if not e.coming_soon]
    _write_browse_shell(root, reviewed, [e for e in newest_first if e.coming_soon])
    _write_paged_listing(root, reviewed)
    write_page(root, HOST, "/robots.txt", ROBOTS)
    index = [{"path": e.path, "title": e.title} for e in all_entries]
    write_page(root, HOST, "/" + INDEX_FILE, json.dumps(index, ensure_ascii=False, indent=0))


_SEARCH_PATH = re.compile(r"^/search/(?:category/movie/)?(?:sort/[^/]+/)?([^/]+)/?$")


def search_query(path: str, params: dict[str, list[str]]) -> str | None:
    """The query of ``/search/<q>``, ``/search/category/movie/<q>`` (optionally ``sort/<s>/``)."""
    match = _SEARCH_PATH.match(path)
    if not match:
        return None
    return unquote(match.group(1)).strip() or None


def _search_results(query: str, hits: list[dict[str, Any]]) -> str:
    if not hits:
        return (
            f'<div class="search-no-results"><h2 class="heading">No results found</h2>'
            f'<p>We couldn\'t find any matches for "{escape(query)}". Check your spelling or try a different search term.</p></div>'
        )
    teasers = "".join(
        f'<div class="search-result"><div class="review-teaser"><div class="review-teaser-type"><span>Movie</span></div>'
        f'<h3 class="review-title"><a href="{escape(hit["path"])}" class="link link--title">{escape(hit["title"])}</a></h3></div></div>'
        for hit in hits
    )
    return f'<div class="search-count">{len(hits)} result{"s" if len(hits) != 1 else ""}</div>{teasers}'


def render_search(query: str, hits: list[dict[str, Any]]) -> tuple[str, bytes]:
    """The movie tab of the search page, results inline as the page shows them once its AJAX
    has run (teaser markup as the public scrapers read it; the "no results" block is assumed)."""
    encoded = quote(query, safe="")
    body = f"""<div class="search-page">
 <h1 class="heading heading--page-title">Search results for "<span class="search-keyword">{escape(query)}</span>"</h1>
 <ul class="search-tabs"><li><a href="/search/{encoded}">All</a></li><li class="active"><a href="/search/category/movie/{encoded}">Movies</a></li><li><a href="/search/category/tv/{encoded}">TV</a></li><li><a href="/search/category/book/{encoded}">Books</a></li><li><a href="/search/category/game/{encoded}">Games</a></li></ul>
 <div id="search-main-results" class="search-main-results">{_search_results(query, hits)}</div>
</div>"""
    page = _current_page(
        title=f"Search results for {query} | Common Sense Media",
        body=body,
        description="Search Common Sense Media.",
        body_class="path-search",
    )
    return "text/html; charset=utf-8", page.encode("utf-8")


def render_ajax_search(query: str, hits: list[dict[str, Any]]) -> tuple[str, bytes]:
    """``/ajax/search/<query>``: the same results as a Drupal AJAX command list."""
    return "application/json", drupal_ajax("#search-main-results", _search_results(query, hits))
