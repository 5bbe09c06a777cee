"""Plugged In mirror pages: www.pluggedin.com's 2024-2025 WordPress + Elementor markup.

Written per film: the review page (``/movie-reviews/<slug>/``: Elementor single template, ``h1``,
post-info terms list, "Content Caution" block printed for desktop and mobile, jump menu,
``div.review-column`` sections, Credits column, contributor bio), the paged archive
(``/movie-reviews/``, ``/movie-reviews/page/N/``: ``div.archives-right div.post-row``), the
archive's RSS feed, ``robots.txt`` and ``_index.json``; search results (``/?s=``) are rendered on
demand. Film facts come from films.json, Plugged In's own values from ``pluggedin_data.json``; a film
without an entry there gets values derived from a hash of its key (deterministic), and only a third
of those films are covered (Plugged In reviews fewer films than the big catalogs).

Assumed (not documented anywhere): the taxonomy URLs of review types and genres, the caution level
words (None/Light/Moderate/Heavy), the caution categories (Sexual Content, Violence, Language),
Yoast's JSON-LD graph, and that WordPress texturizes titles (``'`` -> ``’``, as the real titles that
scrapers clean of U+2019 suggest).
"""

from __future__ import annotations

import json
import re
import zlib
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime, timedelta
from email.utils import format_datetime
from html import escape
from pathlib import Path

from crawler.mirror.paths import INDEX_FILE, write_page
from crawler.mirror.render import page_numbers

HOSTS: tuple[str, ...] = ("www.pluggedin.com",)
HOST = HOSTS[0]
BASE = f"https://{HOST}"
ARCHIVE = "/movie-reviews/"
PER_PAGE = 10
FEED_ITEMS = 10
HTML_TYPE = "text/html; charset=UTF-8"

_DATA = json.loads(Path(__file__).with_name("pluggedin_data.json").read_text(encoding="utf-8"))
FILMS: dict[str, dict] = _DATA["films"]
REVIEWERS: list[str] = _DATA["reviewers"]

SECTIONS = (
    "Movie Review", "Positive Elements", "Spiritual Elements", "Sexual & Romantic Content",
    "Violent Content", "Crude or Profane Language", "Drug & Alcohol Content",
    "Other Noteworthy Elements", "Conclusion",
)
# caution category -> the section its level links to
CAUTIONS = {
    "Sexual Content": "Sexual & Romantic Content",
    "Violence": "Violent Content",
    "Language": "Crude or Profane Language",
}
LEVELS = ("None", "Light", "Moderate", "Heavy")
NOT_SET = "–"
UNDATED_POST = date(2023, 6, 1)  # post date of a derived review whose film has no year
MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August", "September",
          "October", "November", "December")

ROBOTS = """User-agent: *
Disallow: /wp-admin/
Allow: /wp-admin/admin-ajax.php

Sitemap: https://www.pluggedin.com/sitemap_index.xml
"""


@dataclass(frozen=True)
class ReviewPage:
    """One film's review page, every value as the page prints it."""

    key: str
    slug: str
    title: str  # texturized, unescaped
    mpaa: str | None
    genres: list[str]
    directors: list[str]
    cast: list[str]
    review_type: str
    release: tuple[str, str]  # (release type label, date)
    home_release: str | None
    distributor: str | None
    reviewer: str
    published: date
    cautions: dict[str, str]
    sections: list[tuple[str, list[str]]]

    @property
    def path(self) -> str:
        return f"{ARCHIVE}{self.slug}/"

    @property
    def url(self) -> str:
        return BASE + self.path

    @property
    def post_id(self) -> int:
        return 10000 + _stable_hash(self.key) % 90000

    @property
    def excerpt(self) -> str:
        return self.sections[0][1][0] if self.sections else ""


# --- films -> reviews --------------------------------------------------------------------------

def _stable_hash(text: str) -> int:
    return zlib.crc32(text.encode("utf-8"))


def _texturize(text: str) -> str:
    return text.replace("'", "’")


def _slugify(text: str) -> str:
    text = text.lower().replace("&", "and").replace("'", "")
    return re.sub(r"[^a-z0-9]+", "-", text).strip("-")


def _printed_date(day: date) -> str:
    return f"{MONTHS[day.month - 1]} {day.day}, {day.year}"


def covers(film: dict) -> bool:
    return film["key"] in FILMS or _stable_hash(film["key"]) % 3 == 0


def review_of(film: dict) -> ReviewPage:
    own = FILMS.get(film["key"]) or _derived_values(film)
    return ReviewPage(
        key=film["key"],
        slug=own["slug"],
        title=_texturize(film["title"]),
        mpaa=film.get("mpaa"),
        genres=list(film.get("genres") or []),
        directors=list(film.get("directors") or []),
        cast=list(film.get("cast") or []),
        review_type=own["review_type"],
        release=tuple(own["release"]),
        home_release=own.get("home_release"),
        distributor=own.get("distributor"),
        reviewer=own["reviewer"],
        published=date.fromisoformat(own["published"]),
        cautions=dict(zip(CAUTIONS, own["caution"], strict=True)),
        sections=[(h, [_texturize(p) for p in own["sections"][h]]) for h in SECTIONS
                  if h in own["sections"]],
    )


def _derived_values(film: dict) -> dict:
    """Plugged In's values for a film the data file does not know, derived from its key."""
    seed = _stable_hash(film["key"])
    year = film.get("year")
    released = date(year, 1 + seed % 12, 1 + (seed >> 4) % 28) if year else None
    # heavier content for stricter MPAA ratings, varied per film
    base = {"G": 0, "PG": 1, "PG-13": 2, "R": 3, "NC-17": 3}.get(film.get("mpaa") or "", 1)
    sex, violence, language = (max(0, base - 1 - (seed >> 8) % 2), base,
                               max(0, base - (seed >> 9) % 2))
    return {
        "slug": _slugify(film["title"]) + (f"-{year}" if year else ""),
        "review_type": "In Theaters",
        "release": ["In Theaters", _printed_date(released) if released else "TBD"],
        "home_release": (_printed_date(released + timedelta(days=90 + seed % 60))
                         if released else None),
        "reviewer": REVIEWERS[seed % len(REVIEWERS)],
        "published": (released - timedelta(days=1) if released else UNDATED_POST).isoformat(),
        "caution": [LEVELS[sex], LEVELS[violence], LEVELS[language]],
        "sections": _derived_sections(film, seed, LEVELS[sex], LEVELS[violence], LEVELS[language]),
    }


_CONTENT_PROSE = {
    "Sexual & Romantic Content": ("None.", "A couple shares a brief kiss.",
                                  "Couples kiss passionately, and sex is implied.",
                                  "A sex scene includes partial nudity."),
    "Violent Content": ("None.", "Slapstick scuffles and brief moments of peril.",
                        "Fights, chases and perilous scenes in which characters are hurt.",
                        "Intense, bloody violence in which many characters are killed."),
    "Crude or Profane Language": ("None.", "A few mild exclamations and insults.",
                                  "Several uses of the s-word and misuses of God's name.",
                                  "Frequent profanity, including f-words."),
}
_ADJECTIVES = ("solid", "spirited", "charming", "thoughtful", "modest")


def _derived_sections(film: dict, seed: int, *levels: str) -> dict[str, list[str]]:
    directors = " and ".join(film.get("directors") or []) or "its filmmakers"
    cast = ", ".join(film.get("cast") or []) or "a large ensemble"
    kind = (film.get("genres") or ["feature"])[0].lower()
    synopsis = (f"{film['title']} comes from {directors}, with {cast} in the leading roles. The "
                f"{kind} story follows its characters through trials that test their loyalties.")
    conclusion = (f"{film['title']} is a {_ADJECTIVES[seed % len(_ADJECTIVES)]} {kind} film. "
                  "Families should weigh the details above before they watch.")
    content = {heading: [prose[LEVELS.index(level)]]
               for (heading, prose), level in zip(_CONTENT_PROSE.items(), levels, strict=True)}
    return {
        "Movie Review": [synopsis],
        "Positive Elements": ["Characters learn to value honesty and to put others first."],
        "Spiritual Elements": ["None."],
        **content,
        "Drug & Alcohol Content": ["None."],
        "Conclusion": [conclusion],
    }


# --- build -------------------------------------------------------------------------------------

def build(films: list[dict], root: Path) -> None:
    reviews = _unique_slugs([review_of(film) for film in films if covers(film)])
    reviews.sort(key=lambda r: (r.published, r.slug), reverse=True)  # the archive: newest first
    for review in reviews:
        write_page(root, HOST, review.path, review_page(review))
    pages = [reviews[i:i + PER_PAGE] for i in range(0, len(reviews), PER_PAGE)] or [[]]
    for number, chunk in enumerate(pages, 1):
        write_page(root, HOST, archive_path(number), archive_page(chunk, number, len(pages)))
    write_page(root, HOST, ARCHIVE + "feed/", feed(reviews[:FEED_ITEMS]))
    write_page(root, HOST, "/robots.txt", ROBOTS)
    index = [{"path": r.path, "title": r.title} for r in sorted(reviews, key=lambda r: r.path)]
    write_page(root, HOST, "/" + INDEX_FILE, json.dumps(index, ensure_ascii=False, indent=1))


def _unique_slugs(reviews: list[ReviewPage]) -> list[ReviewPage]:
    """WordPress appends ``-2`` to a slug already taken."""
    seen: set[str] = set()
    unique = []
    for review in reviews:
        slug, n = review.slug, 2
        while slug in seen:
            slug, n = f"{review.slug}-{n}", n + 1
        seen.add(slug)
        unique.append(review if slug == review.slug else replace(review, slug=slug))
    return unique


def archive_path(number: int) -> str:
    return ARCHIVE if number == 1 else f"{ARCHIVE}page/{number}/"


# --- search ------------------------------------------------------------------------------------

def search_query(path: str, params: dict[str, list[str]]) -> str | None:
    """WordPress search: ``/?s=<q>`` (also ``/page/N/?s=<q>``)."""
    if "s" in params and re.fullmatch(r"/(page/\d+/?)?", path or "/"):
        return params["s"][0]
    return None


def render_search(query: str, hits: list[dict]) -> tuple[str, bytes]:
    shown = escape(query)
    if hits:
        posts = "\n".join(_search_result(hit) for hit in hits)
        results = ('<div class="elementor-posts-container elementor-posts '
                   f'elementor-posts--skin-classic elementor-grid" role="list">\n{posts}\n</div>')
    else:
        results = ('<div class="elementor-posts-nothing-found">It seems we can’t find what '
                   "you’re looking for.</div>")
    widgets = (_heading("h1", f"Search Results for: {shown}") + "\n"
               + _widget("archive-posts", results, skin="archive_classic"))
    main = _template("search-results", 4610, "archive", _section(_column(100, widgets)))
    head = '<meta name="robots" content="noindex, follow">'
    html = _page(f"You searched for {shown} - Plugged In", head, "search search-results", main)
    return HTML_TYPE, html.encode("utf-8")


def _search_result(hit: dict) -> str:
    url = escape(BASE + hit["path"])
    post_id = 10000 + _stable_hash(hit["path"]) % 90000
    return f"""<article class="elementor-post elementor-grid-item post-{post_id} movie-reviews type-movie-reviews status-publish has-post-thumbnail hentry" role="listitem">
<a class="elementor-post__thumbnail__link" href="{url}" tabindex="-1"><div class="elementor-post__thumbnail"><img width="300" height="450" src="{_poster(hit['path'])}" alt=""></div></a>
<div class="elementor-post__text"><h3 class="elementor-post__title entry-title"><a href="{url}">{escape(hit["title"])}</a></h3></div>
</article>"""


def render_not_found(path: str) -> tuple[int, str, bytes]:
    """WordPress answers a missing page with its Elementor "error-404" template."""
    heading = _heading("h1", "Oops! That page can’t be found.")
    main = _template("error-404", 4620, "single", _section(_column(100, heading)))
    html = _page("Page not found - Plugged In", '<meta name="robots" content="noindex, follow">',
                 "error404", main)
    return 404, HTML_TYPE, html.encode("utf-8")


# --- Elementor building blocks -----------------------------------------------------------------

def _page(title: str, head: str, body_class: str, main: str) -> str:
    return f"""<!DOCTYPE html>
<html lang="en-US">
<head>
<meta charset="UTF-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{title}</title>
{head}
<meta property="og:locale" content="en_US">
<meta property="og:site_name" content="Plugged In">
<link rel="alternate" type="application/rss+xml" title="Plugged In &raquo; Movies Feed" href="{BASE}{ARCHIVE}feed/">
<link rel="stylesheet" id="elementor-frontend-css" href="{BASE}/wp-content/plugins/elementor/assets/css/frontend.min.css?ver=3.24.7" media="all">
</head>
<body class="{body_class} wp-theme-hello-elementor elementor-default elementor-kit-7">
{HEADER}
{main}
{FOOTER}
</body>
</html>
"""


def _template(kind: str, template_id: int, location: str, content: str, classes: str = "",
              tag: str = "div") -> str:
    """An Elementor theme-builder template (header, single, archive, ...)."""
    return (f'<{tag} data-elementor-type="{kind}" data-elementor-id="{template_id}" class="elementor '
            f'elementor-{template_id} elementor-location-{location}{classes}">\n{content}\n</{tag}>')


def _section(columns: str, classes: str = "", inner: bool = False, anchor: str = "") -> str:
    level = "inner" if inner else "top"
    anchor = f' id="{anchor}"' if anchor else ""
    return (f'<section{anchor} class="elementor-section elementor-{level}-section elementor-element '
            f'elementor-section-boxed{classes}" data-element_type="section">\n'
            f'<div class="elementor-container elementor-column-gap-default">\n{columns}\n</div>\n'
            "</section>")


def _column(width: int, widgets: str, inner: bool = False) -> str:
    level = "inner" if inner else "top"
    return (f'<div class="elementor-column elementor-col-{width} elementor-{level}-column '
            f'elementor-element" data-element_type="column"><div class="elementor-widget-wrap '
            f'elementor-element-populated">\n{widgets}\n</div></div>')


def _widget(kind: str, content: str, classes: str = "", skin: str = "default") -> str:
    return (f'<div class="elementor-element elementor-widget elementor-widget-{kind}{classes}" '
            f'data-widget_type="{kind}.{skin}"><div class="elementor-widget-container">'
            f"{content}</div></div>")


def _heading(tag: str, text: str) -> str:
    return _widget("heading", f'<{tag} class="elementor-heading-title elementor-size-default">'
                              f"{text}</{tag}>")


def _shortcode(content: str, classes: str = "") -> str:
    return _widget("shortcode", f'<div class="elementor-shortcode">{content}</div>', classes)


_NAV = [("Movies", ARCHIVE), ("TV", "/tv-reviews/"), ("Video Games", "/video-game-reviews/"),
        ("Music", "/music-reviews/"), ("Books", "/book-reviews/"), ("Blog", "/blog/"),
        ("Podcast", "/podcast/")]
_LOGO = (f'<a href="{BASE}"><img width="200" height="60" '
         f'src="{BASE}/wp-content/uploads/2023/01/plugged-in-logo.svg" alt="Plugged In"></a>')
_MENU = ('<nav aria-label="Menu" class="elementor-nav-menu--main elementor-nav-menu__container">'
         '<ul id="menu-1-main" class="elementor-nav-menu">'
         + "".join(f'<li class="menu-item menu-item-type-custom"><a href="{BASE}{path}" '
                   f'class="elementor-item">{name}</a></li>' for name, path in _NAV)
         + "</ul></nav>")
_SEARCH_FORM = (f'<form class="elementor-search-form" role="search" action="{BASE}" method="get">'
                '<input placeholder="Search..." class="elementor-search-form__input" '
                'type="search" name="s" title="Search" value=""></form>')
HEADER = _template("header", 120, "header", _section(
    _column(25, _widget("image", _LOGO)) + "\n"
    + _column(75, _widget("nav-menu", _MENU) + "\n" + _widget("search-form", _SEARCH_FORM)),
    " elementor-section-full_width"), tag="header")
FOOTER = _template("footer", 140, "footer", _section(_column(100, _widget("text-editor", f"""
<p>Plugged In is a ministry of Focus on the Family. We shine a light on the world of popular entertainment while giving you and your family the tools you need to understand, navigate and impact the culture in which we live.</p>
<p><a href="{BASE}/about-us/">About Us</a> | <a href="{BASE}/contact-us/">Contact Us</a> | <a href="https://www.focusonthefamily.com/privacy-policy/">Privacy Policy</a></p>
<p>Copyright &copy; 2025 Focus on the Family. All rights reserved.</p>
"""))), tag="footer")


# --- review page -------------------------------------------------------------------------------

def review_page(review: ReviewPage) -> str:
    title = escape(review.title)
    poster = _poster(review.path, review.published)
    head = f"""<meta name="robots" content="index, follow, max-image-preview:large, max-snippet:-1, max-video-preview:-1">
<link rel="canonical" href="{review.url}">
<meta property="og:type" content="article">
<meta property="og:title" content="{title} - Plugged In">
<meta property="og:url" content="{review.url}">
<meta property="og:image" content="{poster}">
<script type="application/ld+json" class="yoast-schema-graph">{_yoast_graph(review)}</script>"""
    body_class = ("movie-reviews-template-default single single-movie-reviews "
                  f"postid-{review.post_id} elementor-page-31702")
    post_class = (f" post-{review.post_id} movie-reviews type-movie-reviews status-publish "
                  "has-post-thumbnail hentry")
    content = "\n".join([_review_header(review, title, poster), _review_body(review)])
    main = _template("single", 31702, "single", content, post_class)
    return _page(f"{title} - Plugged In", head, body_class, main)


def _yoast_graph(review: ReviewPage) -> str:
    published = f"{review.published.isoformat()}T06:00:00+00:00"
    graph = {"@context": "https://schema.org", "@graph": [
        {"@type": "WebPage", "@id": review.url, "url": review.url,
         "name": f"{review.title} - Plugged In", "isPartOf": {"@id": f"{BASE}/#website"},
         "datePublished": published, "dateModified": published,
         "breadcrumb": {"@id": f"{review.url}#breadcrumb"}, "inLanguage": "en-US",
         "potentialAction": [{"@type": "ReadAction", "target": [review.url]}]},
        {"@type": "BreadcrumbList", "@id": f"{review.url}#breadcrumb", "itemListElement": [
            {"@type": "ListItem", "position": 1, "name": "Home", "item": f"{BASE}/"},
            {"@type": "ListItem", "position": 2, "name": "Movies", "item": BASE + ARCHIVE},
            {"@type": "ListItem", "position": 3, "name": review.title}]},
        {"@type": "WebSite", "@id": f"{BASE}/#website", "url": f"{BASE}/", "name": "Plugged In",
         "publisher": {"@id": f"{BASE}/#organization"}, "inLanguage": "en-US",
         "potentialAction": [{"@type": "SearchAction", "target": {
             "@type": "EntryPoint", "urlTemplate": f"{BASE}/?s={{search_term_string}}"},
             "query-input": "required name=search_term_string"}]},
        {"@type": "Organization", "@id": f"{BASE}/#organization", "name": "Plugged In",
         "url": f"{BASE}/", "sameAs": ["https://www.facebook.com/pluggedin"]},
    ]}
    return json.dumps(graph, ensure_ascii=False).replace("</", "<\\/")


def _term(taxonomy: str, name: str) -> str:
    return (f'<a href="{BASE}/blog/{taxonomy}/{_slugify(name)}/" '
            f'class="elementor-post-info__terms-list-item">{escape(name)}</a>')


def _post_info(review: ReviewPage) -> str:
    """Elementor post-info: release type, MPAA rating and genres as taxonomy term links."""
    terms = [_term("movie-release-type", review.review_type)]
    if review.mpaa:
        terms.append(_term("movie-mpaa-rating", review.mpaa))
    if review.genres:
        terms.append(", ".join(_term("movie-genre", genre) for genre in review.genres))
    items = "\n".join(
        f'<li class="elementor-icon-list-item elementor-repeater-item-{n}a7c '
        'elementor-inline-item" itemprop="about"><span class="elementor-icon-list-text '
        'elementor-post-info__item elementor-post-info__item--type-terms">'
        f'<span class="elementor-post-info__terms-list">{links}</span></span></li>'
        for n, links in enumerate(terms, 1))
    return _widget("post-info", '<ul class="elementor-inline-items elementor-icon-list-items '
                                f'elementor-post-info">\n{items}\n</ul>')


def _caution_block(review: ReviewPage, hidden: str) -> str:
    """"Content Caution": an icon, the category and its level, which links to the section."""
    columns = "\n".join(
        f'<div class="caution-column"><img src="{BASE}/wp-content/themes/pluggedin/images/'
        f'caution-{_slugify(category)}.svg" alt="" width="32" height="32">'
        f'<span class="caution-category">{category}</span>'
        f'<a href="#{_slugify(CAUTIONS[category]) if level != NOT_SET else ""}" '
        f'class="caution-level caution-level--{_slugify(level) or "unset"}">{level}</a></div>'
        for category, level in review.cautions.items())
    return _shortcode('<div class="content-caution"><h3 class="caution-heading">Content Caution'
                      f'</h3>\n<div class="caution-row">\n{columns}\n</div></div>', hidden)


def _review_header(review: ReviewPage, title: str, poster: str) -> str:
    image = (f'<img width="300" height="450" src="{poster}" '
             f'alt="{title} movie poster">')
    details = "\n".join([
        _post_info(review),
        _widget("theme-post-title", f'<h1 class="elementor-heading-title elementor-size-default">'
                                    f"{title}</h1>", " elementor-page-title elementor-widget-heading"),
        _caution_block(review, " elementor-hidden-mobile"),
    ])
    header = _section(_column(33, _widget("theme-post-featured-image", image,
                                          " elementor-widget-image"))
                      + "\n" + _column(66, details), " review-header")
    mobile = _section(_column(100, _caution_block(
        review, " elementor-hidden-desktop elementor-hidden-tablet")), " caution-mobile")
    return f"{header}\n{mobile}"


def _review_column(anchor: str, content: str) -> str:
    return _section(_column(100, _shortcode(content), inner=True), inner=True, anchor=anchor)


def _review_body(review: ReviewPage) -> str:
    jump = "".join(f'<li><a href="#{_slugify(heading)}">{escape(heading)}</a></li>'
                   for heading, _ in review.sections)
    columns = [_review_column("jump-menu", '<div class="review-column jump-menu"><h2>Jump to:</h2>'
                                           f"<ul>{jump}</ul></div>")]
    for heading, paragraphs in review.sections:
        text = "\n".join(f"<p>{escape(p, quote=False)}</p>" for p in paragraphs)
        columns.append(_review_column(
            _slugify(heading), f'<div class="review-column"><h2>{escape(heading)}</h2>\n{text}\n</div>'))
    author = _slugify(review.reviewer)
    name = escape(review.reviewer)
    columns.append(_review_column("about-the-author", (
        f'<div class="contributor-bio-block"><img src="{BASE}/wp-content/uploads/contributors/'
        f'{author}.jpg" alt="" width="96" height="96">\n<div class="contributor-bio-text">'
        f"<h5>{name}</h5><p>{name} writes reviews for Plugged In.</p></div></div>")))
    return _section(_column(66, "\n".join(columns)) + "\n" + _column(33, _credits(review, author)),
                    " review-body")


def _credits(review: ReviewPage, author: str) -> str:
    """Credits: ``h4`` labels with ``li`` values, the first pair being release type and date."""
    pairs = [(review.release[0], [review.release[1]]), ("Cast", review.cast),
             ("Director" if len(review.directors) < 2 else "Directors", review.directors),
             ("Distributor", [review.distributor] if review.distributor else []),
             ("Home Release Date", [review.home_release] if review.home_release else [])]
    widgets = [_heading("h3", "Credits")]
    for label, values in pairs:
        if values:
            items = "".join(f'<li class="elementor-icon-list-item"><span class="elementor-icon-'
                            f'list-text">{escape(value)}</span></li>' for value in values)
            widgets += [_heading("h4", escape(label)),
                        _widget("icon-list", f'<ul class="elementor-icon-list-items">{items}</ul>')]
    widgets += [_heading("h4", "Reviewer"),
                _shortcode(f'<div class="contributor-name"><a href="{BASE}/author/{author}/">'
                           f"{escape(review.reviewer)}</a></div>")]
    return "\n".join(widgets)


def _poster(path: str, published: date | None = None) -> str:
    folder = f"{published.year}/{published.month:02d}" if published else "2023/01"
    slug = path.rstrip("/").rsplit("/", 1)[-1]
    return f"{BASE}/wp-content/uploads/{folder}/{slug}-poster.jpg"


# --- archive and feed --------------------------------------------------------------------------

def archive_page(reviews: list[ReviewPage], number: int, pages: int) -> str:
    links = [f'<link rel="canonical" href="{BASE}{archive_path(number)}">']
    if number > 1:
        links.append(f'<link rel="prev" href="{BASE}{archive_path(number - 1)}">')
    if number < pages:
        links.append(f'<link rel="next" href="{BASE}{archive_path(number + 1)}">')
    rows = "\n".join(_archive_row(review) for review in reviews)
    filters = "".join(f'<li><a href="{BASE}{ARCHIVE}?release_type={_slugify(kind)}">{kind}</a></li>'
                      for kind in ("In Theaters", "Streaming", "DVD"))
    listing = (f'<div class="archives-wrapper">\n<div class="archives-left"><h4>Filter</h4>'
               f'<ul class="archive-filters">{filters}</ul></div>\n'
               f'<div class="archives-right">\n{rows}\n</div>\n</div>')
    widgets = "\n".join([_heading("h1", "Movie Reviews"), _shortcode(listing),
                         _pagination(number, pages)])
    main = _template("archive", 5075, "archive", _section(_column(100, widgets)))
    page_part = f" - Page {number} of {pages}" if number > 1 else ""
    return _page(f"Movies Archive{page_part} - Plugged In", "\n".join(links),
                 "archive post-type-archive post-type-archive-movie-reviews", main)


def _archive_row(review: ReviewPage) -> str:
    title = escape(review.title)
    poster = _poster(review.path, review.published)
    return f"""<div class="post-row">
<div class="archive-col-left"><a href="{review.url}"><img width="150" height="225" src="{poster}" alt="{title}"></a></div>
<div class="archive-col-right"><a href="{review.url}"><h3 class="archive-title">{title}</h3></a>
<div class="archive-meta"><span class="archive-type">{escape(review.review_type)}</span> <span class="archive-rating">{escape(review.mpaa or "")}</span></div>
<p class="archive-excerpt">{escape(review.excerpt, quote=False)}</p></div>
</div>"""


def _pagination(number: int, pages: int) -> str:
    if pages < 2:
        return ""

    def link(n: int, label: str, kind: str = "") -> str:
        return f'<a class="page-numbers{kind}" href="{BASE}{archive_path(n)}">{label}</a>'

    links = [link(number - 1, "&laquo; Previous", " prev")] if number > 1 else []
    for n in page_numbers(number, pages):
        label = f'<span class="elementor-screen-only">Page</span>{n}'
        links.append('<span class="page-numbers dots">&hellip;</span>' if n is None
                     else f'<span aria-current="page" class="page-numbers current">{label}</span>'
                     if n == number else link(n, label))
    if number < pages:
        links.append(link(number + 1, "Next &raquo;", " next"))
    return f'<nav class="elementor-pagination" aria-label="Pagination">{" ".join(links)}</nav>'


def feed(reviews: list[ReviewPage]) -> str:
    """The archive's WordPress RSS 2.0 feed (newest reviews first)."""
    def when(review: ReviewPage) -> str:
        return format_datetime(datetime.combine(review.published, datetime.min.time(), UTC)
                               + timedelta(hours=6))

    items = "\n".join(f"""<item>
<title>{escape(r.title, quote=False)}</title>
<link>{r.url}</link>
<dc:creator><![CDATA[{r.reviewer}]]></dc:creator>
<pubDate>{when(r)}</pubDate>
<guid isPermaLink="false">{BASE}/?post_type=movie-reviews&#038;p={r.post_id}</guid>
<description><![CDATA[{r.excerpt}]]></description>
</item>""" for r in reviews)
    built = when(reviews[0]) if reviews else "Wed, 01 Jan 2025 06:00:00 +0000"
    return f"""<?xml version="1.0" encoding="UTF-8"?><rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/" xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:atom="http://www.w3.org/2005/Atom" xmlns:sy="http://purl.org/rss/1.0/modules/syndication/">
<channel>
<title>Movies Archive - Plugged In</title>
<atom:link href="{BASE}{ARCHIVE}feed/" rel="self" type="application/rss+xml" />
<link>{BASE}{ARCHIVE}</link>
<description>Shining a light on the world of popular entertainment</description>
<lastBuildDate>{built}</lastBuildDate>
<language>en-US</language>
<sy:updatePeriod>hourly</sy:updatePeriod>
<sy:updateFrequency>1</sy:updateFrequency>
{items}
</channel>
</rss>
"""
