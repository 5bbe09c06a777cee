"""Parent Previews (parentpreviews.com) mirror pages, rendered from the films' facts.

Two review-page generations share the site chrome:

* 2023-2024 (films from 2010 on): the ThemeREX-style grade block documented by the public scrapers,
  ``a[href="#content-details"]`` around ``div.criteria_row.theme_field`` rows (first ``span`` the
  category, ``span.criteria_mark.theme_accent_bg`` the grade); the Overall grade sits in the theme's
  ``div.reviews_summary`` row next to it (assumed: its real element is unverified).
* legacy (films before 2010, assumed: reviews carried over from the Grading the Movies years): no
  grade block, the grades are plain "Label: Grade" lines with the older labels "Language" and
  "Alcohol / Drug Use" (the text form the 2026 regex scraper reads).

Both print the content details as ``<p><b>Violence: </b>...</p>`` paragraphs, one per line. The
listing (``/movie-reviews?page=N``) and the search result list are assumed markup (not documented).
A missing page answers HTTP 200 with the site's "Page Not Found" page (``render_not_found``); the
listing links one removed review (``dead_links``) to show it.

Judgement values (grades, texts) come from ``parentpreviews_data.json``; a film without an entry
gets values derived from a hash of its key and its MPAA rating, so ``build`` stays deterministic.
"""

from __future__ import annotations

import hashlib
import json
import math
from datetime import date, datetime
from html import escape
from pathlib import Path

from crawler.mirror.paths import INDEX_FILE, write_page
from crawler.mirror.render import page_numbers

HOSTS: tuple[str, ...] = ("parentpreviews.com",)
HOST = HOSTS[0]
BASE = f"https://{HOST}"
LISTING_PATH = "/movie-reviews"
SEARCH_PATH = "/search"
PAGE_SIZE = 12
LEGACY_BEFORE = 2010  # assumed: earlier films keep the legacy text grades
HTML = "text/html; charset=utf-8"

_DATA = json.loads(Path(__file__).with_name("parentpreviews_data.json").read_text("utf-8"))
GRADE_STEPS = ("A+", "A", "A-", "B+", "B", "B-", "C+", "C", "C-", "D+", "D", "D-")
# category -> (row label 2023-2024, legacy label, what the detail sentence talks about)
CATEGORIES = {
    "violence": ("Violence", "Violence", "violence and peril"),
    "sex": ("Sexual Content", "Sexual Content", "romantic or sexual content"),
    "language": ("Profanity", "Language", "profanity"),
    "substances": ("Substance Use", "Alcohol / Drug Use", "alcohol or drug use"),
}
DETAIL_LABEL = {"Substance Use": "Alcohol / Drug Use"}  # the details paragraph's name for it
BAND_WORDS = {
    "A": "Little or nothing of concern.",
    "B": "Some mild {}.",
    "C": "Moderate {} that may concern parents of young children.",
    "D": "Frequent or intense {}.",
}
QUALITY_WORDS = {"A": "excellent", "B": "solid", "C": "uneven", "D": "disappointing"}
MPAA_BAND = {"G": 0, "PG": 1, "PG-13": 2, "R": 3}
# Historically G/PG/PG-13 only; some R films have been reviewed since fall 2018.
REVIEWED_RATINGS = {"G", "PG", "PG-13", None}


# --- public hooks --------------------------------------------------------------------------------

def build(films: list[dict], root: Path) -> None:
    """Write the site's pages for the films it covers under ``root/parentpreviews.com``."""
    by_key = {film["key"]: film for film in films}
    reviews = sorted(_reviews(films), key=lambda r: (r["published_iso"], r["path"]), reverse=True)
    for review in reviews:
        html = _review_page(review)
        write_page(root, HOST, review["path"], html)
        if review["path"] != review["canonical_path"]:
            write_page(root, HOST, review["canonical_path"], html)
    dead = [_dead_entry(by_key[key]) for key in _DATA["dead_links"] if key in by_key]
    for entry in dead:
        write_page(root, HOST, entry["path"], _not_found_page())
    _write_listing(root, dead + reviews)
    write_page(root, HOST, "/robots.txt", ROBOTS_TXT)
    index = [{"path": r["path"], "title": r["title"]} for r in reviews]
    index_json = json.dumps(index, indent=1, ensure_ascii=False) + "\n"
    write_page(root, HOST, "/" + INDEX_FILE, index_json)


def search_query(path: str, params: dict[str, list[str]]) -> str | None:
    """The ``keywords`` of ``/search?keywords=<q>`` (the ExpressionEngine simple search form)."""
    if path.rstrip("/") != SEARCH_PATH:
        return None
    return (params.get("keywords") or [""])[0].strip()


def render_search(query: str, hits: list[dict]) -> tuple[str, bytes]:
    shown = escape(query)
    if hits:
        items = "\n".join(_list_item(BASE + hit["path"], hit["title"]) for hit in hits)
        count = f"{len(hits)} result" + ("s" if len(hits) != 1 else "")
        results = (
            f'<p class="search_count">{count}</p>\n'
            f'<div class="post_list search_results">\n{items}\n</div>'
        )
    else:
        results = (
            '<div class="search_no_results">\n'
            f"<p>Sorry, we couldn't find any results for &ldquo;{shown}&rdquo;. "
            "Please check the spelling or try a shorter search.</p>\n</div>"
        )
    body = f'<h1 class="page_title">Search Results for &ldquo;{shown}&rdquo;</h1>\n{results}'
    return HTML, _page("Search Results | Parent Previews", body, "search-results").encode("utf-8")


def render_not_found(path: str) -> tuple[int, str, bytes]:
    """The real site answers every missing page with HTTP 200 and its "Page Not Found" page."""
    return 200, HTML, _not_found_page().encode("utf-8")


# --- which films, which values -------------------------------------------------------------------

def _reviews(films: list[dict]) -> list[dict]:
    """Render-ready values of every covered film; of remakes, the earliest gets the plain slug."""
    taken: set[str] = set()
    reviews = []
    for film in sorted(films, key=lambda f: (f.get("year") or 0, f["key"])):
        if not _covers(film):
            continue
        slug = _slug(film["title"])
        if slug in taken:
            slug = f"{slug}-{film.get('year')}"
        taken.add(slug)
        reviews.append(_review_values(film, slug))
    return reviews


def _covers(film: dict) -> bool:
    if film["key"] in _DATA["films"]:
        return True
    if film["key"] in _DATA["dead_links"]:
        return False
    rating = film.get("mpaa")
    reviewed = rating in REVIEWED_RATINGS or (rating == "R" and (film.get("year") or 0) >= 2018)
    return reviewed and _hash(film["key"], "covered") % 3 != 0


def _review_values(film: dict, slug: str) -> dict:
    entry = _DATA["films"].get(film["key"]) or _derived_entry(film)
    canonical_path = f"{LISTING_PATH}/{slug}"
    trailing = film["key"] in _DATA["trailing_slash"]
    published = entry["published"]
    return {
        **film,
        **entry,
        "slug": slug,
        "canonical_path": canonical_path,
        "path": canonical_path + "/" if trailing else canonical_path,
        "published_iso": datetime.strptime(published, "%B %d, %Y").date().isoformat(),
        "legacy": (film.get("year") or LEGACY_BEFORE) < LEGACY_BEFORE,
        "reviewer": _DATA["reviewers"][_hash(film["key"], "reviewer") % len(_DATA["reviewers"])],
    }


def _derived_entry(film: dict) -> dict:
    """Grades and texts of a film the data file does not cover, from a hash of its key."""
    key, title, year = film["key"], film["title"], film.get("year") or 2000
    base = 3 * MPAA_BAND.get(film.get("mpaa"), 1)
    legacy = year < LEGACY_BEFORE
    # steps down GRADE_STEPS: the higher the MPAA rating, the more violence and language; sex and
    # substances stay milder in family fare
    steps = {
        "violence": base + _hash(key, "violence") % 4,
        "sex": base // 2 + _hash(key, "sex") % 3,
        "language": base - 1 + _hash(key, "language") % 4,
    }
    if _hash(key, "substances") % 3:
        steps["substances"] = base // 2 + _hash(key, "substances-level") % 3
    grades, details = {}, {}
    for category, step in steps.items():
        grade = GRADE_STEPS[min(max(step, 0), len(GRADE_STEPS) - 1)]
        row_label, legacy_label, subject = CATEGORIES[category]
        grades[legacy_label if legacy else row_label] = grade
        details[legacy_label if legacy else row_label] = BAND_WORDS[grade[0]].format(subject)
    overall = GRADE_STEPS[_hash(key, "overall") % 6]
    # a review written after the film came out (the site started in 1993)
    published = date(max(year, 1994) + 1, 1 + _hash(key, "month") % 12, 1 + _hash(key, "day") % 28)
    credits = [
        f"{role} {_join(names)}"
        for role, names in (("directed by", film.get("directors")), ("starring", film.get("cast")))
        if names
    ]
    return {
        "overall": overall,
        "grades": grades,
        "details": details,
        "verdict": f"{title} offers families {QUALITY_WORDS[overall[0]]} entertainment "
        "with a few things worth talking about.",
        "review": [
            f"{title} ({year}) is a film " + (" and ".join(credits) or "for the whole family") + ".",
            "Parents should read the content details below before deciding whether this film "
            "suits their children.",
        ],
        "published": f"{published:%B} {published.day}, {published.year}",
    }


def _dead_entry(film: dict) -> dict:
    return {"path": f"{LISTING_PATH}/{_slug(film['title'])}", "title": film["title"]}


def _hash(key: str, purpose: str) -> int:
    return int.from_bytes(hashlib.sha256(f"{key}|{purpose}".encode()).digest()[:4], "big")


def _slug(title: str) -> str:
    """Hyphenated lowercase title, apostrophes and colons dropped: ``wont-back-down``."""
    cleaned = "".join(c for c in title.lower().replace("&", " and ") if c not in "'’:.")
    return "-".join("".join(c if c.isalnum() else " " for c in cleaned).split())


def _join(names: list[str]) -> str:
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]


# --- pages ---------------------------------------------------------------------------------------

def _review_page(review: dict) -> str:
    title = escape(review["title"])
    grades = _legacy_grades(review) if review["legacy"] else _grade_block(review)
    body = f"""<article class="post_item post_item_single post_format_standard review">
<div class="post_featured"><img src="/images/made/legacy-pics/{review['slug']}_668_330_80_int_s_c1.jpg" alt="{title} movie poster" width="668" height="330"></div>
<h1 class="post_title entry-title">{title} Parent Guide</h1>
<div class="post_info">
<span class="post_info_item post_author">By <a href="{BASE}/company/about" class="post_author_name">{escape(review['reviewer'])}</a></span>
<span class="post_info_item post_date"><time datetime="{review['published_iso']}">{review['published']}</time></span>
</div>
<p class="post_descr">{escape(review['verdict'])}</p>
{grades}
{_mpaa_reason(review)}
<div class="post_text_area">
<h2>Parent Movie Review</h2>
{_paragraphs(review['review'])}
<h2 id="content-details">Content Details</h2>
{_detail_paragraphs(review['details'])}
</div>
{_movie_details(review)}
<p class="grade_help"><a href="{BASE}/company/making-the-grades">What do our grades mean?</a></p>
</article>"""
    return _page(
        f"{review['title']} Parent Guide | Parent Previews",
        body,
        "single single-movie-review",
        canonical=BASE + review["canonical_path"],
        description=review["verdict"],
        og_title=f"{review['title']} Parent Guide",
        og_image=f"{BASE}/images/made/legacy-pics/{review['slug']}_668_330_80_int_s_c1.jpg",
    )


def _grade_block(review: dict) -> str:
    rows = "\n".join(_criteria_row(label, grade) for label, grade in review["grades"].items())
    return f"""<div class="reviews_block">
<div class="reviews_summary">
{_criteria_row("Overall", review["overall"], "criteria_summary ")}
<div class="criteria_summary_text">The Overall grade is our reviewer's opinion of the film's merit and content.</div>
</div>
<a href="#content-details" class="reviews_details_link" title="See the content details">
<div class="reviews_data">
{rows}
</div>
</a>
</div>"""


def _criteria_row(label: str, grade: str, extra_class: str = "") -> str:
    return (
        f'<div class="{extra_class}criteria_row theme_field">'
        f'<span class="criteria_label theme_strong">{escape(label)}</span>'
        f'<span class="criteria_mark theme_accent_bg">{escape(grade)}</span></div>'
    )


def _legacy_grades(review: dict) -> str:
    lines = [f"<p>Overall: {escape(review['overall'])}</p>"]
    lines += [f"<p>{escape(label)}: {escape(mark)}</p>" for label, mark in review["grades"].items()]
    return '<div class="movie_grades">\n' + "\n".join(lines) + "\n</div>"


def _mpaa_reason(review: dict) -> str:
    rating = review.get("mpaa")
    if not rating:
        return ""
    title = escape(review["title"])
    reason = f" for {escape(review['mpaa_reason'])}" if review.get("mpaa_reason") else ""
    return (
        f'<p class="mpaa_reason"><strong>Why is {title} rated {rating}?</strong> '
        f"{title} is rated {rating} by the MPAA{reason}.</p>"
    )


def _paragraphs(texts: list[str]) -> str:
    return "\n".join(f"<p>{escape(text)}</p>" for text in texts)


def _detail_paragraphs(details: dict[str, str]) -> str:
    return "\n".join(
        f"<p><b>{escape(DETAIL_LABEL.get(label, label))}: </b>{escape(text)}</p>"
        for label, text in details.items()
    )


def _movie_details(review: dict) -> str:
    rows = [
        ("Directed by", ", ".join(review.get("directors") or [])),
        ("Starring", ", ".join(review.get("cast") or [])),
        ("Genre", ", ".join(review.get("genres") or [])),
        ("Release date", review.get("release_date") or str(review.get("year") or "")),
        ("Run Time", f"{review['runtime']} minutes" if review.get("runtime") else ""),
        ("MPAA Rating", review.get("mpaa") or "Not Rated"),
    ]
    items = "\n".join(
        f'<li><span class="detail_label">{label}:</span> '
        f'<span class="detail_value">{escape(value)}</span></li>'
        for label, value in rows
        if value
    )
    return (
        '<div class="movie_info">\n<h3>Movie Details</h3>\n'
        f'<ul class="movie_details">\n{items}\n</ul>\n</div>'
    )


def _write_listing(root: Path, entries: list[dict]) -> None:
    pages = max(1, math.ceil(len(entries) / PAGE_SIZE))
    for number in range(1, pages + 1):
        chunk = entries[(number - 1) * PAGE_SIZE : number * PAGE_SIZE]
        items = "\n".join(
            _list_item(BASE + e["path"], e["title"], e.get("overall"), e.get("verdict"))
            for e in chunk
        )
        body = (
            '<h1 class="page_title">Movie Reviews</h1>\n'
            f'<div class="post_list review_list">\n{items}\n</div>\n{_pagination(number, pages)}'
        )
        title = "Movie Reviews | Parent Previews" + (f" | Page {number}" if number > 1 else "")
        canonical = BASE + _listing_url(number)
        html = _page(title, body, "archive movie-reviews", canonical=canonical)
        write_page(root, HOST, LISTING_PATH, html, query=f"page={number}" if number > 1 else "")


def _listing_url(number: int) -> str:
    return LISTING_PATH if number == 1 else f"{LISTING_PATH}?page={number}"


def _pagination(number: int, pages: int) -> str:
    if pages == 1:
        return ""
    links = []
    if number > 1:
        previous = _listing_url(number - 1)
        links.append(f'<a class="pager_prev" href="{previous}" rel="prev">&laquo; Previous</a>')
    for n in page_numbers(number, pages):
        links.append(
            '<span class="pager_dots">&hellip;</span>' if n is None
            else f'<span class="pager_current">{n}</span>' if n == number
            else f'<a class="pager_number" href="{_listing_url(n)}">{n}</a>'
        )
    if number < pages:
        following = _listing_url(number + 1)
        links.append(f'<a class="pager_next" href="{following}" rel="next">Next &raquo;</a>')
    return '<nav class="pagination">\n' + "\n".join(links) + "\n</nav>"


def _list_item(url: str, title: str, overall: str | None = None, verdict: str | None = None) -> str:
    grade = (
        f'\n<div class="post_grade">Overall: <span class="grade">{escape(overall)}</span></div>'
        if overall
        else ""
    )
    descr = f'\n<div class="post_descr">{escape(verdict)}</div>' if verdict else ""
    return (
        f'<article class="post_item post_item_excerpt">\n'
        f'<h4 class="post_title"><a href="{escape(url)}">{escape(title)}</a></h4>'
        f"{grade}{descr}\n</article>"
    )


def _not_found_page() -> str:
    body = """<div class="page_not_found">
<h1 class="page_title">Page Not Found</h1>
<p>Sorry, the page you were looking for could not be found. It may have been moved or removed.</p>
<p>Try searching our <a href="/movie-reviews">movie reviews</a> or use the search box above.</p>
</div>"""
    return _page("Page Not Found | Parent Previews", body, "error404")


def _page(
    title: str,
    body: str,
    body_class: str,
    *,
    canonical: str | None = None,
    description: str | None = None,
    og_title: str | None = None,
    og_image: str | None = None,
) -> str:
    head = [f"<title>{escape(title)}</title>"]
    if description:
        head.append(f'<meta name="description" content="{escape(description)}">')
    if canonical:
        head.append(f'<link rel="canonical" href="{escape(canonical)}">')
    if og_title:
        head += [
            '<meta property="og:site_name" content="Parent Previews">',
            '<meta property="og:type" content="article">',
            f'<meta property="og:title" content="{escape(og_title)}">',
            f'<meta property="og:url" content="{escape(canonical or "")}">',
            f'<meta property="og:image" content="{escape(og_image or "")}">',
        ]
    head_html = "\n".join(head)
    return f"""<!DOCTYPE html>
<html lang="en-US">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
{head_html}
<link rel="stylesheet" href="/themes/user/site/css/style.css?v=3.2">
<link rel="stylesheet" href="/themes/user/site/css/shortcodes.css?v=3.2">
<link rel="icon" href="/favicon.ico">
</head>
<body class="{body_class}">
<div class="body_wrap">
<header class="top_panel_wrap">
<div class="logo"><a href="{BASE}/"><img src="/images/site/parent-previews-logo.png" alt="Parent Previews" width="260" height="60"></a></div>
<nav class="menu_main_wrap">
<ul id="menu_main" class="menu_main_nav">
<li><a href="{BASE}/movie-reviews">Movie Reviews</a></li>
<li><a href="{BASE}/news">News</a></li>
<li><a href="{BASE}/company/making-the-grades">Our Grades</a></li>
<li><a href="{BASE}/company/faq">FAQ</a></li>
</ul>
</nav>
<form class="search_form" action="{BASE}/search" method="get">
<input type="text" class="search_field" name="keywords" placeholder="Search reviews" value="">
<button type="submit" class="search_submit">Search</button>
</form>
</header>
<div class="page_content_wrap">
<div class="content">
{body}
</div>
</div>
<footer class="footer_wrap">
<ul class="footer_menu">
<li><a href="{BASE}/company/about">About Us</a></li>
<li><a href="{BASE}/company/faq">FAQ</a></li>
<li><a href="{BASE}/company/contact">Contact</a></li>
<li><a href="{BASE}/company/privacy-policy">Privacy Policy</a></li>
</ul>
<p class="copyright">&copy; 1993&ndash;2024 Parent Previews. Formerly Grading the Movies. All rights reserved.</p>
</footer>
</div>
</body>
</html>
"""


# assumed: ExpressionEngine's control panel and member pages are the usual exclusions.
ROBOTS_TXT = """User-agent: *
Disallow: /admin.php
Disallow: /system/
Disallow: /members/
Disallow: /*?ACT=
"""
