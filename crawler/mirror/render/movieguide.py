"""MovieGuide (www.movieguide.org) pages of the local mirror.

Two generations of the review page, as described in ``/work/shared/sites/README.md`` section 7:

* classic (WordPress "Valenti" theme + movieguide plugin, seen 2014-2019): ``<title>``
  ``X - Movieguide | Movie Reviews for Christians`` (or ``... for Families``),
  ``/reviews/<slug>.html``, ``table.movieguide_content_summary``, ``div.movieguide_subheading``
  label lines. The chrome
  (``#cb-outer-container``, ``#cb-nav-bar``, the ``Nstars.png`` quality images and the
  ``div.movieguide_review`` teasers of the home page) follows the saved 2018 home page
  (silverfoxy/JSCryptoMinerStudy ``pagesource/movieguide.org``);
* current (2020-): ``<title>`` ``X Review - Movies - Movieguide``, ``/reviews/movies/<slug>.html``,
  ``div.content-qual-header``, ``table.content-qual-tbl``, ``div.content_content`` ("CONTENT: ...").
  Assumed (no saved page found): the film-facts list ``div.movie-details``, the ``div.qual`` star
  icons, ``div.summary_content`` and ``div.review_content``.

Films released before ``CURRENT_SINCE`` get the classic page (their reviews were written back then).
Listings: the category archive ``/category/reviews`` (+ ``/page/N``, classic chrome) and the home
page; search ``/?s=<q>`` answers in the current theme's WordPress search markup (links ``h2 a``),
unknown paths with the theme's 404 page.

Judgement values (stars, acceptability, content levels, texts) come from ``movieguide_data.json``;
a film without an entry gets values derived from a hash of its key and its MPAA rating, so
``build`` stays deterministic on any catalog.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections import Counter
from datetime import date
from functools import lru_cache
from html import escape
from pathlib import Path

from crawler.mirror.paths import write_page
from crawler.mirror.render import page_numbers

HOSTS: tuple[str, ...] = ("www.movieguide.org",)
HOST = HOSTS[0]
BASE_URL = f"https://{HOST}"
LISTING_PATH = "/category/reviews"
PER_PAGE = 10
CURRENT_SINCE = 2015
DATA_FILE = Path(__file__).with_name("movieguide_data.json")
UPLOADS = f"{BASE_URL}/wp-content/uploads"
PLUGIN_IMAGES = f"{BASE_URL}/wp-content/plugins/movieguide/images"

LEVELS = ("None", "Light", "Moderate", "Heavy")
# content key -> (classic table row label, content-note and current table row label)
CATEGORIES = {
    "language": ("Language", "Foul Language"),
    "violence": ("Violence", "Violence"),
    "sex": ("Sex", "Sex"),
    "nudity": ("Nudity", "Nudity"),
    "alcohol": ("Alcohol Use", "Alcohol Use"),
    "smoking_drugs": ("Smoking and/or Drug Use and Abuse", "Smoking and/or Drug Use and Abuse"),
    "immorality": ("Miscellaneous Immorality", "Miscellaneous Immorality"),
}
CONTENT_CODES = {"language": "L", "violence": "V", "sex": "S", "nudity": "N", "alcohol": "A",
                 "smoking_drugs": "D", "immorality": "M"}
# movieguide.org/what-the-ratings-mean
QUALITY_WORDS = {1: "Poor", 2: "Fair", 3: "Good", 4: "Excellent"}
ACCEPTABILITY = {
    4: ("Exemplary", "Biblical, usually Christian, worldview with no questionable elements"),
    3: ("Moral", "Some minor questionable elements; media-wisdom is suggested to discuss"),
    2: ("Good", "Moderately questionable elements; discernment required for young children"),
    1: ("Worthwhile", "Caution advised for young children"),
    -1: ("Caution", "Caution advised for older children, teenagers and sensitive adults"),
    -2: ("Extreme Caution", "Extreme caution for older teenagers and adults"),
    -3: ("Excessive", "Excessive sex, violence, immorality and/or worldview problems"),
    -4: ("Abhorrent", "Intentional blasphemy, evil, gross immorality and/or worldview problems"),
}
AUDIENCE = {"G": "All ages", "PG": "Older children and adults", "PG-13": "Teenagers and adults",
            "R": "Adults", "NC-17": "Adults"}
# derived values for films without a data entry: levels (0-3) in CATEGORIES order, acceptability
MPAA_PROFILE = {
    "G": ((0, 1, 0, 0, 0, 0, 1), 3),
    "PG": ((1, 1, 0, 0, 1, 0, 1), 2),
    "PG-13": ((2, 2, 1, 1, 1, 1, 2), -1),
    "R": ((3, 3, 2, 2, 2, 2, 2), -2),
}
MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August", "September",
          "October", "November", "December")


# --- review values ---------------------------------------------------------------------------


@lru_cache(maxsize=1)
def _data() -> dict:
    return json.loads(DATA_FILE.read_text(encoding="utf-8"))


def _hash(key: str) -> int:
    return int(hashlib.sha1(key.encode("utf-8")).hexdigest()[:12], 16)


def _slug(title: str) -> str:
    """Lowercase, apostrophes, dots and colons dropped, other runs of punctuation -> ``-``."""
    title = re.sub(r"['’.:]", "", title.lower()).replace("&", "and")
    return re.sub(r"[^a-z0-9]+", "-", title).strip("-")


def covered(films: list[dict]) -> list[dict]:
    """Every film but those the data file marks as not reviewed by MovieGuide."""
    skipped = set(_data()["not_reviewed"])
    return [film for film in films if film["key"] not in skipped]


def review_values(film: dict, remade: bool = False) -> dict:
    """Everything a review page shows: the film's facts plus MovieGuide's judgement.

    ``remade``: another covered film has the same title; MovieGuide then adds the year to the
    title and the slug ("PETER RABBIT (2018)", ``peter-rabbit-2018``).
    """
    own = _data()["reviews"].get(film["key"]) or _derived_values(film)
    year = f" ({film['year']})" if remade else ""
    title = own.get("title") or film["title"].upper() + year
    slug = own.get("slug") or _slug(film["title"] + year)
    generation = "current" if film["year"] >= CURRENT_SINCE else "classic"
    path = f"/reviews/movies/{slug}.html" if generation == "current" else f"/reviews/{slug}.html"
    released = _parse_date(own["release_date"])
    published = _parse_date(own["published"]) if own.get("published") else released
    return {
        **own,
        "film": film,
        "title": title,
        "path": path,
        "url": BASE_URL + path,
        "generation": generation,
        "post_id": 100000 + _hash(film["key"]) % 800000,
        "published_iso": f"{published.isoformat()}T08:00:00+00:00",
        "published_text": _date_text(published),
        "poster": f"{UPLOADS}/{published:%Y/%m}/{slug}-poster",  # + size suffix and ".jpg"
        "site_suffix": "Christians" if _hash(film["key"]) % 2 == 0 else "Families",
    }


def _derived_values(film: dict) -> dict:
    """Plausible values for a film without a data entry, fixed by a hash of its key."""
    h = _hash(film["key"])
    base, acceptability = MPAA_PROFILE.get(film.get("mpaa") or "", ((1, 1, 1, 0, 1, 0, 1), 1))
    # a quarter of the categories one level stronger than the MPAA profile
    levels = {
        key: LEVELS[min(3, level + (1 if (h >> (2 * i)) & 3 == 0 else 0))]
        for i, (key, level) in enumerate(zip(CATEGORIES, base, strict=True))
    }
    stars = 2 + h % 3
    title = film["title"].upper()
    word, advice = ACCEPTABILITY[acceptability]
    return {
        "release_date": f"{MONTHS[h % 12]} {1 + (h >> 4) % 28}, {film['year']}",
        "stars": stars,
        "acceptability": acceptability,
        "levels": levels,
        "codes": _codes(levels, acceptability),
        "worldview": f"{word} worldview" if acceptability > 0 else "Mixed worldview",
        "notes": {key: _generic_note(key, level) for key, level in levels.items()},
        "summary": f"{title} is {QUALITY_WORDS[stars].lower()} entertainment. {advice}.",
        "review": [
            f"{title} is a {', '.join(film.get('genres') or ['movie']).lower()} from director "
            f"{_and_list(film.get('directors') or ['an unknown director'])}, starring "
            f"{_and_list(film.get('cast') or ['an ensemble cast'])}.",
            f"Movieguide rates its quality {QUALITY_WORDS[stars].lower()} "
            f"and its content {word.lower()}.",
        ],
    }


def _codes(levels: dict[str, str], acceptability: int) -> str:
    worldview = "B" if acceptability > 0 else "H"
    content = [CONTENT_CODES[key] * LEVELS.index(level) for key, level in levels.items()]
    return "(" + ", ".join([worldview, *(code for code in content if code)]) + ")"


def _generic_note(key: str, level: str) -> str:
    noun = CATEGORIES[key][1].lower()
    return {"None": "No", "Light": "Light", "Moderate": "Some", "Heavy": "Much"}[level] + " " + noun


def _parse_date(text: str) -> date:
    """``"November 27, 2013"`` or ``"2013-11-27"``."""
    if re.fullmatch(r"\d{4}-\d\d-\d\d", text):
        return date.fromisoformat(text)
    month, day, year = re.fullmatch(r"(\w+) (\d+), (\d{4})", text).groups()
    return date(int(year), MONTHS.index(month) + 1, int(day))


def _date_text(day: date) -> str:
    return f"{MONTHS[day.month - 1]} {day.day}, {day.year}"


def _and_list(names: list[str]) -> str:
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]


def _signed(number: int) -> str:
    return f"+{number}" if number > 0 else str(number)


def _page_title(review: dict) -> str:
    if review["generation"] == "current":
        return f"{review['title']} Review - Movies - Movieguide"
    return f"{review['title']} - Movieguide | Movie Reviews for {review['site_suffix']}"


# --- page chrome -----------------------------------------------------------------------------

SITE_NAME = "Movieguide | The Family &amp; Christian Guide to Movie Reviews"
WEBSITE_JSON_LD = json.dumps({
    "@context": "https://schema.org", "@type": "WebSite", "@id": "#website", "url": f"{BASE_URL}/",
    "name": "Movieguide | The Family & Christian Guide to Movie Reviews",
    "potentialAction": {"@type": "SearchAction", "target": f"{BASE_URL}/?s={{search_term_string}}",
                        "query-input": "required name=search_term_string"},
}, separators=(",", ":"))
MENU = (
    ("/category/reviews", "Movie Reviews"), ("/category/reviews/in-theaters", "In Theaters"),
    ("/category/tv-reviews", "TV Reviews"), ("/category/news-articles", "Articles"),
    ("/category/podcasts", "Podcasts"), ("/category/watch-reviews", "Videos"),
    ("/category/top-10", "Top 10"), ("/recommended", "Recommended"),
    ("/donate/?utm_source=menu", "Donate"),
)


def _menu_items() -> str:
    return "\n".join(
        f'<li class="menu-item menu-item-type-taxonomy menu-item-object-category">'
        f'<a href="{BASE_URL}{path}">{label}</a></li>'
        for path, label in MENU
    )


def _search_form(css_class: str, value: str = "") -> str:
    return (
        f'<form role="search" method="get" class="{css_class}" action="{BASE_URL}/">'
        f'<input type="search" class="search-field" placeholder="Search &hellip;" '
        f'value="{escape(value)}" name="s" title="Search for:">'
        '<button class="search-submit" type="submit">Search</button></form>'
    )


def _classic_page(title: str, head: str, body_class: str, main: str) -> str:
    """The 2014-2019 Valenti theme around ``main`` (header, menu, sidebar, footer)."""
    return f"""<!DOCTYPE html>
<!--[if lt IE 7]><html lang="en-US" prefix="og: http://ogp.me/ns# fb: http://ogp.me/ns/fb#" class="no-js lt-ie9 lt-ie8 lt-ie7"> <![endif]-->
<!--[if gt IE 8]><!--> <html lang="en-US" prefix="og: http://ogp.me/ns# fb: http://ogp.me/ns/fb#" class="no-js"><!--<![endif]-->
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1.0"/>
<link rel="pingback" href="{BASE_URL}/xmlrpc.php">
<title>{escape(title)}</title>
<!-- This site is optimized with the Yoast SEO plugin v7.0.3 - https://yoast.com/wordpress/plugins/seo/ -->
{head}
<meta property="og:site_name" content="{SITE_NAME}" />
<meta name="twitter:site" content="@movieguide" />
<script type='application/ld+json'>{WEBSITE_JSON_LD}</script>
<!-- / Yoast SEO plugin. -->
<link rel="alternate" type="application/rss+xml" title="{SITE_NAME} &raquo; Feed" href="{BASE_URL}/feed" />
<link rel='stylesheet' id='fvm-header-0-css' href='{UPLOADS}/fvm/out/header-0d958b79-1520058441.min.css' type='text/css' media='all' />
<meta name="generator" content="WordPress 4.9.4" />
<script async src="{BASE_URL}/wp-content/plugins/movieguide/js/reviews.js"></script>
</head>
<body class="{body_class} cb-sticky-mm cb-mod-underlines cb-sidebar-right cb-boxed">
<div id="cb-outer-container">
<div id="cb-search-modal" class="cb-s-modal cb-modal cb-dark-menu"><div class="cb-search-box">
<div class="cb-header"><div class="cb-title">Search</div></div>
{_search_form("cb-search")}
</div></div>
<div id="cb-container" class="wrap clearfix">
<header class="header clearfix wrap">
<div id="cb-logo-box" class="wrap clearfix"><div id="logo" class="cb-with-large">
<a href="{BASE_URL}"><img src="{UPLOADS}/2014/07/movieguide-logo@2x.png" alt="{SITE_NAME} logo"></a>
</div></div>
<nav id="cb-nav-bar" class="clearfix cb-dark-menu"><div id="cb-main-menu" class="cb-nav-bar-wrap clearfix wrap">
<ul class="nav main-nav wrap clearfix">
{_menu_items()}
</ul></div></nav>
</header>
<div id="cb-content" class="wrap clearfix">
<div id="main" class="cb-main clearfix" role="main">
{main}
</div>
<aside class="cb-sidebar clearfix" role="complementary">
<div class="cb-sidebar-widget movieguide_donate"><h3 class="cb-sidebar-widget-title">Donate</h3>
<p><a href="{BASE_URL}/donate/?utm_source=sidebar">Movieguide&reg; is a 501c3 non-profit. We are only able to make a difference because of your generous support. DONATE TODAY!</a></p></div>
</aside>
</div>
<footer id="cb-footer" class="wrap" role="contentinfo">
<div class="cb-footer-lower clearfix"><div class="wrap clearfix">
<div class="cb-copyright">Copyright &copy; 2018 Movieguide&reg;. All rights reserved.</div>
<div class="cb-to-top"><a href="#" id="cb-to-top"><i class="fa fa-angle-up cb-circle"></i></a></div>
</div></div>
</footer>
</div>
</div>
</body>
</html>
"""


def _current_page(title: str, head: str, body_class: str, main: str, search: str = "") -> str:
    """The 2020s theme around ``main``."""
    return f"""<!DOCTYPE html>
<html lang="en-US">
<head>
<meta charset="UTF-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{escape(title)}</title>
{head}
<meta property="og:site_name" content="{SITE_NAME}" />
<link rel="stylesheet" id="movieguide-style-css" href="{BASE_URL}/wp-content/themes/movieguide/style.css" media="all" />
<link rel="icon" href="{UPLOADS}/2020/03/cropped-favicon-32x32.png" sizes="32x32" />
</head>
<body class="{body_class}">
<div id="page" class="site">
<a class="skip-link screen-reader-text" href="#primary">Skip to content</a>
<header id="masthead" class="site-header">
<div class="site-branding"><a href="{BASE_URL}/" class="custom-logo-link" rel="home">
<img src="{UPLOADS}/2020/03/movieguide-logo.png" class="custom-logo" alt="Movieguide"></a></div>
<nav id="site-navigation" class="main-navigation">
<button class="menu-toggle" aria-controls="primary-menu" aria-expanded="false">Menu</button>
<ul id="primary-menu" class="menu">
{_menu_items()}
</ul></nav>
{_search_form("search-form", search)}
</header>
<div id="content" class="site-content">
<main id="primary" class="site-main">
{main}
</main>
</div>
<footer id="colophon" class="site-footer">
<div class="site-info">&copy; 2024 Movieguide&reg;. All rights reserved. Movieguide&reg; is a 501c3 non-profit.
<a href="{BASE_URL}/what-the-ratings-mean">What the ratings mean</a></div>
</footer>
</div>
</body>
</html>
"""


def _article_head(review: dict, description: str) -> str:
    url, title = review["url"], escape(_page_title(review))
    return f"""<meta name="description" content="{escape(description)}"/>
<link rel="canonical" href="{url}" />
<meta property="og:locale" content="en_US" />
<meta property="og:type" content="article" />
<meta property="og:title" content="{title}" />
<meta property="og:description" content="{escape(description)}" />
<meta property="og:url" content="{url}" />
<meta property="article:section" content="Movie Reviews" />
<meta property="article:published_time" content="{review['published_iso']}" />"""


# --- review pages ----------------------------------------------------------------------------


def render_review(review: dict) -> str:
    if review["generation"] == "current":
        return _current_review(review)
    return _classic_review(review)


def _facts(review: dict, runtime_unit: str) -> list[tuple[str, str]]:
    film = review["film"]
    facts = [
        ("Release Date", review["release_date"]),
        ("Starring", ", ".join(film.get("cast") or [])),
        ("Genre", ", ".join(film.get("genres") or [])),
        ("Audience", AUDIENCE.get(film.get("mpaa") or "", "")),
        ("Rating", film.get("mpaa") or ""),
        ("Runtime", f"{film['runtime']} {runtime_unit}" if film.get("runtime") else ""),
        ("Director", _and_list(film["directors"]) if film.get("directors") else ""),
    ]
    return [(label, value) for label, value in facts if value]


def _content_table(
    review: dict, css_class: str, label_cell: str, circles: tuple[str, str, str]
) -> str:
    """The None/Light/Moderate/Heavy grid: one marked cell per row (green for None, red else).

    ``circles`` = (unmarked, marked None, marked Light..Heavy) class names. The current table
    prints the content-note names ("Foul Language"), the classic one the short names.
    """
    empty, none, present = circles
    label_index = 1 if review["generation"] == "current" else 0
    rows = []
    for key, level in review["levels"].items():
        marked = LEVELS.index(level)
        marks = [empty] * len(LEVELS)
        marks[marked] = none if marked == 0 else present
        cells = "".join(f'<td><div class="{mark}"></div></td>' for mark in marks)
        rows.append(f"<tr>{label_cell.format(label=CATEGORIES[key][label_index])}{cells}</tr>")
    header = "".join(f"<th>{level}</th>" for level in LEVELS)
    rows_html = "\n".join(rows)
    return f'<table class="{css_class}">\n<tr><th></th>{header}</tr>\n{rows_html}\n</table>'


def _classic_review(review: dict) -> str:
    stars, acceptability = review["stars"], review["acceptability"]
    table = _content_table(
        review, "movieguide_content_summary", "<td>{label}</td>",
        ("movieguide_circle", "movieguide_circle_green", "movieguide_circle_red"),
    )
    info = "\n".join(
        f'<div class="movieguide_subheading">{label}:</div> {escape(value)}<br />'
        for label, value in _facts(review, "minutes")
    )
    notes = "\n".join(
        f'<div class="movieguide_subheading">{label}:</div> {escape(text)}<br />'
        for label, text in _content_notes(review)
    )
    body = "\n".join(f"<p>{escape(p)}</p>" for p in review["review"])
    main = f"""<article id="post-{review['post_id']}" class="clearfix post-{review['post_id']} post type-post status-publish format-standard has-post-thumbnail hentry category-reviews" role="article">
<div class="cb-entry-header">
<h1 class="entry-title cb-entry-title cb-single-title" itemprop="headline">{escape(review['title'])}</h1>
<div class="cb-byline"><div class="cb-date"><time class="updated" datetime="{review['published_iso'][:10]}">{review['published_text']}</time></div>
<div class="cb-category cb-element"><a href="{BASE_URL}{LISTING_PATH}" title="View all posts in Movie Reviews">Movie Reviews</a></div></div>
</div>
<section class="cb-entry-content clearfix" itemprop="articleBody">
<div class="movieguide_review">
<div class="movieguide_review_section movieguide_review_summary">{escape(review['summary'])}</div>
<div class="movieguide_review_section movieguide_review_ratings">
<div class="movieguide_quality"><span class="movieguide_prefix">Quality:</span> <img class="movieguide_data" src="{PLUGIN_IMAGES}/{stars}stars.png" alt="{stars} stars" /></div>
<div class="movieguide_acceptability"><span class="movieguide_prefix">Content:</span> <span class="movieguide_data">{_signed(acceptability)}</span></div>
{table}
</div>
<div class="movieguide_review_section movieguide_review_info">
{info}
</div>
<div class="movieguide_review_section movieguide_review_content">
{notes}
</div>
<div class="movieguide_review_section movieguide_review_body">
{body}
</div>
</div>
</section>
</article>"""
    head = _article_head(review, review["summary"])
    return _classic_page(_page_title(review), head, _single_body_class(review), main)


def _single_body_class(review: dict) -> str:
    return (
        f"post-template-default single single-post postid-{review['post_id']} "
        "single-format-standard"
    )


def _content_notes(review: dict) -> list[tuple[str, str]]:
    worldview = ("Dominant Worldview and Other Worldview Content/Elements",
                 f"{review['codes']} {review['worldview']}")
    return [worldview, *((CATEGORIES[key][1], review["notes"][key]) for key in review["levels"])]


def _current_review(review: dict) -> str:
    stars, acceptability = review["stars"], review["acceptability"]
    word, meaning = ACCEPTABILITY[acceptability]
    star_icons = '<i class="fa fa-star"></i>' * stars + '<i class="fa fa-star-o"></i>' * (4 - stars)
    table = _content_table(
        review, "content-qual-tbl", '<td class="param-cell">{label}</td>',
        ("circle", "circle-green", "circle-red"),
    )
    facts = "\n".join(
        f'<li><span class="label">{label}:</span> <span class="value">{escape(value)}</span></li>'
        for label, value in _facts(review, "min.")
    )
    content = f"{review['codes']} {review['worldview']}; " + "; ".join(
        review["notes"][key] for key in review["levels"]
    )
    body = "\n".join(f"<p>{escape(p)}</p>" for p in review["review"])
    post_id, url = review["post_id"], review["url"]
    graph = json.dumps({"@context": "https://schema.org", "@graph": [
        {"@type": "WebPage", "@id": url, "url": url, "name": _page_title(review),
         "isPartOf": {"@id": f"{BASE_URL}/#website"}, "datePublished": review["published_iso"],
         "inLanguage": "en-US"},
        {"@type": "WebSite", "@id": f"{BASE_URL}/#website", "url": f"{BASE_URL}/",
         "name": "Movieguide"},
    ]}, separators=(",", ":"))
    head = _article_head(review, review["summary"]) + (
        f'\n<script type="application/ld+json" class="yoast-schema-graph">{graph}</script>'
    )
    main = f"""<article id="post-{post_id}" class="post-{post_id} post type-post status-publish format-standard has-post-thumbnail hentry category-reviews">
<header class="entry-header">
<h1 class="entry-title">{escape(review['title'])}</h1>
<div class="entry-meta"><span class="posted-on"><time class="entry-date published" datetime="{review['published_iso']}">{review['published_text']}</time></span></div>
</header>
<div class="post-thumbnail"><img src="{review['poster']}.jpg" class="attachment-post-thumbnail wp-post-image" alt=""></div>
<div class="content-qual-header">
<div class="content" title="{_signed(acceptability)} {word}: {escape(meaning)}"><span class="label">Content:</span> <strong style="color:#545454;">{_signed(acceptability)} {word}</strong></div>
<div class="qual" title="{QUALITY_WORDS[stars]}: {stars} out of 4 stars"><span class="label">Quality:</span> <span class="stars">{star_icons}</span></div>
</div>
{table}
<div class="movie-details"><ul>
{facts}
</ul></div>
<div class="entry-content">
<div class="content_content"><strong>CONTENT:</strong> {escape(content)}.</div>
<div class="summary_content"><strong>SUMMARY:</strong> {escape(review['summary'])}</div>
<div class="review_content">
{body}
</div>
</div>
</article>"""
    return _current_page(_page_title(review), head, _single_body_class(review), main)


# --- listing, home, search -------------------------------------------------------------------


def _listing_path(page: int) -> str:
    return LISTING_PATH if page == 1 else f"{LISTING_PATH}/page/{page}"


def render_listing(reviews: list[dict], page: int, pages: int) -> str:
    """One page of the "Movie Reviews" category archive (newest first)."""
    url = BASE_URL + _listing_path(page)
    links = [f'<link rel="canonical" href="{url}" />']
    if page > 1:
        links.append(f'<link rel="prev" href="{BASE_URL}{_listing_path(page - 1)}" />')
    if page < pages:
        links.append(f'<link rel="next" href="{BASE_URL}{_listing_path(page + 1)}" />')
    articles = "\n".join(_teaser(review) for review in reviews)
    main = f"""<div class="cb-cat-header"><h1 id="cb-cat-title"><span>Category</span> <a href="{BASE_URL}{LISTING_PATH}">Movie Reviews</a></h1></div>
<div id="cb-blog-style-a" class="cb-blog-style-roll clearfix">
{articles}
</div>
{_pagination(page, pages)}"""
    title = "Movie Reviews Archives | Movieguide | Movie Reviews for Christians"
    head = "\n".join([*links, '<meta property="og:type" content="object" />'])
    return _classic_page(title, head, "archive category category-reviews", main)


def _teaser(review: dict) -> str:
    url, post_id = review["url"], review["post_id"]
    return f"""<article id="post-{post_id}" class="cb-blog-style-a cb-module-a cb-separated cb-img-above-meta clearfix post-{post_id} post type-post category-reviews" role="article">
<div class="cb-mask cb-img-fw"><a href="{url}"><img width="360" height="240" src="{review['poster']}-360x240.jpg" class="attachment-cb-360-240 wp-post-image" alt="" /></a></div>
<div class="cb-meta clearfix">
<h2 class="cb-post-title"><a href="{url}">{escape(review['title'])}</a></h2>
<div class="cb-byline cb-byline-short"><div class="cb-date"><time class="updated" datetime="{review['published_iso'][:10]}">{review['published_text']}</time></div></div>
<div class="cb-excerpt">{escape(review['summary'])} <a href="{url}" class="cb-read-more">Read More...</a></div>
</div>
</article>"""


def _pagination(page: int, pages: int) -> str:
    if pages <= 1:
        return ""
    parts = []
    if page > 1:
        previous = BASE_URL + _listing_path(page - 1)
        parts.append(f'<a class="prev page-numbers" href="{previous}">&laquo; Previous</a>')
    for number in page_numbers(page, pages):
        if number is None:
            parts.append('<span class="page-numbers dots">&hellip;</span>')
        elif number == page:
            parts.append(f"<span aria-current='page' class='page-numbers current'>{number}</span>")
        else:
            href = BASE_URL + _listing_path(number)
            parts.append(f"<a class='page-numbers' href='{href}'>{number}</a>")
    if page < pages:
        following = BASE_URL + _listing_path(page + 1)
        parts.append(f'<a class="next page-numbers" href="{following}">Next &raquo;</a>')
    return '<nav class="cb-pagination clearfix">' + "\n".join(parts) + "</nav>"


def render_home(latest: list[dict]) -> str:
    """The home page's "Latest Movie Reviews" module (as on the saved 2018 home page)."""
    items = " ".join(
        f'<div class="movieguide_review"><div class="movieguide_thumbnail"><a href="{r["url"]}">'
        f'<img src="{r["poster"]}.jpg" /></a></div>'
        f'<div class="movieguide_title"><a href="{r["url"]}">{escape(r["title"])}</a></div>'
        '<div class="movieguide_meta"><div class="movieguide_quality">'
        '<span class="movieguide_prefix">Quality:</span> '
        f'<img class="movieguide_data" src="{PLUGIN_IMAGES}/{r["stars"]}stars.png" /></div>'
        f'<div class="movieguide_acceptability"><span class="movieguide_prefix">Content:</span> '
        f'<span class="movieguide_data">{_signed(r["acceptability"])}</span></div></div></div>'
        for r in latest
    )
    main = f"""<div class="movieguide_module movieguide_latest_reviews"><div class="movieguide_wrap">
<a href="{BASE_URL}{LISTING_PATH}"><div class="movieguide_module_header"><h2><i class="dslc-icon dslc-icon-film"></i> Latest Movie Reviews</h2><div class="movieguide_more">More...</div></div></a>
<div class="movieguide_module_body">{items}</div></div></div>"""
    head = (
        '<meta name="description" content="Movieguide&reg; reviews movies from a Christian '
        'perspective for families and works in Hollywood to redeem the media."/>\n'
        f'<link rel="canonical" href="{BASE_URL}/" />\n'
        '<meta property="og:type" content="website" />'
    )
    title = "Home | Movieguide | Movie Reviews for Christians"
    return _classic_page(title, head, "home page-template-default page page-id-504923", main)


def search_query(path: str, params: dict[str, list[str]]) -> str | None:
    """WordPress search: ``/?s=<query>``."""
    if path not in ("", "/") or "s" not in params:
        return None
    return (params["s"] or [""])[0]


def render_search(query: str, hits: list[dict]) -> tuple[str, bytes]:
    if hits:
        results = "\n".join(
            '<article class="post type-post status-publish hentry category-reviews">'
            '<header class="entry-header"><h2 class="entry-title">'
            f'<a href="{BASE_URL}{hit["path"]}" rel="bookmark">{escape(hit["title"])}</a>'
            "</h2></header></article>"
            for hit in hits
        )
        main = (
            f'<header class="page-header"><h1 class="page-title">Search Results for: '
            f"<span>{escape(query)}</span></h1></header>\n{results}"
        )
    else:
        main = f"""<section class="no-results not-found">
<header class="page-header"><h1 class="page-title">Nothing Found</h1></header>
<div class="page-content"><p>Sorry, but nothing matched your search terms. Please try again with some different keywords.</p>
{_search_form("search-form", query)}</div>
</section>"""
    head = '<meta name="robots" content="noindex, follow" />'
    title = f"You searched for {query} - Movieguide | Movie Reviews for Families"
    body_class = "search search-results" if hits else "search search-no-results"
    html = _current_page(title, head, body_class, main, search=query)
    return "text/html; charset=UTF-8", html.encode("utf-8")


def render_not_found(path: str) -> tuple[int, str, bytes]:
    """WordPress's 404 page of the current theme, for any path the mirror has no file for."""
    main = f"""<section class="error-404 not-found">
<header class="page-header"><h1 class="page-title">Oops! That page can&rsquo;t be found.</h1></header>
<div class="page-content"><p>It looks like nothing was found at this location. Maybe try a search?</p>
{_search_form("search-form")}</div>
</section>"""
    head = '<meta name="robots" content="noindex, follow" />'
    html = _current_page("Page not found - Movieguide", head, "error404", main)
    return 404, "text/html; charset=UTF-8", html.encode("utf-8")


ROBOTS_TXT = f"""User-agent: *
Disallow: /wp-admin/
Allow: /wp-admin/admin-ajax.php

Sitemap: {BASE_URL}/sitemap_index.xml
"""


# --- build -----------------------------------------------------------------------------------


def build(films: list[dict], root: Path) -> None:
    """Write every MovieGuide page of the covered films (reviews, archive, home, robots, index)."""
    films = covered(films)
    title_counts = Counter(_slug(film["title"]) for film in films)
    reviews = [review_values(film, title_counts[_slug(film["title"])] > 1) for film in films]
    for review in reviews:
        write_page(root, HOST, review["path"], render_review(review))
    newest_first = sorted(reviews, key=lambda r: (r["published_iso"], r["path"]), reverse=True)
    pages = max(1, -(-len(newest_first) // PER_PAGE))
    for page in range(1, pages + 1):
        chunk = newest_first[(page - 1) * PER_PAGE : page * PER_PAGE]
        write_page(root, HOST, _listing_path(page), render_listing(chunk, page, pages))
    write_page(root, HOST, "/", render_home(newest_first[:8]))
    write_page(root, HOST, "/robots.txt", ROBOTS_TXT)
    index = [{"path": review["path"], "title": review["title"]} for review in reviews]
    write_page(root, HOST, "/_index.json", json.dumps(index, indent=1, ensure_ascii=False) + "\n")
