"""Parenting.com mirror pages: review articles, the movies section with pagination, search.

The real markup is unknown (``sites/README.md`` section 0), so these pages are ASSUMED, modelled on
a WordPress publisher theme as ``crawler/sites/parenting.py`` documents: ``<title>Headline |
Parenting</title>``, a Yoast-style JSON-LD graph with a ``NewsArticle``, ``article:published_time``,
``article > header > h1.entry-title`` + ``p.entry-dek``, the text in ``div.entry-content`` ending in
the labelled lines (bold labels, one paragraph each, or the film facts in one ``<br>``-separated
paragraph), a "More from entertainment" block after the article, WordPress pagination. Review URLs
are ``/entertainment/movies/<slug>/`` (assumed; the parser only follows links, never this shape).

The reviews' texts are in ``parenting_data.json``; a film the data file does not know is covered
for a fixed share of keys (by hash) with a review generated from its facts only, so ``build`` also
works on large generated catalogs and gives the same pages on every run.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime
from html import escape
from pathlib import Path

from crawler.mirror.paths import INDEX_FILE, write_page
from crawler.mirror.render import page_numbers

HOSTS = ("www.parenting.com",)
HOST = HOSTS[0]
ORIGIN = f"https://{HOST}"
SECTION_PATH = "/entertainment/movies/"  # assumed, as in crawler/sites/parenting.py
SEARCH_PATH = "/search"  # assumed: /search?q=<query>
PROMO_PATH = "/parenting/{slug}/"  # assumed home of the RELATED / MORE articles
PER_PAGE = 8
COVERAGE_SHARE = 0.35  # share of films unknown to the data file that get a generated review

_DATA = json.loads(Path(__file__).with_name("parenting_data.json").read_text(encoding="utf-8"))
LABELS = {
    "love": "What We Love:",
    "hold": "Hold on a Minute:",
    "opens": "Opens:",
    "mpaa": "MPAA Rating:",
    "runtime": "Running Time:",
}
DEFAULT_FORMATS = {"mpaa": "{mpaa}", "runtime": "{min} minutes"}
COOKIE_NOTICE = (
    "Our Privacy/Cookie Policy contains detailed information about the types of cookies &amp;"
    " related technology on our site, and some ways to opt out. By using the site, you agree to the uses of"
    " cookies and other technology as outlined in our Policy, and to our Terms of Use."
)
SECTION_DESCRIPTION = (
    "Family movie reviews from Parenting: what parents need to know before movie night."
)
NAV = ("Pregnancy", "Baby", "Toddler", "Kids", "Teens", "Parenting", "Entertainment", "Food")


@dataclass(frozen=True)
class Post:
    """One article as the site shows it (a review, or a plain article when ``facts`` is empty)."""

    path: str
    headline: str
    dek: str | None
    author: str
    published: str  # ISO 8601 with offset: the article's date, never the film's year
    body: tuple[str, ...]
    takes: tuple[tuple[str, str], ...]  # ("What We Love:", text), ("Hold on a Minute:", text)
    facts: tuple[tuple[str, str], ...]  # ("Opens:", "June 14"), ("MPAA Rating:", "PG"), ...
    facts_style: str  # "p" (one paragraph per line) or "br" (facts share one paragraph)
    after: tuple[str, ...]  # promo lines after the labelled lines
    tags: tuple[str, ...]
    breadcrumb: tuple[tuple[str, str], ...]  # (name, path) below Home

    @property
    def url(self) -> str:
        return ORIGIN + self.path

    @property
    def post_id(self) -> int:
        return 100000 + _hash(self.path) % 900000

    @property
    def image(self) -> str:
        slug = self.path.rstrip("/").rsplit("/", 1)[-1]
        return f"{ORIGIN}/wp-content/uploads/{self.published[:4]}/{self.published[5:7]}/{slug}.jpg"


# --- build ---------------------------------------------------------------------------------------
def build(films: list[dict], root: Path) -> None:
    reviews = sorted(_reviews(films), key=lambda p: (p.published, p.path), reverse=True)
    for number, post in enumerate(reviews):
        related = [reviews[(number + step) % len(reviews)] for step in (1, 2, 3)]
        write_page(root, HOST, post.path, _article_page(post, related if len(reviews) > 3 else []))
    for post in map(_plain_article, _DATA["articles"]):
        write_page(root, HOST, post.path, _article_page(post, reviews[:3]))
    pages = [reviews[i : i + PER_PAGE] for i in range(0, len(reviews), PER_PAGE)] or [[]]
    for number, posts in enumerate(pages, start=1):
        write_page(root, HOST, _section_page_path(number), _section_page(posts, number, len(pages)))
    write_page(root, HOST, "/robots.txt", ROBOTS_TXT)
    index = [{"path": post.path, "title": post.headline} for post in reviews]
    write_page(root, HOST, "/" + INDEX_FILE, json.dumps(index, ensure_ascii=False, indent=0))


def _reviews(films: list[dict]) -> Iterator[Post]:
    known, skipped = _DATA["reviews"], set(_DATA["not_reviewed"])
    used_paths: set[str] = set()
    for film in films:
        key = film["key"]
        if key in known:
            entry = known[key]
        elif key in skipped or _hash(key) % 1000 >= COVERAGE_SHARE * 1000:
            continue
        else:
            entry = _generated_entry(film)
        post = _review_post(film, entry, used_paths)
        used_paths.add(post.path)
        yield post


def _review_post(film: dict, entry: dict, used_paths: set[str]) -> Post:
    labels = {**LABELS, **entry.get("labels", {})}
    # generated catalogs may hold several films of one title: the year, else the key, parts them
    slugs = (entry["slug"], f"{entry['slug']}-{film.get('year')}", f"{entry['slug']}-{film['key']}")
    paths = [f"{SECTION_PATH}{slug}/" for slug in slugs]
    return Post(
        path=next(path for path in paths if path not in used_paths),
        headline=entry["headline"],
        dek=entry.get("dek"),
        author=entry["author"],
        published=entry["published"],
        body=tuple(entry["body"]),
        takes=((labels["love"], entry["love"]), (labels["hold"], entry["hold"])),
        facts=tuple(_film_facts(film, entry, labels)),
        facts_style=entry.get("facts_style", "p"),
        after=tuple(entry.get("after", ())),
        tags=tuple(entry.get("tags", ("Movie Reviews",))),
        breadcrumb=(("Entertainment", "/entertainment/"), ("Movies", SECTION_PATH)),
    )


def _film_facts(film: dict, entry: dict, labels: dict[str, str]) -> Iterator[tuple[str, str]]:
    """Opens / MPAA Rating / Running Time as printed; a line is left out when its format is null."""
    if entry.get("opens"):
        yield labels["opens"], entry["opens"]
    mpaa_format = entry.get("mpaa", DEFAULT_FORMATS["mpaa"])
    if film.get("mpaa") and mpaa_format:
        yield labels["mpaa"], mpaa_format.format(mpaa=film["mpaa"])
    runtime_format = entry.get("runtime", DEFAULT_FORMATS["runtime"])
    if film.get("runtime") and runtime_format:
        hours, minutes = divmod(int(film["runtime"]), 60)
        yield labels["runtime"], runtime_format.format(min=film["runtime"], h=hours, m=minutes)


def _plain_article(entry: dict) -> Post:
    return Post(
        path=entry["path"],
        headline=entry["headline"],
        dek=entry.get("dek"),
        author=entry["author"],
        published=entry["published"],
        body=tuple(entry["body"]),
        takes=(),
        facts=(),
        facts_style="p",
        after=(),
        tags=tuple(entry.get("tags", ())),
        breadcrumb=(("Parenting", "/parenting/"),),
    )


# --- generated reviews (films the data file does not know) ----------------------------------------
HEADLINES = (
    "Review: '{title}'",
    "Movie Review: {title}",
    "'{title}' Review: Is It Right for Your Family?",
    "Review: '{title}' Is a Family Movie Night Pick",
)
AUTHORS = ("Jen Sterling", "Kara Whitfield", "Dana Okafor", "Lauren Bishop", "Maria Delgado")
LOVES = (
    "A story that gives kids and grown-ups something to talk about afterward.",
    "Characters who solve problems with kindness and courage.",
    "It's genuinely funny for every age in the room.",
    "A big-hearted movie that never talks down to kids.",
)
HOLDS = (
    "A few scenes of peril may be too intense for preschoolers.",
    "Some jokes are aimed squarely at the grown-ups.",
    "It runs long for the littlest viewers.",
    "Some mild language and rude humor.",
)


def _generated_entry(film: dict) -> dict:
    """A review from the film's facts alone: nothing the facts do not support, no Opens line."""
    title, number = film["title"], _hash(film["key"])
    year = film.get("year") or 2015
    credits = (
        f"Directed by {_names(film.get('directors'))}, {title}" if film.get("directors") else title
    )
    if film.get("cast"):
        credits += f", starring {_names(film['cast'])},"
    return {
        "slug": "review-" + _slug(title),
        "headline": HEADLINES[number % len(HEADLINES)].format(title=title),
        "author": AUTHORS[number % len(AUTHORS)],
        "published": f"{year}-{1 + number % 12:02d}-{1 + number // 12 % 28:02d}T10:00:00-05:00",
        "body": [
            f"We watched {title} with our kids to see if it earns a spot on family movie night.",
            f"{credits} is the kind of movie that kept our whole family on the couch.",
            "As always, preview it first if your child is sensitive to peril or loud scenes.",
        ],
        "love": LOVES[number // 7 % len(LOVES)],
        "hold": HOLDS[number // 11 % len(HOLDS)],
    }


def _names(names: list[str]) -> str:
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]


def _slug(text: str) -> str:
    kept = "".join(
        c if c.isalnum() else " " for c in text.lower().replace("'", "").replace("’", "")
    )
    return "-".join(kept.split())


def _hash(text: str) -> int:
    return int(hashlib.sha1(text.encode("utf-8")).hexdigest()[:12], 16)


# --- pages ---------------------------------------------------------------------------------------
def _page(*, title: str, head: str, body_class: str, main: str) -> str:
    """The theme's chrome around one page's ``main`` content."""
    nav = "".join(
        f'<li class="menu-item"><a href="{ORIGIN}/{name.lower()}/">{name}</a></li>' for name in NAV
    )
    theme = f"{ORIGIN}/wp-content/themes/parenting"
    return f"""<!DOCTYPE html>
<html lang="en-US">
<head>
<meta charset="UTF-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{escape(title, quote=False)}</title>
{head}
<link rel="stylesheet" id="parenting-style-css" href="{theme}/style.css?ver=3.2.1" media="all">
<link rel="icon" href="{ORIGIN}/wp-content/uploads/favicon-32x32.png" sizes="32x32">
</head>
<body class="{body_class}">
<div id="cookie-notice" class="cookie-notice" role="dialog" aria-label="Cookie Notice">
<p class="cookie-notice__text">{COOKIE_NOTICE}</p>
<button type="button" class="cookie-notice__accept">OK</button></div>
<div id="page" class="site">
<a class="skip-link screen-reader-text" href="#main">Skip to content</a>
<header id="masthead" class="site-header">
<div class="site-branding"><a href="{ORIGIN}/" class="custom-logo-link" rel="home">
<img src="{theme}/assets/img/parenting-logo.svg" class="custom-logo" alt="Parenting" width="190" height="42"></a></div>
<nav id="site-navigation" class="main-navigation" aria-label="Primary Menu">
<ul id="primary-menu" class="menu">{nav}</ul></nav>
<form role="search" method="get" class="search-form" action="{ORIGIN}{SEARCH_PATH}">
<label><span class="screen-reader-text">Search for:</span>
<input type="search" class="search-field" placeholder="Search &hellip;" value="" name="q"></label>
<button type="submit" class="search-submit">Search</button></form>
</header>
<main id="main" class="site-main">
{main}
</main>
<footer id="colophon" class="site-footer">
<nav class="footer-navigation" aria-label="Footer Menu"><ul class="menu">
<li><a href="{ORIGIN}/about-us/">About Us</a></li><li><a href="{ORIGIN}/contact-us/">Contact Us</a></li>
<li><a href="{ORIGIN}/privacy-policy/">Privacy Policy</a></li><li><a href="{ORIGIN}/terms-of-use/">Terms of Use</a></li>
</ul></nav>
<div class="site-info">&copy; Parenting.com. All rights reserved.</div>
</footer>
</div>
</body>
</html>
"""


def _article_page(post: Post, related: list[Post]) -> str:
    description = f'<meta name="description" content="{escape(post.dek)}">\n' if post.dek else ""
    section = post.breadcrumb[-1][0]
    head = f"""{description}<meta name="robots" content="index, follow, max-image-preview:large">
<link rel="canonical" href="{post.url}">
<meta property="og:locale" content="en_US">
<meta property="og:type" content="article">
<meta property="og:title" content="{escape(post.headline)}">
<meta property="og:url" content="{post.url}">
<meta property="og:site_name" content="Parenting">
<meta property="og:image" content="{post.image}">
<meta property="article:section" content="{escape(section)}">
<meta property="article:published_time" content="{post.published}">
<meta name="author" content="{escape(post.author)}">
{_schema(_article_graph(post))}"""
    crumbs = "".join(
        f' <span class="sep">&rsaquo;</span> <a href="{ORIGIN}{path}">{escape(name)}</a>'
        for name, path in post.breadcrumb
    )
    dek = f'<p class="entry-dek">{escape(post.dek, quote=False)}</p>\n' if post.dek else ""
    tags = "".join(
        f'<a href="{ORIGIN}/tag/{_slug(t)}/" rel="tag">{escape(t)}</a>' for t in post.tags
    )
    author_url = f"{ORIGIN}/author/{_slug(post.author)}/"
    author = f'<a class="url fn n" href="{author_url}" rel="author">{escape(post.author)}</a>'
    main = f"""<article id="post-{post.post_id}" class="post-{post.post_id} post type-post status-publish format-standard has-post-thumbnail category-{_slug(section)}">
<header class="entry-header">
<nav class="breadcrumbs" aria-label="Breadcrumb"><a href="{ORIGIN}/">Home</a>{crumbs}</nav>
<h1 class="entry-title">{escape(post.headline, quote=False)}</h1>
{dek}<div class="entry-meta"><span class="byline">By <span class="author vcard">{author}</span></span>
<span class="posted-on"><time class="entry-date published" datetime="{post.published}">{_printed_date(post.published)}</time></span></div>
</header>
<figure class="post-thumbnail"><img src="{post.image}" alt="{escape(post.headline)}" width="1200" height="675"></figure>
<div class="entry-content">
{_entry_content(post)}
</div>
<footer class="entry-footer"><span class="tags-links">Tags: {tags}</span></footer>
</article>
{_related_block(related)}"""
    body_class = (
        f"post-template-default single single-post postid-{post.post_id} single-format-standard"
    )
    return _page(title=f"{post.headline} | Parenting", head=head, body_class=body_class, main=main)


def _entry_content(post: Post) -> str:
    """Body paragraphs (an ad slot after the second), the labelled lines, the closing promos."""
    blocks = [_paragraph(text) for text in post.body]
    blocks.insert(2, '<div class="ad-slot ad-slot--inarticle" data-slot="inarticle-1"></div>')
    blocks += [f"<p>{_labelled(label, text)}</p>" for label, text in post.takes]
    facts = [_labelled(label, text) for label, text in post.facts]
    if post.facts_style == "br" and facts:
        blocks.append("<p>" + "<br>\n".join(facts) + "</p>")
    else:
        blocks += [f"<p>{line}</p>" for line in facts]
    blocks += [_paragraph(text) for text in post.after]
    return "\n".join(blocks)


def _labelled(label: str, text: str) -> str:
    return f"<strong>{escape(label)}</strong> {escape(text, quote=False)}"


def _paragraph(text: str) -> str:
    """A body paragraph; "RELATED: Title" / "MORE: Title" become the site's promo links."""
    label, sep, title = text.partition(": ")
    if sep and label in ("RELATED", "MORE"):
        href = ORIGIN + PROMO_PATH.format(slug=_slug(title))
        return f'<p><strong>{label}:</strong> <a href="{href}">{escape(title, quote=False)}</a></p>'
    return f"<p>{escape(text, quote=False)}</p>"


def _related_block(related: list[Post]) -> str:
    if not related:
        return ""
    items = "".join(
        f'<li class="related-posts__item"><a href="{p.url}">{escape(p.headline, quote=False)}</a></li>'
        for p in related
    )
    return (
        '<section class="related-posts" aria-labelledby="related-posts-title">'
        '<h2 id="related-posts-title" class="related-posts__title">More from entertainment</h2>'
        f'<ul class="related-posts__list">{items}</ul></section>'
    )


# --- JSON-LD (Yoast-style graph) -----------------------------------------------------------------
WEBSITE_ID, ORGANIZATION_ID = f"{ORIGIN}/#website", f"{ORIGIN}/#organization"
SITE_NODES = (
    {
        "@type": "WebSite",
        "@id": WEBSITE_ID,
        "url": f"{ORIGIN}/",
        "name": "Parenting",
        "publisher": {"@id": ORGANIZATION_ID},
        "potentialAction": {
            "@type": "SearchAction",
            "target": {
                "@type": "EntryPoint",
                "urlTemplate": f"{ORIGIN}{SEARCH_PATH}?q={{search_term_string}}",
            },
            "query-input": "required name=search_term_string",
        },
        "inLanguage": "en-US",
    },
    {"@type": "Organization", "@id": ORGANIZATION_ID, "name": "Parenting", "url": f"{ORIGIN}/"},
)


def _schema(nodes: list[dict]) -> str:
    graph = {"@context": "https://schema.org", "@graph": [*nodes, *SITE_NODES]}
    data = json.dumps(graph, ensure_ascii=False).replace("</", "<\\/")
    return f'<script type="application/ld+json" class="yoast-schema-graph">{data}</script>'


def _article_graph(post: Post) -> list[dict]:
    person = f"{ORIGIN}/#/schema/person/{_slug(post.author)}"
    article = {
        "@type": "NewsArticle",
        "@id": f"{post.url}#article",
        "isPartOf": {"@id": post.url},
        "author": {"name": post.author, "@id": person},
        "headline": post.headline,
        "datePublished": post.published,
        "mainEntityOfPage": {"@id": post.url},
        "publisher": {"@id": ORGANIZATION_ID},
        "image": {"@id": f"{post.url}#primaryimage"},
        "thumbnailUrl": post.image,
        "keywords": list(post.tags),
        "articleSection": [post.breadcrumb[-1][0]],
        "inLanguage": "en-US",
    }
    if post.dek:
        article["description"] = post.dek
    crumbs = [("Home", "/"), *post.breadcrumb, (post.headline, None)]
    return [
        article,
        {
            "@type": "WebPage",
            "@id": post.url,
            "url": post.url,
            "name": f"{post.headline} | Parenting",
            "isPartOf": {"@id": WEBSITE_ID},
            "datePublished": post.published,
            "breadcrumb": {"@id": f"{post.url}#breadcrumb"},
            "inLanguage": "en-US",
        },
        {"@type": "ImageObject", "@id": f"{post.url}#primaryimage", "url": post.image},
        {
            "@type": "BreadcrumbList",
            "@id": f"{post.url}#breadcrumb",
            "itemListElement": [
                {"@type": "ListItem", "position": n, "name": name}
                | ({"item": ORIGIN + path} if path else {})
                for n, (name, path) in enumerate(crumbs, start=1)
            ],
        },
        {"@type": "Person", "@id": person, "name": post.author},
    ]


def _printed_date(iso: str) -> str:
    day = datetime.fromisoformat(iso)
    return f"{day:%B} {day.day}, {day.year}"


# --- movies section (listing), search, not found --------------------------------------------------
def _section_page_path(number: int) -> str:
    return SECTION_PATH if number == 1 else f"{SECTION_PATH}page/{number}/"


def _section_page(posts: list[Post], number: int, pages: int) -> str:
    url = ORIGIN + _section_page_path(number)
    head = [
        f'<meta name="description" content="{SECTION_DESCRIPTION}">',
        f'<link rel="canonical" href="{url}">',
    ]
    if number > 1:
        head.append(f'<link rel="prev" href="{ORIGIN}{_section_page_path(number - 1)}">')
    if number < pages:
        head.append(f'<link rel="next" href="{ORIGIN}{_section_page_path(number + 1)}">')
    title = "Movie Reviews | Parenting"
    if number > 1:
        title = f"Movie Reviews | Page {number} of {pages} | Parenting"
    page_node = {"@type": "CollectionPage", "@id": url, "url": url, "name": title}
    head.append(_schema([page_node | {"isPartOf": {"@id": WEBSITE_ID}}]))
    cards = "".join(
        _card(post.url, post.headline, post.image, _card_details(post)) for post in posts
    )
    main = f"""<header class="page-header">
<h1 class="page-title">Movie Reviews</h1>
<div class="archive-description"><p>Should the kids see it? Our editors&rsquo; family movie reviews,
with what we love and what to watch out for.</p></div>
</header>
<div class="post-grid">
{cards}</div>
{_pagination(number, pages)}"""
    body_class = "archive category category-movies" + (" paged" if number > 1 else "")
    return _page(title=title, head="\n".join(head), body_class=body_class, main=main)


def _card(url: str, headline: str, image: str | None = None, details: str = "") -> str:
    """One article card of the section and search pages."""
    picture = (
        f'<a class="post-card__image" href="{url}" tabindex="-1" aria-hidden="true">'
        f'<img src="{image}" alt="" width="400" height="225" loading="lazy"></a>\n'
        if image
        else ""
    )
    return f"""<article class="post-card type-post status-publish">
{picture}<div class="post-card__body"><span class="post-card__category"><a href="{ORIGIN}{SECTION_PATH}">Movies</a></span>
<h2 class="post-card__title"><a href="{url}">{escape(headline, quote=False)}</a></h2>{details}</div>
</article>
"""


def _card_details(post: Post) -> str:
    excerpt = (
        f'\n<p class="post-card__excerpt">{escape(post.dek, quote=False)}</p>' if post.dek else ""
    )
    return (
        f'{excerpt}\n<div class="post-card__meta"><span class="post-card__author">By {escape(post.author)}'
        f'</span> <time datetime="{post.published}">{_printed_date(post.published)}</time></div>'
    )


def _pagination(number: int, pages: int) -> str:
    """WordPress's ``the_posts_pagination()`` markup."""
    if pages < 2:
        return ""

    def link(n: int, text: str, css: str = "page-numbers") -> str:
        return f'<a class="{css}" href="{ORIGIN}{_section_page_path(n)}">{text}</a>'

    items = [link(number - 1, "Previous", "prev page-numbers")] if number > 1 else []
    items += [
        '<span class="page-numbers dots">&hellip;</span>' if n is None
        else f'<span aria-current="page" class="page-numbers current">{n}</span>'
        if n == number
        else link(n, str(n))
        for n in page_numbers(number, pages)
    ]
    if number < pages:
        items.append(link(number + 1, "Next", "next page-numbers"))
    return (
        '<nav class="navigation pagination" aria-label="Posts">'
        '<h2 class="screen-reader-text">Posts navigation</h2>'
        f'<div class="nav-links">{"".join(items)}</div></nav>'
    )


def search_query(path: str, params: dict[str, list[str]]) -> str | None:
    if path.rstrip("/") != SEARCH_PATH:
        return None
    return (params.get("q") or [""])[0]


def render_search(query: str, hits: list[dict]) -> tuple[str, bytes]:
    """The search page (assumed markup): article cards best first, or WordPress's no-results."""
    if hits:
        cards = "".join(_card(ORIGIN + hit["path"], hit["title"]) for hit in hits)
        count = f'<p class="search-count">{len(hits)} results</p>'
        results = f'{count}\n<div class="post-grid">\n{cards}</div>'
    else:
        results = """<section class="no-results not-found">
<header class="page-header"><h2 class="page-title">Nothing Found</h2></header>
<div class="page-content"><p>Sorry, but nothing matched your search terms.
Please try again with some different keywords.</p></div>
</section>"""
    main = f"""<header class="page-header">
<h1 class="page-title">Search Results for: <span>{escape(query, quote=False)}</span></h1>
</header>
{results}"""
    html = _page(
        title=f"Search Results for \u201c{query}\u201d | Parenting",
        head='<meta name="robots" content="noindex, follow">',
        body_class="search search-results" if hits else "search search-no-results",
        main=main,
    )
    return "text/html; charset=UTF-8", html.encode("utf-8")


def render_not_found(path: str) -> tuple[int, str, bytes]:
    """WordPress's themed 404 page (status 404), for any path the mirror has no page for."""
    main = """<section class="error-404 not-found">
<header class="page-header"><h1 class="page-title">Oops! That page can&rsquo;t be found.</h1></header>
<div class="page-content"><p>It looks like nothing was found at this location. Maybe try a search?</p></div>
</section>"""
    html = _page(
        title="Page not found | Parenting",
        head='<meta name="robots" content="noindex, follow">',
        body_class="error404",
        main=main,
    )
    return 404, "text/html; charset=UTF-8", html.encode("utf-8")


# Yoast's default rules plus the usual WordPress disallows (assumed; search stays crawlable).
ROBOTS_TXT = f"""User-agent: *
Disallow: /wp-admin/
Allow: /wp-admin/admin-ajax.php
Disallow: /wp-json/
Disallow: /*?replytocom=
Disallow: /*/feed/
Disallow: /preview/

User-agent: GPTBot
Disallow: /

Sitemap: {ORIGIN}/sitemap_index.xml
"""
