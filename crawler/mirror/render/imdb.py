"""IMDb's pages for the mirror: title pages, parents guides, a user list, find, robots, GraphQL.

Markup follows the real site: parents guides in the 2024+ Next.js markup (``data-testid``
attributes and a ``__NEXT_DATA__`` script, modelled on the saved page
``shared/sites/real/imdb/parentalguide_tt0133093_fixture.html``) or in the 2023-and-older
``ipl-*`` markup; title, list and find pages in the 2023+ markup. Legacy-era films keep that era's
link form (``/parentalguide`` without the trailing slash).

Judgement values come from ``imdb_data.json``; a film without an entry gets severities derived
from its MPAA rating and a hash of its key, so ``build`` renders any catalog deterministically.
One film's parents guide answers like IMDb's AWS WAF (``render_blocked``); its guide is then
served by the GraphQL endpoint (``render_post``), as the real site's own front end fetches it.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from functools import cache
from html import escape
from pathlib import Path
from typing import Any
from urllib.parse import quote_plus

from crawler.mirror.paths import write_page
from crawler.sites.imdb import CATEGORY_LABELS, GRAPHQL_HOSTS

HOST = "www.imdb.com"
HOSTS = (HOST, *GRAPHQL_HOSTS)
SEVERITIES = ("None", "Mild", "Moderate", "Severe")
WAF_CHALLENGE = (202, {"x-amzn-waf-action": "challenge"}, b"")

_HERE = Path(__file__).resolve().parent
_GRAPHQL_DISCLAIMER = (
    "Public, commercial, and/or non-private use of the IMDb data provided by this API is not "
    "allowed."
)

# Derived severities (index into SEVERITIES) per MPAA rating, in CATEGORY_LABELS order; a hash
# byte of the film's key may raise a category one level.
_BASE_LEVELS = {
    "G": (0, 1, 0, 0, 1),
    "PG": (0, 1, 0, 0, 1),
    "PG-13": (1, 2, 1, 1, 2),
    "R": (1, 2, 2, 1, 2),
    "NC-17": (2, 3, 3, 2, 2),
}
_UNRATED_LEVELS = (0, 1, 1, 0, 1)
# Guide item of a derived film, by category and level (Mild, Moderate, Severe)
_GENERIC_ITEMS = {
    "nudity": (
        "A brief kiss.",
        "Some innuendo and a few kisses; no nudity.",
        "A sex scene with partial nudity.",
    ),
    "violence": (
        "Slapstick and cartoon peril; nobody is badly hurt.",
        "Several fights and chases; a character dies off screen.",
        "Bloody fights and killings shown on screen.",
    ),
    "profanity": (
        "A few mild words such as 'heck' and 'darn'.",
        "Some uses of 'damn', 'hell' and 'sh*t'.",
        "Frequent strong language including the f-word.",
    ),
    "alcohol": (
        "Adults drink wine at a dinner.",
        "Characters drink and one smokes cigarettes.",
        "A character is drunk; drug use is shown.",
    ),
    "frightening": (
        "A few tense moments of peril.",
        "Scary creatures and a sad death may upset young children.",
        "Intense, sustained scenes of terror.",
    ),
}
# MPA reason phrase of a derived film, by category and level; empty = not worth a mention
_REASON_PHRASES = {
    "violence": ("some action", "action/peril", "violence"),
    "frightening": ("some scary moments", "scary images", "intense sequences of terror"),
    "profanity": ("brief mild language", "some language", "language throughout"),
    "nudity": ("mild rude humor", "some suggestive content", "sexual content"),
    "alcohol": ("", "some smoking", "drug content"),
}
_PILL_MODIFIERS = {
    "None": "",
    "Mild": "ipl-status-pill--ok",
    "Moderate": "ipl-status-pill--warning",
    "Severe": "ipl-status-pill--critical",
}
_VOTE_WORDS = {"None": "to have none", "Mild": "mild", "Moderate": "moderate", "Severe": "severe"}
_UK_CERTIFICATES = {"G": "U", "PG": "PG", "PG-13": "12A", "R": "15", "NC-17": "18"}


@cache
def _data() -> dict[str, Any]:
    return json.loads((_HERE / "imdb_data.json").read_text(encoding="utf-8"))


@cache
def _bundled_films() -> dict[str, dict]:
    """films.json by IMDb id: what the GraphQL endpoint and the WAF answer from."""
    films = json.loads((_HERE.parent / "films.json").read_text(encoding="utf-8"))["films"]
    return {film["imdb_id"]: film for film in films if film.get("imdb_id")}


# --- one film's guide --------------------------------------------------------------------------
@dataclass(frozen=True)
class Guide:
    """One film's parents guide as this mirror shows it."""

    film: dict
    legacy: bool
    mpa: str | None  # the MPA line with its reason; None when IMDb shows only the certificate
    severity: dict[str, str]  # category -> None/Mild/Moderate/Severe
    items: dict[str, list[str]]
    votes: dict[str, tuple[int, int]]  # category -> (votes for the shown level, all votes)

    @property
    def title_id(self) -> str:
        return self.film["imdb_id"]

    @property
    def title(self) -> str:
        return self.film["title"]

    @property
    def title_path(self) -> str:
        return f"/title/{self.title_id}/"

    @property
    def guide_path(self) -> str:
        return f"/title/{self.title_id}/parentalguide" + ("" if self.legacy else "/")

    @property
    def display_title(self) -> str:
        """ "The Matrix (1999)": the name IMDb's page titles use."""
        year = self.film.get("year")
        return f"{self.title} ({year})" if year else self.title


def guide_for(film: dict) -> Guide:
    digest = hashlib.sha256(film["key"].encode("utf-8")).digest()
    entry = _data()["films"].get(film["key"])
    if entry:
        severity, items = entry["severity"], entry.get("items", {})
        legacy, mpa = entry["markup"] == "legacy", entry.get("mpa")
    else:
        levels = _derived_levels(film, digest)
        severity = {key: SEVERITIES[level] for key, level in levels.items()}
        items = {key: [_GENERIC_ITEMS[key][level - 1]] for key, level in levels.items() if level}
        legacy, mpa = digest[0] % 5 == 0, _derived_mpa(film.get("mpaa"), levels)
    return Guide(film, legacy, mpa, severity, items, _votes(severity, digest))


def _derived_levels(film: dict, digest: bytes) -> dict[str, int]:
    base = _BASE_LEVELS.get(film.get("mpaa") or "", _UNRATED_LEVELS)
    return {
        key: min(3, level + (digest[1 + i] % 3 == 0))
        for i, (key, level) in enumerate(zip(CATEGORY_LABELS, base, strict=True))
    }


def _derived_mpa(mpaa: str | None, levels: dict[str, int]) -> str | None:
    """ "Rated PG for some action and scary images" from the two strongest categories (G: none)."""
    if mpaa not in _BASE_LEVELS or mpaa == "G":
        return None
    ranked = sorted((key for key in _REASON_PHRASES if levels[key]), key=lambda key: -levels[key])
    phrases = [phrase for key in ranked if (phrase := _REASON_PHRASES[key][levels[key] - 1])]
    return f"Rated {mpaa} for {' and '.join(phrases[:2]) or 'thematic elements'}"


def _votes(severity: dict[str, str], digest: bytes) -> dict[str, tuple[int, int]]:
    votes = {}
    for i, key in enumerate(severity):
        total = 8 + digest[8 + i] % 60
        votes[key] = (total // 2 + 1 + digest[16 + i] % (total // 2), total)
    return votes


def _certificates(film: dict) -> list[tuple[str, str, str]]:
    """(country, code, rating) rows of the certification list: the US one and its UK twin."""
    mpaa = film.get("mpaa")
    rows = [
        ("United States", "US", mpaa),
        ("United Kingdom", "GB", _UK_CERTIFICATES.get(mpaa or "")),
    ]
    return [row for row in rows if row[2]]


def _runtime_text(minutes: int | None) -> str:
    """121 -> "2h 1m", as IMDb's title pages print it."""
    if not minutes:
        return ""
    hours, rest = divmod(minutes, 60)
    parts = ([f"{hours}h"] if hours else []) + ([f"{rest}m"] if rest else [])
    return " ".join(parts)


# --- 2023+ page chrome -------------------------------------------------------------------------
def _e(text: Any) -> str:
    return escape(str(text), quote=True)


def _json_script(data: Any) -> str:
    return json.dumps(data, ensure_ascii=False, separators=(",", ":")).replace("</", "<\\/")


_NAV = """<nav id="imdbHeader" class="ipc-page-background ipc-page-background--baseAlt imdb-header">
<div class="ipc-page-content-container ipc-page-content-container--center navbar__inner">
<a class="ipc-logo" id="home_img_holder" href="/?ref_=nv_home" aria-label="Home">IMDb</a>
<label class="ipc-icon-button navbar__menu-button" for="imdbHeader-navDrawer"
 aria-label="Open Navigation Drawer">Menu</label>
<div class="nav__searchbar"><form id="nav-search-form" role="search" action="/find/" method="get">
<input type="text" name="q" id="suggestion-search" placeholder="Search IMDb" autocomplete="off"/>
<button id="suggestion-search-button" type="submit" aria-label="Submit Search">Search</button>
</form></div>
<a class="ipc-btn imdb-header__watchlist-button" href="/list/watchlist/?ref_=nv_usr_wl_all_0"
 >Watchlist</a>
<a class="ipc-btn imdb-header__signin-text" href="/registration/signin/?ref_=nv_generic_lgin"
 >Sign In</a>
</div></nav>"""

_FOOTER = """<footer class="imdb-footer ipc-page-content-container
 ipc-page-content-container--center">
<div class="imdb-footer__links"><ul class="ipc-inline-list ipc-inline-list--show-dividers">
<li class="ipc-inline-list__item"><a class="ipc-link" href="https://help.imdb.com/imdb"
 >Help</a></li>
<li class="ipc-inline-list__item"><a class="ipc-link"
 href="https://help.imdb.com/article/imdb/general-information/imdb-site-index/GNCX7BHNSPBTFALQ"
 >Site Index</a></li>
<li class="ipc-inline-list__item"><a class="ipc-link"
 href="https://www.imdb.com/conditions?ref_=ft_cou">Conditions of Use</a></li>
<li class="ipc-inline-list__item"><a class="ipc-link"
 href="https://www.imdb.com/privacy?ref_=ft_pvc">Privacy Policy</a></li>
</ul></div>
<p class="imdb-footer__copyright">© 1990-2025 by IMDb.com, Inc.</p>
</footer>"""


def _next_document(
    title: str, canonical: str, body: str, head: str = "", next_data: dict | None = None
) -> str:
    """A 2023+ Next.js page: shared head, header and footer around ``body``."""
    script = ""
    if next_data:
        script = (
            f'<script id="__NEXT_DATA__" type="application/json">{_json_script(next_data)}</script>'
        )
    return f"""<!DOCTYPE html>
<html lang="en-US" xmlns:og="http://opengraphprotocol.org/schema/">
<head>
<meta charset="utf-8"/>
<meta name="viewport" content="width=device-width"/>
<title>{_e(title)}</title>
<meta property="og:site_name" content="IMDb"/>
<meta property="og:title" content="{_e(title)}"/>
<meta property="og:url" content="{_e(canonical)}"/>
<link rel="canonical" href="{_e(canonical)}"/>
<link rel="icon"
 href="https://m.media-amazon.com/images/G/01/imdb/images-ANDW73HA/favicon_desktop_32x32._CB1582158068_.png"/>
{head}</head>
<body id="styleguide-v2" class="fixed">
<div id="__next">
{_NAV}
<main role="main" class="ipc-page-background ipc-page-background--base sc-b4b8f3d5-0">
<div class="ipc-page-content-container ipc-page-content-container--center">
{body}
</div>
</main>
{_FOOTER}
</div>
{script}
</body>
</html>
"""


def _page_meta(title_id: str, sub_page: str = "") -> str:
    sub = f'<meta property="imdb:subPageType" content="{sub_page}"/>\n' if sub_page else ""
    return (
        f'<meta property="imdb:pageType" content="title"/>\n{sub}'
        f'<meta property="imdb:pageConst" content="{title_id}"/>\n'
    )


def _section_title(text: str, anchor: str = "", level: str = "h3") -> str:
    """An ``ipc-title`` header; with an anchor, the ``<span id>`` the page's jump links target."""
    heading = f'<{level} class="ipc-title__text">{_e(text)}</{level}>'
    if anchor:
        heading = (
            f'<a href="#{anchor}" class="ipc-title-link-wrapper" tabindex="0"><{level}'
            f' class="ipc-title__text"><span id="{anchor}">{_e(text)}</span></{level}></a>'
        )
    return (
        '<div class="ipc-title ipc-title--base ipc-title--section-title'
        f' ipc-title--on-textPrimary">{heading}</div>'
    )


def _metadata_row(label: str, cells: list[str], testid: str = "", label_href: str = "") -> str:
    """An ``ipc-metadata-list__item``: a label (or label link) and an inline list of cells."""
    testid_attr = f' data-testid="{testid}"' if testid else ""
    if label_href:
        label_html = (
            '<a class="ipc-metadata-list-item__label ipc-metadata-list-item__label--link"'
            f' href="{label_href}">{_e(label)}</a>'
        )
    else:
        label_html = (
            '<span class="ipc-metadata-list-item__label ipc-btn--not-interactable">'
            f"{_e(label)}</span>"
        )
    items = "".join(
        f'<li role="presentation" class="ipc-inline-list__item">{cell}</li>' for cell in cells
    )
    return f"""<li role="presentation" class="ipc-metadata-list__item"{testid_attr}>{label_html}
<div class="ipc-metadata-list-item__content-container"><ul class="ipc-inline-list
 ipc-inline-list--show-dividers ipc-inline-list--inline ipc-metadata-list-item__list-content base"
 role="presentation">{items}</ul></div></li>"""


def _list_link(text: str, href: str) -> str:
    return (
        '<a class="ipc-metadata-list-item__list-content-item'
        f' ipc-metadata-list-item__list-content-item--link" href="{href}">{_e(text)}</a>'
    )


def _person_link(name: str) -> str:
    """A cast or crew link (to a name search: the mirror knows no IMDb person ids)."""
    return _list_link(name, f"/find/?q={quote_plus(name)}&amp;s=nm")


def _list_text(text: str) -> str:
    return f'<span class="ipc-metadata-list-item__list-content-item">{_e(text)}</span>'


def _html_content(text: str, testid: str = "") -> str:
    testid_attr = f' data-testid="{testid}"' if testid else ""
    return (
        '<div class="ipc-html-content ipc-html-content--base ipc-metadata-list-item__html-content"'
        f' role="presentation"{testid_attr}><div class="ipc-html-content-inner-div"'
        f' role="presentation">{_e(text)}</div></div>'
    )


# --- title pages -------------------------------------------------------------------------------
def _title_page(guide: Guide, similar: list[Guide]) -> str:
    film = guide.film
    ld: dict[str, Any] = {
        "@context": "https://schema.org",
        "@type": "Movie",
        "url": f"https://{HOST}{guide.title_path}",
        "name": guide.title,
        "genre": film.get("genres") or [],
        "contentRating": film.get("mpaa") or "Not Rated",
        "director": [{"@type": "Person", "name": name} for name in film.get("directors") or []],
        "actor": [{"@type": "Person", "name": name} for name in film.get("cast") or []],
    }
    if film.get("runtime"):
        ld["duration"] = f"PT{film['runtime'] // 60}H{film['runtime'] % 60}M"
    head = (
        _page_meta(guide.title_id)
        + f'<script type="application/ld+json">{_json_script(ld)}</script>\n'
    )
    body = _title_hero(guide) + _title_storyline(guide) + _more_like_this(similar)
    return _next_document(
        f"{guide.display_title} - IMDb", f"https://{HOST}{guide.title_path}", body, head
    )


def _title_hero(guide: Guide) -> str:
    film, tid = guide.film, guide.title_id
    link = '<a class="ipc-link ipc-link--baseAlt ipc-link--inherit-color" href="{}">{}</a>'
    facts = [
        link.format(f"/title/{tid}/releaseinfo/?ref_=tt_ov_rdat", film["year"])
        if film.get("year")
        else "",
        link.format(f"{guide.guide_path}?ref_=tt_ov_pg", _e(film.get("mpaa") or "Not Rated")),
        _runtime_text(film.get("runtime")),
    ]
    hero_facts = "".join(
        f'<li role="presentation" class="ipc-inline-list__item">{fact}</li>'
        for fact in facts
        if fact
    )
    chips = "".join(
        '<a class="ipc-chip ipc-chip--on-baseAlt" href="/search/title/?genres='
        f'{quote_plus(genre.lower())}&amp;explore=genres&amp;title_type=movie&amp;ref_=tt_ov_inf">'
        f'<span class="ipc-chip__text">{_e(genre)}</span></a>'
        for genre in film.get("genres") or []
    )
    directors = film.get("directors") or []
    people = (
        ("Director" if len(directors) == 1 else "Directors", directors),
        ("Stars", film.get("cast")),
    )
    credits = "".join(
        _metadata_row(label, [_person_link(name) for name in names], "title-pc-principal-credit")
        for label, names in people
        if names
    )
    return f"""<section class="ipc-page-section ipc-page-section--baseAlt ipc-page-section--tp-none
 ipc-page-section--bp-xs sc-491663c0-1">
<div class="sc-92eff7c6-0 hero__title-block">
<h1 textlength="{len(guide.title)}" data-testid="hero__pageTitle" class="sc-d8941411-0 hero__title"
 ><span class="hero__primary-text" data-testid="hero__primary-text">{_e(guide.title)}</span></h1>
<ul class="ipc-inline-list ipc-inline-list--show-dividers sc-d8941411-2 baseAlt"
 role="presentation">{hero_facts}</ul>
</div>
<div data-testid="interests" class="ipc-chip-list--baseAlt ipc-chip-list">
<div class="ipc-chip-list__scroller">{chips}</div></div>
<ul class="ipc-metadata-list ipc-metadata-list--dividers-all title-pc-list
 ipc-metadata-list--baseAlt" role="presentation">{credits}</ul>
</section>
"""


def _title_storyline(guide: Guide) -> str:
    film, href = guide.film, f"{guide.guide_path}?ref_=tt_stry_pg"
    rows = "".join(
        (
            _metadata_row(
                "Genres", [_list_text(g) for g in film.get("genres") or []], "storyline-genres"
            ),
            _metadata_row(
                "Certificate",
                [_list_text(guide.mpa or film.get("mpaa") or "Not Rated")],
                "storyline-certificate",
            ),
            _metadata_row(
                "Parents guide",
                [_list_link("View content advisory", f"{href}#contentRating")],
                "storyline-parents-guide",
                label_href=href,
            ),
        )
    )
    return f"""<section data-testid="Storyline"
 class="ipc-page-section ipc-page-section--base celwidget">
{_section_title("Storyline")}
<ul class="ipc-metadata-list ipc-metadata-list--dividers-all ipc-metadata-list--base"
 role="presentation">{rows}</ul>
</section>
"""


def _more_like_this(similar: list[Guide]) -> str:
    """Poster cards linking other titles: a title page's links the crawl must not follow."""
    cards = "".join(
        f"""<div class="ipc-poster-card ipc-poster-card--base ipc-poster-card--dynamic-width
 ipc-sub-grid-item ipc-sub-grid-item--span-2" role="group">
<a class="ipc-lockup-overlay ipc-focusable" href="{other.title_path}?ref_=tt_sims_tt_i_{n}"
 aria-label="View title page for {_e(other.title)}"></a>
<a class="ipc-poster-card__title ipc-poster-card__title--clamp-2 ipc-poster-card__title--clickable"
 href="{other.title_path}?ref_=tt_sims_tt_t_{n}"
 ><span data-testid="title">{_e(other.title)}</span></a>
</div>"""
        for n, other in enumerate(similar, 1)
    )
    return f"""<section data-testid="MoreLikeThis"
 class="ipc-page-section ipc-page-section--base celwidget">
{_section_title("More like this")}
<div class="ipc-shoveler ipc-shoveler--base ipc-shoveler--page0"><div class="ipc-sub-grid
 ipc-sub-grid--page-span-2 ipc-sub-grid--wraps-at-above-l ipc-shoveler__grid">{cards}</div></div>
</section>"""


# --- parents guides: 2024+ ---------------------------------------------------------------------
def _guide_page(guide: Guide) -> str:
    return _legacy_guide_page(guide) if guide.legacy else _next_guide_page(guide)


def _next_guide_page(guide: Guide) -> str:
    tid = guide.title_id
    categories = "".join(_next_category_section(guide, key) for key in guide.severity)
    body = f"""<section class="ipc-page-background ipc-page-background--base sc-9a2a0028-0">
<div class="sc-1f50b7c-0 subnav"><a class="ipc-link ipc-link--base"
 href="/title/{tid}/?ref_=ttpg_ov_bk">{_e(guide.title)}</a></div>
<div class="ipc-title ipc-title--base ipc-title--page-title ipc-title--on-textPrimary"
 data-testid="title"><hgroup><h1 class="ipc-title__text">Parents guide</h1></hgroup></div>
<h2 data-testid="subtitle" class="sc-a8f0ecf8-0 iqHBGn">{_e(guide.title)}</h2>
</section>
{_content_rating_section(guide)}
{categories}{_certificates_section(guide)}"""
    canonical = f"https://{HOST}{guide.guide_path}"
    title = f"{guide.display_title} - Parents guide - IMDb"
    head = _page_meta(tid, "parental_guide")
    return _next_document(title, canonical, body, head, _guide_next_data(guide))


def _content_rating_section(guide: Guide) -> str:
    """The MPA line and the per-category summary, as in the real saved page."""
    mpa_row = ""
    if guide.mpa:
        mpa_row = (
            '<li role="presentation" class="ipc-metadata-list__item"><span'
            ' class="ipc-metadata-list-item__label ipc-btn--not-interactable">Motion Picture Rating'
            ' (MPA)</span><div class="ipc-metadata-list-item__content-container">'
            f"{_html_content(guide.mpa)}</div></li>"
            '<hr class="ipc-page-section__divider ipc-page-section__divider--base'
            ' ipc-page-section__divider--full-width sc-13453a6a-1 egnubs"/>'
        )
    summary = "".join(
        '<span class="sc-81dc9a3b-0 cKVKFL"><span class="sc-81dc9a3b-1 gxIfMP'
        f' {level.lower()}Votes"></span><li role="presentation" class="ipc-metadata-list__item'
        ' ipc-metadata-list-item--link sc-13453a6a-2 kvBevb" data-testid="rating-item"><a'
        ' class="ipc-metadata-list-item__label ipc-metadata-list-item__label--link"'
        f' href="#{key}">{_e(CATEGORY_LABELS[key])}:</a>'
        f'<div class="ipc-metadata-list-item__content-container">{_html_content(level)}</div>'
        f'<a class="ipc-metadata-list-item__icon-link" href="#{key}"></a></li></span>'
        for key, level in guide.severity.items()
    )
    return f"""<section data-testid="content-rating" class="ipc-page-section ipc-page-section--base"
>{_section_title("Content rating", "contentRating", "h2")}<div class="sc-f8cc7e95-0 iqXBTJ"><ul
 class="ipc-metadata-list ipc-metadata-list--dividers-none ipc-metadata-list--compact sc-2e79ef3f-0
 sc-13453a6a-0 eOujrH dODeea ipc-metadata-list--base" role="presentation">{mpa_row}{summary}</ul>
</div></section>"""


def _next_category_section(guide: Guide, key: str) -> str:
    rows = "".join(
        '<li role="presentation" class="ipc-metadata-list__item" data-testid="list-item">'
        f"{_html_content(text, 'item-html')}</li>"
        for text in guide.items.get(key, [])
    )
    return f"""<section class="ipc-page-section ipc-page-section--base">
{_section_title(CATEGORY_LABELS[key], key)}
<div class="ipc-signpost ipc-signpost--accent1 ipc-signpost--base" role="presentation">
<div class="ipc-signpost__text" role="presentation">{_e(guide.severity[key])}</div></div>
<div data-testid="sub-section-{key}" class="sc-f4c2fa7e-0"><ul class="ipc-metadata-list
 ipc-metadata-list--dividers-between ipc-metadata-list--base" role="presentation">{rows}</ul></div>
</section>
"""


def _certificates_section(guide: Guide) -> str:
    rows = "".join(
        _metadata_row(
            country,
            [_list_link(rating, f"/search/title/?certificates={code}%3A{quote_plus(rating)}")],
            "certificates-item",
        )
        for country, code, rating in _certificates(guide.film)
    )
    return f"""<section data-testid="certificates" class="ipc-page-section ipc-page-section--base">
{_section_title("Certifications", "certificates")}
<div data-testid="certificates-container" class="sc-d2a1fd4-0"><ul class="ipc-metadata-list
 ipc-metadata-list--dividers-all ipc-metadata-list--base" role="presentation">{rows}</ul></div>
</section>"""


def _guide_next_data(guide: Guide) -> dict[str, Any]:
    tid = guide.title_id
    content = {
        "entityMetadata": {
            "id": tid,
            "titleText": {"text": guide.title},
            "releaseYear": {"year": guide.film.get("year"), "endYear": None},
            "titleType": {"id": "movie", "text": "Movie"},
        },
        "contentRatingData": {"ratingReason": guide.mpa},
        "section": {
            "items": [
                {
                    "id": f"advisory-{key}",
                    "title": CATEGORY_LABELS[key],
                    "severityVote": {"severity": level},
                }
                for key, level in guide.severity.items()
            ]
        },
    }
    return {
        "props": {"pageProps": {"contentData": content}, "__N_SSP": True},
        "page": "/title/[tconst]/parentalguide",
        "query": {"tconst": tid},
        "buildId": "imdb-next-2024",
        "isFallback": False,
        "gssp": True,
    }


# --- parents guides: 2023 and older ------------------------------------------------------------
def _legacy_guide_page(guide: Guide) -> str:
    tid, film = guide.title_id, guide.film
    signin = f"/registration/signin?u=%2Ftitle%2F{tid}%2Fparentalguide"
    count = sum(len(texts) for texts in guide.items.values())
    jump = "".join(
        f'<li class="ipl-inline-list__item"> <a href="#advisory-{key}">'
        f"{_e(CATEGORY_LABELS[key])}</a> ({len(guide.items.get(key, []))}) </li>"
        for key in guide.severity
    )
    mpa_row = ""
    if guide.mpa:
        mpa_row = (
            '<tr class="ipl-zebra-list__item" id="mpaa-rating">'
            f'<td class="ipl-zebra-list__label">MPAA</td><td>{_e(guide.mpa)}</td></tr>'
        )
    certificates = "".join(
        '<li class="ipl-inline-list__item"><a href="/search/title?certificates='
        f'{code}:{quote_plus(rating)}">{country}:{_e(rating)}</a></li>'
        for country, code, rating in _certificates(film)
    )
    sections = "".join(_legacy_category_section(guide, key, signin) for key in guide.severity)
    return f"""<!DOCTYPE html>
<html xmlns:og="http://ogp.me/ns#" xmlns:fb="http://www.facebook.com/2008/fbml">
<head>
<meta charset="utf-8">
<title>{_e(guide.display_title)} - Parents Guide - IMDb</title>
<link rel="canonical" href="https://{HOST}{guide.guide_path}" />
<meta property="og:url" content="http://{HOST}{guide.guide_path}" />
<meta property="pageId" content="{tid}" />
<meta property="pageType" content="title" />
<meta property="subpageType" content="parental_guide" />
</head>
<body id="styleguide-v2" class="fixed">
<div id="wrapper">
<div id="root" class="redesign">
{_NAV}
<div id="pagecontent" class="pagecontent">
<div id="content-2-wide" class="redesign">
<div id="main">
<section class="article listo content-advisories-index">
<div class="subpage_title_block">
<a href="/title/{tid}/?ref_=tt_pg"><img itemprop="image" class="poster" height="98" width="67"
 alt="{_e(guide.display_title)} Poster"
 src="https://m.media-amazon.com/images/G/01/imdb/images/nopicture/67x98/film-3119741174._CB470041625_.png"></a>
<div class="subpage_title_block__right-column">
<div class="parent"><h3 itemprop="name"><a href="/title/{tid}/?ref_=tt_pg" itemprop="url"
>{_e(guide.title)}</a> <span class="nobr">({_e(film.get("year") or "")})</span></h3></div>
<h1 class="header">Parents Guide</h1>
<a href="{signin}" class="ipl-icon-link ipl-icon-link--block">Add to guide</a>
</div>
</div>
<div class="ipl-itemcount-header">Showing all {count} items</div>
<div class="ipl-jumpto-container"><span class="ipl-jumpto-container__label">Jump to:</span>
<ul class="ipl-inline-list"><li class="ipl-inline-list__item">
 <a href="#certificates">Certification</a> </li>{jump}</ul></div>
<section id="certificates">
<header class="ipl-header"><div class="ipl-header__content">
<h4 class="ipl-header__content ipl-list-title">Certification</h4></div>
<a class="ipl-header__edit-link"
 href="https://contribute.imdb.com/updates?update={tid}:certificates&amp;ref_=ttpg_pg_edt">Edit</a>
</header>
<table class="ipl-zebra-list row"><tbody>{mpa_row}
<tr class="ipl-zebra-list__item" id="certifications-list"><td class="ipl-zebra-list__label"
>Certification</td><td><ul class="ipl-inline-list">{certificates}</ul></td></tr>
</tbody></table>
</section>
{sections}
</section>
</div>
</div>
</div>
<footer class="imdb-footer">
<p class="imdb-footer__copyright">© 1990-2023 by IMDb.com, Inc.</p>
</footer>
</div>
</div>
</body>
</html>
"""


def _legacy_category_section(guide: Guide, key: str, signin: str) -> str:
    level = guide.severity[key]
    shown, total = guide.votes[key]
    others = [name for name in SEVERITIES if name != level]
    counts = {level: shown} | {
        name: (total - shown + i) // len(others) for i, name in enumerate(others)
    }
    buttons = "".join(
        f'<span class="ipl-vote-button"><button class="ipl-vote-button__button"'
        f' value="{name.lower()}">{name}</button>'
        f'<span class="ipl-vote-button__details">{counts[name]}</span></span>'
        for name in SEVERITIES
    )
    rows = "".join(
        f"""<li class="ipl-zebra-list__item">
{_e(text)}
<div class="ipl-hideable-container ipl-hideable-container--hidden ipl-zebra-list__action-row"><a
 href="{signin}" class="ipl-icon-link ipl-icon-link--inherit-color">Edit</a></div>
</li>
"""
        for text in guide.items.get(key, [])
    )
    return f"""<section id="advisory-{key}">
<h4 class="ipl-list-title">{_e(CATEGORY_LABELS[key])}</h4>
<ul class="ipl-zebra-list">
<li class="advisory-severity-vote"><div class="ipl-swapper">
<label class="ipl-swapper__label" for="ipl-swapper__control-{key}">
<input class="ipl-swapper__control" type="checkbox" id="ipl-swapper__control-{key}">
<div class="ipl-swapper__content ipl-swapper__content-primary">
<div class="advisory-severity-vote__container ipl-zebra-list__item">
<span class="ipl-status-pill {_PILL_MODIFIERS[level]}">{level}</span>
<a class="advisory-severity-vote__message">{shown} of {total} found this {_VOTE_WORDS[level]}</a>
</div></div>
<div class="ipl-swapper__content ipl-swapper__content-secondary">
<div class="advisory-severity-vote__container ipl-zebra-list__item">
<div class="advisory-severity-vote__cast-vote-container" data-category="{key}">
<span class="advisory-severity-vote__title">Severity?</span>
<span class="advisory-severity-vote__vote-button-container">{buttons}</span></div>
<div class="advisory-severity-vote__message-container"><span class="ipl-status-pill "></span>
<span class="advisory-severity-vote__message"></span></div>
</div></div>
</label></div></li>
{rows}</ul>
</section>
"""


# --- list pages --------------------------------------------------------------------------------
def _list_path() -> str:
    return f"/list/{_data()['list']['id']}/"


def _list_page(guides: list[Guide], number: int, pages: int, first_rank: int) -> str:
    meta = _data()["list"]
    base = f"https://{HOST}{_list_path()}"
    ld = {
        "@context": "https://schema.org",
        "@type": "ItemList",
        "url": base,
        "name": meta["name"],
        "numberOfItems": len(guides),
        "itemListElement": [
            {
                "@type": "ListItem",
                "position": rank,
                "item": {"@type": "Movie", "url": f"https://{HOST}{g.title_path}", "name": g.title},
            }
            for rank, g in enumerate(guides, first_rank)
        ],
    }
    # assumed: the 2024+ list page names its neighbours with <link rel=prev/next> (?page=N)
    head = "".join(
        f'<link rel="{rel}" href="{base}{f"?page={target}" if target > 1 else ""}"/>\n'
        for rel, target in (("prev", number - 1), ("next", number + 1))
        if 1 <= target <= pages
    )
    head += f'<script type="application/ld+json">{_json_script(ld)}</script>\n'
    rows = "".join(_list_row(g, rank) for rank, g in enumerate(guides, first_rank))
    body = f"""<section class="ipc-page-section ipc-page-section--baseAlt ipc-page-section--tp-xs">
<div class="ipc-title ipc-title--base ipc-title--page-title ipc-title--on-textPrimary"><hgroup>
<h1 class="ipc-title__text" data-testid="list-page-mc-list-title">{_e(meta["name"])}</h1>
</hgroup></div>
<div data-testid="list-author">by
 <span class="ipc-link ipc-link--base">{_e(meta["author"])}</span></div>
<div data-testid="list-page-mc-total-items">Page {number} of {pages}</div>
</section>
<section class="ipc-page-section ipc-page-section--base">
<ul class="ipc-metadata-list ipc-metadata-list--dividers-between sc-748571c8-0 detailed-list-view
 ipc-metadata-list--base" role="presentation">{rows}</ul>
</section>"""
    return _next_document(f"{meta['name']} - IMDb", base, body, head)


def _list_row(guide: Guide, rank: int) -> str:
    film = guide.film
    facts = (film.get("year"), _runtime_text(film.get("runtime")), film.get("mpaa"))
    spans = "".join(
        f'<span class="sc-b189961a-8 dli-title-metadata-item">{_e(fact)}</span>'
        for fact in facts
        if fact
    )
    return f"""<li class="ipc-metadata-list-summary-item">
<div class="ipc-metadata-list-summary-item__c"><div class="ipc-metadata-list-summary-item__tc">
<div class="sc-b189961a-0 dli-parent"><div class="ipc-title ipc-title--base ipc-title--title
 ipc-title-link-no-icon ipc-title--on-textPrimary dli-title"><a class="ipc-title-link-wrapper"
 href="{guide.title_path}?ref_=ls_t_{rank}" tabindex="0"
><h3 class="ipc-title__text">{rank}. {_e(guide.title)}</h3></a></div>
<div class="sc-b189961a-7 dli-title-metadata">{spans}</div>
</div></div></div></li>
"""


# --- find --------------------------------------------------------------------------------------
def search_query(path: str, params: dict[str, list[str]]) -> str | None:
    """``/find/?q=…`` (also ``/find?q=``) is IMDb's search; its other parameters narrow the type."""
    if path.rstrip("/") != "/find":
        return None
    return " ".join(params.get("q") or []).strip() or None


def render_search(query: str, hits: list[dict]) -> tuple[str, bytes]:
    if hits:
        rows = "".join(_find_row(hit, rank) for rank, hit in enumerate(hits, 1))
        results = f"""<section data-testid="find-results-section-title"
 class="ipc-page-section ipc-page-section--base sc-b03627f1-0">
{_section_title("Titles")}
<div class="sc-b03627f1-2"><ul class="ipc-metadata-list ipc-metadata-list--dividers-after
 sc-e8e4ce7-3 ipc-metadata-list--base" role="presentation">{rows}</ul></div>
</section>"""
    else:
        results = (
            f'<div class="sc-b03627f1-1 find-no-results">No results found for "{_e(query)}"</div>'
        )
    body = f"""<section class="ipc-page-section ipc-page-section--base sc-a2ac93e5-0">
<div class="ipc-title ipc-title--base ipc-title--page-title ipc-title--on-textPrimary"><hgroup>
<h1 class="ipc-title__text">Search "{_e(query)}"</h1></hgroup></div>
{results}
</section>"""
    page = _next_document("Find - IMDb", f"https://{HOST}/find/", body)
    return "text/html; charset=utf-8", page.encode("utf-8")


def _find_row(hit: dict, rank: int) -> str:
    title_path = hit["path"].split("parentalguide")[0]  # the row links the film's title page
    year = ""
    if hit.get("year"):
        year = (
            '<li role="presentation" class="ipc-inline-list__item"><span'
            f' class="ipc-metadata-list-summary-item__li">{_e(hit["year"])}</span></li>'
        )
    return f"""<li class="ipc-metadata-list-summary-item ipc-metadata-list-summary-item--click
 find-result-item find-title-result"><div class="ipc-metadata-list-summary-item__c">
<div class="ipc-metadata-list-summary-item__tc"><a class="ipc-metadata-list-summary-item__t"
 role="button" tabindex="0" aria-disabled="false" href="{title_path}?ref_=fn_al_tt_{rank}"
>{_e(hit["title"])}</a>
<ul class="ipc-inline-list ipc-inline-list--show-dividers ipc-inline-list--no-wrap
 ipc-inline-list--inline ipc-metadata-list-summary-item__tl base" role="presentation">{year}</ul>
</div></div></li>
"""


# --- GraphQL and the WAF -----------------------------------------------------------------------
def render_post(host: str, path: str, body: bytes) -> tuple[str, bytes] | None:
    """IMDb's GraphQL endpoint answering the ``title(id:){ parentsGuide … }`` query."""
    if host not in GRAPHQL_HOSTS or path not in ("", "/"):
        return None
    try:
        title_id = json.loads(body)["variables"]["id"]
    except (ValueError, KeyError, TypeError):
        answer: dict[str, Any] = {"errors": [{"message": "Invalid request"}]}
    else:
        film = _bundled_films().get(title_id)
        answer = {"data": {"title": _graphql_title(guide_for(film)) if film else None}}
        if not film:
            answer["errors"] = [{"message": f"Title {title_id} not found", "path": ["title"]}]
    answer["extensions"] = {"disclaimer": _GRAPHQL_DISCLAIMER}
    return "application/json", json.dumps(answer, ensure_ascii=False).encode("utf-8")


def _graphql_title(guide: Guide) -> dict[str, Any]:
    film = guide.film
    certificate = {"rating": film["mpaa"], "ratingReason": guide.mpa} if film.get("mpaa") else None
    return {
        "id": guide.title_id,
        "titleText": {"text": guide.title},
        "releaseYear": {"year": film.get("year")},
        "certificate": certificate,
        "parentsGuide": {
            "categories": [
                {
                    "category": {"id": key.upper(), "text": CATEGORY_LABELS[key]},
                    "severity": {"text": level},
                    "guideItems": {
                        "total": len(guide.items.get(key, [])),
                        "edges": [
                            {"node": {"text": {"plainText": text}, "isSpoiler": False}}
                            for text in guide.items.get(key, [])
                        ],
                    },
                }
                for key, level in guide.severity.items()
            ]
        },
    }


def render_blocked(path: str) -> tuple[int, dict[str, str], bytes] | None:
    """The WAF's refusal of one film's parents guide (so a crawl exercises the GraphQL route)."""
    blocked = _blocked_guide_path()
    return WAF_CHALLENGE if blocked and path.rstrip("/") == blocked.rstrip("/") else None


@cache
def _blocked_guide_path() -> str | None:
    key = _data().get("waf_blocked")
    film = next((f for f in _bundled_films().values() if f["key"] == key), None)
    return guide_for(film).guide_path if film else None


# --- build -------------------------------------------------------------------------------------
ROBOTS_TXT = """# robots.txt for https://www.imdb.com properties
User-agent: *
Disallow: /OnThisDay
Disallow: /ads/
Disallow: /ap/
Disallow: /mymovies/
Disallow: /r/
Disallow: /register
Disallow: /registration/
Disallow: /search/name-text
Disallow: /search/title-text
Disallow: /tvschedule
Disallow: /updates
Disallow: /watch/_ajax/option
Disallow: /_json/video/mon
Disallow: /_json/getAdsForMediaViewer/
Disallow: /list/ls*/_ajax
Disallow: /list/ls*/export
Disallow: /title/tt*/watch/_ajax/box
Disallow: /name/nm*/watch/_ajax/box
"""


def build(films: list[dict], root: Path) -> None:
    """Every page of every film with an IMDb id, the paged user list, robots.txt and the index."""
    guides = [guide_for(film) for film in films if film.get("imdb_id")]
    count = len(guides)
    for i, guide in enumerate(guides):
        similar = [guides[(i + step) % count] for step in (1, 2, 3) if step < count]
        write_page(root, HOST, guide.title_path, _title_page(guide, similar))
        write_page(root, HOST, guide.guide_path, _guide_page(guide))
    per_page = _data()["list"]["per_page"]
    pages = max(1, -(-count // per_page))
    for number in range(1, pages + 1):
        start = (number - 1) * per_page
        html = _list_page(guides[start : start + per_page], number, pages, start + 1)
        write_page(root, HOST, _list_path(), html, query=f"page={number}" if number > 1 else "")
    write_page(root, HOST, "/robots.txt", ROBOTS_TXT)
    index = [{"path": g.guide_path, "title": g.title, "year": g.film.get("year")} for g in guides]
    write_page(root, HOST, "/_index.json", json.dumps(index, ensure_ascii=False, indent=1))
