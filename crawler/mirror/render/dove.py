"""Dove.org mirror pages: reviews in three markup generations, genre listings, search, robots.txt.

Markup follows ``shared/sites/README.md`` section 5 (WordPress):

* ``chart`` (2015-era theme): ``div.rating-chart img`` (``/g0.jpg``..``/g5.jpg``, ``alt`` =
  category, ``title`` = ``<b>Category: </b>description``) and ``div.approved-text``;
* ``matrix`` (c. 2019-2024): ``div.matrix-categories`` (``span.item-text`` +
  ``span.categories-item.categories-item--N``), ``div.main-content.details-wrap`` descriptions;
* ``matrix-criteria`` (2025+): the matrix plus ``data-criteria`` keys and the positive/negative
  totals (``ratings-section`` blocks, ``section-circle[data-rating]``).

Listings and search results are the current theme's cards (``div.content-info``,
``div.content-approved strong``). Structure beyond those documented selectors is assumed.

Films listed in ``dove_data.json`` carry Dove's judgement values written for famreel; any other
film (``famreel mirror generate``) is covered when a hash of its key says so, its review id,
levels and markup derived from that hash and its MPAA rating: every build is deterministic.
"""

from __future__ import annotations

import json
import math
import re
import shutil
import unicodedata
import zlib
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from functools import cached_property
from html import escape
from pathlib import Path
from urllib.parse import unquote_plus

from crawler.mirror.paths import INDEX_FILE, write_page
from crawler.mirror.render import page_numbers

HOSTS: tuple[str, ...] = ("dove.org",)
BASE = "https://dove.org"
SEARCH_PREFIX = "/search/reviews/"  # the search endpoint before 2026 (``?s=`` since)
PER_PAGE = 12  # cards per genre listing page

CHART, MATRIX, CRITERIA = "chart", "matrix", "matrix-criteria"
MARKUPS = (CHART, MATRIX, CRITERIA)
POSITIVE = ("faith", "integrity")
CAUTIONARY = ("sex", "language", "violence", "drugs", "nudity", "other")
LABELS = {
    "faith": "Faith",
    "integrity": "Integrity",
    "sex": "Sex",
    "language": "Language",
    "violence": "Violence",
    "drugs": "Drugs",
    "nudity": "Nudity",
    "other": "Other",
}
MATRIX_LABELS = {**LABELS, "sex": "Sexuality"}  # dove.org/content-ratings-descriptions wording

_DATA = json.loads(Path(__file__).with_name("dove_data.json").read_text(encoding="utf-8"))
PHRASES: dict[str, list[str]] = _DATA["phrases"]
FILMS: dict[str, dict] = _DATA["films"]

# Films outside dove_data.json: the share Dove covers, and the highest cautionary level an MPAA
# rating allows in generated judgements (assumed; only for ``mirror generate``).
GENERATED_SHARE = (3, 5)
MPAA_CAP = {"G": 1, "PG": 2, "PG-13": 3, "R": 5, "NC-17": 5}


def _hash(*parts: object) -> int:
    return zlib.crc32(":".join(map(str, parts)).encode("utf-8"))


def slugify(title: str) -> str:
    """WordPress-style slug: ``The Sorcerer's Stone`` -> ``the-sorcerers-stone``."""
    ascii_title = unicodedata.normalize("NFKD", title).encode("ascii", "ignore").decode()
    ascii_title = re.sub(r"['’]", "", ascii_title.lower().replace("&", " and "))
    return re.sub(r"[^a-z0-9]+", "-", ascii_title).strip("-")


def _long_date(iso: str) -> str:
    day = date.fromisoformat(iso)
    return f"{day:%B} {day.day}, {day.year}"


def _short_date(iso: str) -> str:
    day = date.fromisoformat(iso)
    return f"{day.month}/{day.day}/{day.year}"


@dataclass(frozen=True)
class DoveReview:
    """One film as Dove.org shows it: the facts of films.json plus Dove's own judgement."""

    film: dict
    review_id: int
    markup: str
    levels: dict[str, int]
    released: str | None = None  # ISO date of the US theatrical release, when known
    reviewed: str | None = None  # ISO date of the review, when known
    reviewer: str | None = None
    paragraphs: tuple[str, ...] = ()
    notes: tuple[tuple[str, str], ...] = ()

    @property
    def title(self) -> str:
        return self.film["title"]

    @cached_property
    def path(self) -> str:
        return f"/review/{self.review_id}-{slugify(self.title)}/"

    @property
    def url(self) -> str:
        return BASE + self.path

    @property
    def genres(self) -> list[str]:
        return list(self.film.get("genres") or [])

    @cached_property
    def seal_age(self) -> str | None:
        """Dove's seal: no cautionary level above 1 -> All Ages, 2 -> 12+, 3 -> 18+, else none.

        The 18+ step follows the newer wording of dove.org/content-ratings-descriptions; a level 4-5
        gets no seal ("Dove Reviewed"), which is assumed.
        """
        worst = max(self.levels[key] for key in CAUTIONARY)
        return {0: "All Ages", 1: "All Ages", 2: "Ages 12+", 3: "Ages 18+"}.get(worst)

    @property
    def seal(self) -> str:
        """The current site's seal wording (review pages of 2019+ and every card)."""
        return f"Approved for {self.seal_age}" if self.seal_age else "Dove Reviewed"

    @property
    def legacy_seal(self) -> str:
        """The 2015-era seal wording (the older "Family-Approved" seal)."""
        return f"Dove Family-Approved for {self.seal_age}" if self.seal_age else "Dove Reviewed"

    def description(self, key: str) -> str:
        return dict(self.notes).get(key) or PHRASES[key][self.levels[key]]

    def body(self) -> tuple[str, ...]:
        return self.paragraphs or _generic_paragraphs(self)


def _generic_paragraphs(review: DoveReview) -> tuple[str, ...]:
    film = review.film
    genre = (review.genres or ["family"])[0].lower()
    article = "an" if genre[0] in "aeiou" else "a"
    credits = ""
    if film.get("directors"):
        credits += f" directed by {' and '.join(film['directors'])}"
    if film.get("cast"):
        credits += f"{',' if credits else ''} starring {', '.join(film['cast'])}"
    verdict = {
        "All Ages": "It is a fine choice for the whole family and earns our seal for All Ages.",
        "Ages 12+": "Some of its content is better suited to older children; we approve it for"
        " ages 12 and up.",
        "Ages 18+": "Its content makes it suitable for adults only; we approve it for ages 18+.",
    }.get(review.seal_age, "Because of its content, this film does not receive the Dove Seal.")
    return (f"{review.title} is {article} {genre} film{credits}.", verdict)


def _from_data(film: dict, data: dict) -> DoveReview:
    return DoveReview(
        film=film,
        review_id=data["id"],
        markup=data["markup"],
        levels=dict(data["levels"]),
        released=data.get("released"),
        reviewed=data.get("reviewed"),
        reviewer=data.get("reviewer"),
        paragraphs=tuple(data.get("review", ())),
        notes=tuple(data.get("notes", {}).items()),
    )


def _generated(film: dict) -> DoveReview:
    key = film["key"]
    cap = MPAA_CAP.get(film.get("mpaa") or "", 2)
    levels = {name: _hash(key, name) % (cap + 1) for name in CAUTIONARY}
    levels.update(faith=_hash(key, "faith") % 3, integrity=1 + _hash(key, "integrity") % 4)
    return DoveReview(
        film=film,
        review_id=20000 + _hash(key, "id") % 580000,
        markup=MARKUPS[_hash(key, "markup") % len(MARKUPS)],
        levels=levels,
    )


def covered_reviews(films: list[dict]) -> list[DoveReview]:
    """The films Dove reviews, newest review first (the site's listing order)."""
    reviews = []
    for film in films:
        if film["key"] in FILMS:
            reviews.append(_from_data(film, FILMS[film["key"]]))
        elif _hash(film["key"]) % GENERATED_SHARE[1] < GENERATED_SHARE[0]:
            reviews.append(_generated(film))
    return sorted(reviews, key=lambda review: -review.review_id)


# --- page chrome -------------------------------------------------------------------------------

_MODERN_HEAD = """<!DOCTYPE html>
<html lang="en-US">
<head>
<meta charset="UTF-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{title} - Dove.org</title>
{head_links}<meta property="og:locale" content="en_US">
<meta property="og:site_name" content="Dove.org">
<meta property="og:title" content="{title} - Dove.org">
<link rel="stylesheet" id="dove-style-css" href="https://dove.org/wp-content/themes/dove/style.css?ver=3.2.1" media="all">
<link rel="icon" href="https://dove.org/wp-content/uploads/2021/03/cropped-dove-icon-32x32.png" sizes="32x32">
{json_ld}</head>
<body class="{body_class}">
<a class="skip-link screen-reader-text" href="#main">Skip to content</a>
<header id="masthead" class="site-header">
 <div class="container header-inner">
  <a class="site-logo" href="https://dove.org/" rel="home"><img src="https://dove.org/wp-content/themes/dove/assets/img/dove-logo.svg" alt="Dove.org" width="148" height="40"></a>
  <nav id="site-navigation" class="main-navigation" aria-label="Main">
   <ul id="primary-menu" class="menu">
    <li class="menu-item"><a href="https://dove.org/reviews/">Reviews</a></li>
    <li class="menu-item"><a href="https://dove.org/content-ratings-descriptions/">Ratings Guide</a></li>
    <li class="menu-item"><a href="https://dove.org/news/">News</a></li>
    <li class="menu-item"><a href="https://dove.org/about-us/">About</a></li>
    <li class="menu-item menu-item--cta"><a href="https://dove.org/donate/">Donate</a></li>
   </ul>
  </nav>
  <form role="search" method="get" class="search-form" action="https://dove.org/">
   <label><span class="screen-reader-text">Search for:</span><input type="search" class="search-field" placeholder="Search movies &amp; shows" value="{query}" name="s"></label>
   <button type="submit" class="search-submit">Search</button>
  </form>
 </div>
</header>
"""

_MODERN_FOOT = """<footer id="colophon" class="site-footer">
 <div class="container footer-inner">
  <div class="footer-about">
   <p>The Dove Foundation reviews movies and TV shows so that families can choose wholesome entertainment with confidence.</p>
   <a href="https://dove.org/review/592756-an-inside-peek-at-what-we-do-at-dove/">An inside peek at what we do</a>
  </div>
  <ul class="footer-menu">
   <li><a href="https://dove.org/contact/">Contact</a></li>
   <li><a href="https://dove.org/privacy-policy/">Privacy Policy</a></li>
   <li><a href="https://dove.org/terms-of-use/">Terms of Use</a></li>
  </ul>
  <p class="site-info">&copy; The Dove Foundation. All rights reserved.</p>
 </div>
</footer>
<script src="https://dove.org/wp-content/themes/dove/assets/js/main.min.js?ver=3.2.1" id="dove-main-js"></script>
</body>
</html>
"""


def _json_ld(review_url: str, title: str, published: str | None) -> str:
    """Yoast SEO's graph, as WordPress sites print it (WebPage, breadcrumb, site, publisher)."""
    page = {
        "@type": "WebPage",
        "@id": review_url,
        "url": review_url,
        "name": f"{title} - Dove.org",
        "isPartOf": {"@id": f"{BASE}/#website"},
        "breadcrumb": {"@id": f"{review_url}#breadcrumb"},
        "inLanguage": "en-US",
    }
    if published:
        page["datePublished"] = f"{published}T08:00:00+00:00"
    graph = [
        page,
        {
            "@type": "BreadcrumbList",
            "@id": f"{review_url}#breadcrumb",
            "itemListElement": [
                {"@type": "ListItem", "position": 1, "name": "Home", "item": f"{BASE}/"},
                {"@type": "ListItem", "position": 2, "name": "Reviews", "item": f"{BASE}/reviews/"},
                {"@type": "ListItem", "position": 3, "name": title},
            ],
        },
        {
            "@type": "WebSite",
            "@id": f"{BASE}/#website",
            "url": f"{BASE}/",
            "name": "Dove.org",
            "publisher": {"@id": f"{BASE}/#organization"},
            "potentialAction": {
                "@type": "SearchAction",
                "target": {
                    "@type": "EntryPoint",
                    "urlTemplate": f"{BASE}/?s={{search_term_string}}",
                },
                "query-input": "required name=search_term_string",
            },
        },
        {"@type": "Organization", "@id": f"{BASE}/#organization", "name": "The Dove Foundation"},
    ]
    data = json.dumps({"@context": "https://schema.org", "@graph": graph}, ensure_ascii=False)
    return (
        '<script type="application/ld+json" class="yoast-schema-graph">'
        + data.replace("</", "<\\/")
        + "</script>\n"
    )


def _modern_page(
    title: str,
    main: str,
    body_class: str,
    canonical: str | None = None,
    json_ld: str = "",
    query: str = "",
    extra_links: str = "",
) -> str:
    head_links = f'<link rel="canonical" href="{escape(canonical)}">\n' if canonical else ""
    head = _MODERN_HEAD.format(
        title=escape(title),
        head_links=head_links + extra_links,
        json_ld=json_ld,
        body_class=body_class,
        query=escape(query),
    )
    return head + main + _MODERN_FOOT


# --- review pages ------------------------------------------------------------------------------


def _runtime_long(minutes: int) -> str:
    hours, rest = divmod(minutes, 60)
    return f"{hours} hr {rest} min" if hours else f"{rest} min"


def _release(review: DoveReview, fmt: Callable[[str], str]) -> str | None:
    if review.released:
        return fmt(review.released)
    year = review.film.get("year")
    return str(year) if year else None


def _facts(review: DoveReview, legacy: bool) -> list[tuple[str, str]]:
    """Label/value lines of a review's film facts (Dove's XML fields), missing ones left out."""
    film = review.film
    runtime = film.get("runtime")
    rows = [
        ("Director", ", ".join(film.get("directors") or [])),
        ("Starring", ", ".join(film.get("cast") or [])),
        ("Genre", ", ".join(review.genres)),
        ("MPAA Rating" if legacy else "Industry Rating", film.get("mpaa") or ""),
        (
            "Run Time" if legacy else "Runtime",
            (f"{runtime} min" if legacy else _runtime_long(runtime)) if runtime else "",
        ),
        (
            "Theatrical Release" if legacy else "Release Date",
            _release(review, _short_date if legacy else _long_date) or "",
        ),
        ("Reviewer", review.reviewer or ""),
    ]
    return [(label, value) for label, value in rows if value]


def _poster(review: DoveReview) -> str:
    return f"{BASE}/wp-content/uploads/posters/{slugify(review.title)}-{review.review_id}.jpg"


_CHART_MAIN = """<div id="main">
 <div id="content">
  <div class="post review" id="post-{review_id}">
   <h1 class="entry-title">{title}</h1>
   <div class="postmeta">{date_line}</div>
   <div class="review-top">
    <div class="review-artwork"><img src="{poster}" alt="{title}" width="160" height="240"></div>
    <table class="review-details">
{facts}
    </table>
   </div>
   <div class="approved-text">{seal}</div>
   <div class="rating-chart">
{chart}
   </div>
   <div class="entry-content">
{body}
   </div>
  </div>
 </div>
 <div id="sidebar">
  <div class="widget"><h3>Dove Ratings</h3><p>Every movie is rated 0 to 5 in eight categories. <a href="https://dove.org/ratings/">How we rate</a></p></div>
 </div>
</div>"""

_CHART_PAGE = """<!DOCTYPE html>
<html lang="en-US">
<head>
<meta http-equiv="Content-Type" content="text/html; charset=UTF-8">
<title>{title} - Dove.org</title>
<link rel="canonical" href="{url}">
<link rel="stylesheet" href="https://dove.org/wp-content/themes/dove2013/style.css" type="text/css" media="screen">
</head>
<body class="single single-review">
<div id="wrapper">
<div id="header">
 <div id="logo"><a href="https://dove.org/"><img src="https://dove.org/wp-content/themes/dove2013/images/logo.png" alt="The Dove Foundation"></a></div>
 <ul id="nav">
  <li><a href="https://dove.org/reviews/">Movie Reviews</a></li>
  <li><a href="https://dove.org/ratings/">Our Ratings</a></li>
  <li><a href="https://dove.org/about-us/">About Dove</a></li>
 </ul>
 <form id="searchform" method="get" action="https://dove.org/"><input type="text" name="s" id="s" value=""><input type="submit" id="searchsubmit" value="Search"></form>
</div>
{main}
<div id="footer"><p>&copy; The Dove Foundation &middot; <a href="https://dove.org/privacy-policy/">Privacy Policy</a></p></div>
</div>
</body>
</html>
"""


def _paragraphs(texts: tuple[str, ...], indent: str) -> str:
    return "\n".join(f"{indent}<p>{escape(text)}</p>" for text in texts)


def render_chart_review(review: DoveReview) -> str:
    """2015-era page: details table, ``div.approved-text``, ``div.rating-chart`` images."""
    images = "/wp-content/themes/dove2013/images/chart"
    chart = "\n".join(
        f'    <img src="{BASE}{images}/g{review.levels[key]}.jpg" alt="{LABELS[key]}"'
        f' title="{escape(f"<b>{LABELS[key]}: </b>{review.description(key)}")}"'
        ' width="90" height="22">'
        for key in (*POSITIVE, *CAUTIONARY)
    )
    facts = "\n".join(
        f"     <tr><th>{label}:</th><td>{escape(value)}</td></tr>"
        for label, value in _facts(review, legacy=True)
    )
    date_line = (
        f'<span class="entry-date">{_long_date(review.reviewed)}</span>' if review.reviewed else ""
    )
    main = _CHART_MAIN.format(
        review_id=review.review_id,
        title=escape(review.title),
        date_line=date_line,
        poster=_poster(review),
        facts=facts,
        seal=escape(review.legacy_seal),
        chart=chart,
        body=_paragraphs(review.body(), "    "),
    )
    return _CHART_PAGE.format(title=escape(review.title), url=review.url, main=main)


_MATRIX_MAIN = """<main id="main" class="site-main">
 <article id="post-{review_id}" class="review type-review status-publish has-post-thumbnail">
  <section class="review-hero">
   <div class="container">
    <div class="review-poster"><img src="{poster}" alt="{title}" width="300" height="450"></div>
    <div class="review-summary">
     <span class="review-type">Movie</span>
     <h1 class="review-title">{title}</h1>
     <div class="review-seal content-approved"><img src="https://dove.org/wp-content/themes/dove/assets/img/seal-{seal_slug}.svg" alt="" width="64" height="64"><strong>{seal}</strong></div>
     <ul class="review-meta">
{facts}
     </ul>
    </div>
   </div>
  </section>
  <section class="review-ratings">
   <div class="container">
{totals}    <div class="matrix-categories">
     <div class="matrix-group matrix-group--positive">
      <h4 class="matrix-group__title">Positive Content</h4>
{positive}
     </div>
     <div class="matrix-group matrix-group--cautionary">
      <h4 class="matrix-group__title">Cautionary Content</h4>
{cautionary}
     </div>
    </div>
   </div>
  </section>
  <section class="review-content">
   <div class="container">
    <div class="main-content review-wrap">
     <h3 class="review-heading">Dove Review</h3>
{body}
    </div>
    <div class="main-content details-wrap">
     <h3 class="review-heading">Content Description</h3>
{details}
    </div>
   </div>
  </section>
 </article>
</main>
"""


def _matrix_items(review: DoveReview, keys: tuple[str, ...], criteria: bool) -> str:
    return "\n".join(
        f'      <div class="matrix-item"><span class="item-text">{MATRIX_LABELS[key]}</span>'
        f'<span class="categories-item categories-item--{review.levels[key]}"'
        + (f' data-criteria="{key}"' if criteria else "")
        + f' aria-label="{review.levels[key]} out of 5"></span></div>'
        for key in keys
    )


def _totals(review: DoveReview) -> str:
    """Positive/negative totals (sums of the grid). The circle's colour band sits in its class
    name (``rating-circle--negative-4``), a number that is not the total."""
    blocks = []
    for side, keys in (("positive", POSITIVE), ("negative", CAUTIONARY)):
        total = sum(review.levels[key] for key in keys)
        band = min(4, math.ceil(total / 3))
        label = "Positive Content" if side == "positive" else "Cautionary Content"
        blocks.append(
            f'     <div class="ratings-section ratings-section--{side} {side}">\n'
            f'      <span class="circle-label">{label}</span>\n'
            f'      <div class="section-circle rating-circle rating-circle--{side}-{band}"'
            f' data-rating="{total}"><span class="circle-value">{total}</span></div>\n'
            "     </div>"
        )
    return '    <div class="ratings-summary">\n' + "\n".join(blocks) + "\n    </div>\n"


def render_matrix_review(review: DoveReview) -> str:
    """2019+ page: ``div.matrix-categories`` grid (+ ``data-criteria`` and totals from 2025)."""
    criteria = review.markup == CRITERIA
    facts = "\n".join(
        f'      <li><span class="meta-label">{label}:</span>'
        f' <span class="meta-value">{escape(value)}</span></li>'
        for label, value in _facts(review, legacy=False)
    )
    details = "\n".join(
        f'     <div class="details-item"><h5 class="details-title">{MATRIX_LABELS[key]}</h5>'
        f'<div class="details-body"><p>{escape(review.description(key))}</p></div></div>'
        for key in (*POSITIVE, *CAUTIONARY)
    )
    main = _MATRIX_MAIN.format(
        review_id=review.review_id,
        poster=_poster(review),
        title=escape(review.title),
        seal_slug=slugify(review.seal_age or "dove-reviewed"),
        seal=escape(review.seal),
        facts=facts,
        totals=_totals(review) if criteria else "",
        positive=_matrix_items(review, POSITIVE, criteria),
        cautionary=_matrix_items(review, CAUTIONARY, criteria),
        body=_paragraphs(review.body(), "     "),
        details=details,
    )
    return _modern_page(
        review.title,
        main,
        f"review-template-default single single-review postid-{review.review_id}",
        canonical=review.url,
        json_ld=_json_ld(review.url, review.title, review.reviewed),
    )


def render_review(review: DoveReview) -> str:
    return render_chart_review(review) if review.markup == CHART else render_matrix_review(review)


# --- cards: genre listings and search ----------------------------------------------------------


def _card(url: str, title: str, category: str, seal: str | None, poster: str | None) -> str:
    image = (
        f'   <div class="content-image"><img src="{poster}" alt="{escape(title)}"'
        ' loading="lazy"></div>\n'
        if poster
        else ""
    )
    approved = (
        f'   <div class="content-approved"><strong>{escape(seal)}</strong></div>\n' if seal else ""
    )
    return (
        '<div class="movie-card">\n'
        f' <a class="movie-card__link" href="{escape(url)}">\n'
        f"{image}"
        '   <div class="content-info">\n'
        f'    <span class="info-category">{escape(category)}</span>\n'
        f'    <h4 class="info-title">{escape(title)}</h4>\n'
        "   </div>\n"
        f"{approved}"
        " </a>\n"
        "</div>"
    )


def _review_card(review: DoveReview) -> str:
    category = ", ".join(review.genres) or "Movie"
    return _card(review.url, review.title, category, review.seal, _poster(review))


def _genre_url(slug: str, page: int) -> str:
    return f"{BASE}/reviews/genre/{slug}/" + (f"page/{page}/" if page > 1 else "")


def _pagination(slug: str, page: int, pages: int) -> str:
    if pages < 2:
        return ""
    links = []
    if page > 1:
        previous = _genre_url(slug, page - 1)
        links.append(f'<a class="prev page-numbers" href="{previous}">Previous</a>')
    for number in page_numbers(page, pages):
        if number is None:
            links.append('<span class="page-numbers dots">&hellip;</span>')
        elif number == page:
            links.append(f'<span aria-current="page" class="page-numbers current">{number}</span>')
        else:
            links.append(f'<a class="page-numbers" href="{_genre_url(slug, number)}">{number}</a>')
    if page < pages:
        links.append(f'<a class="next page-numbers" href="{_genre_url(slug, page + 1)}">Next</a>')
    return (
        '   <nav class="navigation pagination" aria-label="Posts">\n'
        '    <h2 class="screen-reader-text">Posts navigation</h2>\n'
        f'    <div class="nav-links">{"".join(links)}</div>\n'
        "   </nav>\n"
    )


_LISTING_MAIN = """<main id="main" class="site-main">
 <div class="container">
  <header class="page-header"><h1 class="page-title">{genre}</h1><p class="archive-description">{genre} movie reviews from The Dove Foundation.</p></header>
  <div class="archive-layout">
   <aside class="archive-sidebar">
    <h4 class="widget-title">Browse by Genre</h4>
    <ul class="genre-filter">
{genre_links}
    </ul>
   </aside>
   <div class="movie-cards">
{cards}
   </div>
{pagination}  </div>
 </div>
</main>
"""


def render_listing(
    genre: str, genres: list[str], reviews: list[DoveReview], page: int, pages: int
) -> str:
    slug = slugify(genre)
    genre_links = "\n".join(
        f'     <li class="{"current-cat" if name == genre else "cat-item"}">'
        f'<a href="{_genre_url(slugify(name), 1)}">{escape(name)}</a></li>'
        for name in genres
    )
    links = ""
    if page > 1:
        links += f'<link rel="prev" href="{_genre_url(slug, page - 1)}">\n'
    if page < pages:
        links += f'<link rel="next" href="{_genre_url(slug, page + 1)}">\n'
    main = _LISTING_MAIN.format(
        genre=escape(genre),
        genre_links=genre_links,
        cards="\n".join(_review_card(review) for review in reviews),
        pagination=_pagination(slug, page, pages),
    )
    return _modern_page(
        f"{genre} Archives" + (f" - Page {page} of {pages}" if page > 1 else ""),
        main,
        f"archive tax-genre term-{slug}" + (" paged" if page > 1 else ""),
        canonical=_genre_url(slug, page),
        extra_links=links,
    )


_SEARCH_MAIN = """<main id="main" class="site-main">
 <div class="container">
  <header class="page-header"><h1 class="page-title">Search Results for: <span>{query}</span></h1></header>
  <div class="movie-cards search-cards">
{results}
  </div>
 </div>
</main>
"""

NO_RESULTS = (
    '   <p class="no-results">Nothing matches your search term. '
    "Please try again with some different keywords.</p>"
)


def search_query(path: str, params: dict[str, list[str]]) -> str | None:
    """The query of a request to Dove's search (``/?s=<q>``, older ``/search/reviews/<q>``)."""
    if path in ("", "/"):
        values = [value for value in params.get("s", []) if value.strip()]
        return values[0] if values else None
    if path.startswith(SEARCH_PREFIX):
        return unquote_plus(path[len(SEARCH_PREFIX) :].strip("/")) or None
    return None


def render_search(query: str, hits: list[dict]) -> tuple[str, bytes]:
    """Dove's search-result cards for ``hits`` (``_index.json`` entries), or its no-result text."""
    results = "\n".join(
        _card(BASE + hit["path"], hit["title"], "Movie", None, None) for hit in hits
    ) or NO_RESULTS
    main = _SEARCH_MAIN.format(query=escape(query), results=results)
    body_class = "search search-results" if hits else "search search-no-results"
    html = _modern_page(f"You searched for {query}", main, body_class, query=query)
    return "text/html; charset=UTF-8", html.encode("utf-8")


# --- other pages -------------------------------------------------------------------------------

ARTICLE_PATH = "/review/592756-an-inside-peek-at-what-we-do-at-dove/"
_ARTICLE_TITLE = "An Inside Peek at What We Do at Dove"
_ARTICLE_MAIN = """<main id="main" class="site-main">
 <article id="post-592756" class="post type-post status-publish">
  <div class="container">
   <h1 class="entry-title">An Inside Peek at What We Do at Dove</h1>
   <div class="entry-content">
    <p>Every week our reviewers watch new movies and TV shows from beginning to end and rate them in eight categories, from Faith and Integrity to Language and Violence.</p>
    <p>Titles with no cautionary content above a level 1 earn our seal for All Ages; titles with a level 2 are approved for Ages 12+. Others are marked Dove Reviewed so that families still have the information they need.</p>
   </div>
  </div>
 </article>
</main>
"""

ROBOTS = """User-agent: *
Disallow: /wp-admin/
Allow: /wp-admin/admin-ajax.php
Disallow: /wp-login.php
Disallow: /donate/checkout/
"""


def build(films: list[dict], root: Path) -> None:
    """Write every Dove.org page of the films it covers under ``root/dove.org/``."""
    host = HOSTS[0]
    shutil.rmtree(root / host, ignore_errors=True)  # the folder is exactly this build's output
    reviews = covered_reviews(films)
    by_genre: dict[str, list[DoveReview]] = defaultdict(list)
    for review in reviews:
        write_page(root, host, review.path, render_review(review))
        for genre in review.genres:
            by_genre[genre].append(review)
    genres = sorted(by_genre)
    for genre in genres:
        members = by_genre[genre]
        pages = math.ceil(len(members) / PER_PAGE)
        for page in range(1, pages + 1):
            chunk = members[(page - 1) * PER_PAGE : page * PER_PAGE]
            path = _genre_url(slugify(genre), page).removeprefix(BASE)
            write_page(root, host, path, render_listing(genre, genres, chunk, page, pages))
    article = _modern_page(
        _ARTICLE_TITLE,
        _ARTICLE_MAIN,
        "post-template-default single single-post postid-592756",
        canonical=BASE + ARTICLE_PATH,
        json_ld=_json_ld(BASE + ARTICLE_PATH, _ARTICLE_TITLE, "2021-05-12"),
    )
    write_page(root, host, ARTICLE_PATH, article)
    write_page(root, host, "/robots.txt", ROBOTS)
    index = [{"path": review.path, "title": review.title} for review in reviews]
    write_page(root, host, "/" + INDEX_FILE, json.dumps(index, indent=1, ensure_ascii=False))
