"""Kids-In-Mind mirror pages: WordPress + Divi review pages, letter indexes, FacetWP search.

Per-film values come from ``kidsinmind_data.json`` (real S.V.L ratings and real URLs where the
public catalogues list them); a film missing there is derived from a hash of its key, so
``build`` stays deterministic on any catalogue. The three review markup generations (see
``crawler.sites.kidsinmind``) and the three URL generations are spread over the films:

* URL: legacy ``/f/frozen.htm``, archive ``/m/matrix_the_1999__275.htm`` (the number is the
  S.V.L), new ``/a/abominable-parents-guide-movie-review-rating.htm`` (reviews since 2019);
* markup: ``classic`` (14px span header), ``divi`` (pipe ``h1``), ``y2025`` (no year in
  ``<title>``, title-prefixed headings in modules of their own).
"""

from __future__ import annotations

import hashlib
import itertools
import json
import re
import string
import unicodedata
from dataclasses import dataclass
from html import escape
from pathlib import Path

from crawler.mirror.paths import write_page
from crawler.sites.kidsinmind import (
    BASE_URL,
    LIST_HEADING,
    RATED_SECTIONS,
    SEARCH_PARAM,
    SEARCH_PATH,
    SECTIONS,
)

HOSTS: tuple[str, ...] = ("kids-in-mind.com",)
HOST = HOSTS[0]
DATA = json.loads(Path(__file__).with_name("kidsinmind_data.json").read_text(encoding="utf-8"))
COVERED_PERCENT = 80  # share of films outside the data file that KIM has reviewed
NEW_URL_YEAR = 2019  # reviews from this year on use the "-parents-guide-movie-review-rating" URL
Y2025_YEAR = 2024  # films from this year on are shown in the 2025 markup
NEW_URL_SUFFIX = "-parents-guide-movie-review-rating.htm"
TITLE_SUFFIX = "Parents' Guide & Reviews | Kids-In-Mind.com"  # assumed wording after the "|"
ROBOTS_TXT = """User-agent: *
Crawl-delay: 30
Disallow: /wp-admin/
Allow: /wp-admin/admin-ajax.php
Disallow: /cgi-bin/
"""
# top rating of MPAA rating -> (sex, violence, language) ceiling of derived levels
_DERIVED_CEILING = {"G": (2, 3, 1), "PG": (3, 4, 3), "PG-13": (5, 6, 6), "R": (8, 9, 10)}
_DIGIT_WORDS = ("zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine")
_TEEN_WORDS = ("ten", "eleven", "twelve", "thirteen", "fourteen", "fifteen", "sixteen",
               "seventeen", "eighteen", "nineteen")
_ARTICLE = re.compile(r"^(the|a|an)\s+", re.IGNORECASE)

# Wording of a rated section by level: (highest level of the band, items)
_LEVEL_TEXTS = {
    "sex": [
        (0, ["None."]),
        (2, ["Two characters hug and share a brief kiss."]),
        (4, ["A man and a woman kiss several times; once passionately.",
             "A woman wears a low-cut dress that reveals cleavage.",
             "A few mildly suggestive remarks are made."]),
        (6, ["A man and a woman kiss passionately and begin to undress; the scene ends.",
             "A woman is seen in her underwear.", "Several sexual remarks and innuendo."]),
        (10, ["A man and a woman have sex; we see thrusting and bare backs and buttocks.",
              "Several crude sexual references and a strip club scene."]),
    ],
    "violence": [
        (0, ["None."]),
        (2, ["Characters trip, fall and bump into things in slapstick scenes; no one is hurt."]),
        (4, ["Characters are chased and fall from a height; no one is seriously hurt.",
             "A menacing villain threatens the heroes, who scream and run.",
             "Characters are in peril in a few tense scenes."]),
        (6, ["Men shoot at each other; a man is hit and falls, and we see a little blood.",
             "A car crashes and flips over; the driver is injured.",
             "Characters are threatened at gunpoint."]),
        (10, ["Many people are shot and killed; we see bloody wounds and bodies.",
              "A man is beaten bloody and a bone is shown breaking.",
              "A man is stabbed repeatedly."]),
    ],
    "language": [
        (0, ["None."]),
        (2, ["A few name-calling insults (e.g. \"stupid\", \"idiot\")."]),
        (4, [("Several mild obscenities, a few scatological terms, name-calling (e.g. \"jerk\", "
              "\"loser\") and exclamations (e.g. \"Oh my God\").")]),
        (6, [("1 F-word, about 10 scatological terms, several anatomical terms, mild obscenities "
              "and religious exclamations.")]),
        (10, [("About 60 F-words and their derivatives, 2 sexual references, many scatological "
               "terms, anatomical terms and mild obscenities.")]),
    ],
}
_SUBSTANCE_TEXTS = [
    ["None."],
    ["Adults drink wine with dinner."],
    ["Adults drink champagne at a party."],
    ["A man smokes a cigar in one scene."],
]
_DISCUSSION_TEXTS = [
    "Family, friendship, courage, growing up.",
    "Loyalty, honesty, responsibility, forgiveness.",
    "Loss, grief, hope, perseverance.",
]
_MESSAGE_TEXTS = [
    "Friendship and loyalty can overcome great obstacles.",
    "True courage means facing your fears.",
    "Family is worth fighting for.",
]


@dataclass(frozen=True)
class Entry:
    """One review page to render."""

    film: dict
    path: str
    svl: tuple[int, int, int]
    markup: str
    notes: dict

    @property
    def url(self) -> str:
        return BASE_URL + self.path

    @property
    def svl_text(self) -> str:
        return ".".join(map(str, self.svl))

    @property
    def title(self) -> str:
        return self.film["title"]

    @property
    def search_title(self) -> str:
        """How search results and ``_index.json`` show the film: ``Title [YYYY] [MPAA] - S.V.L``."""
        brackets = _brackets(self.film.get("year"), self.film.get("mpaa"))
        return f"{self.title} {brackets}- {self.svl_text}"


# --- build -------------------------------------------------------------------------------------


def build(films: list[dict], root: Path) -> None:
    entries = _entries(films)
    for entry in entries:
        write_page(root, HOST, entry.path, _review_page(entry))
    for letter in string.ascii_lowercase:
        listed = [e for e in entries if _letter(e.title) == letter]
        write_page(root, HOST, f"/{letter}.htm", _letter_page(letter, listed))
    write_page(root, HOST, "/robots.txt", ROBOTS_TXT)
    index = [{"path": e.path, "title": e.search_title} for e in entries]
    write_page(root, HOST, "/_index.json", json.dumps(index, indent=1, ensure_ascii=False))


def search_query(path: str, params: dict[str, list[str]]) -> str | None:
    if path.rstrip("/") != SEARCH_PATH:
        return None
    return " ".join(params.get(SEARCH_PARAM, [])).strip()


def render_search(query: str, hits: list[dict]) -> tuple[str, bytes]:
    results = "\n".join(
        _SEARCH_RESULT.format(url=escape(BASE_URL + hit["path"]), title=escape(hit["title"]))
        for hit in hits
    ) or "Nothing matches your search term."
    modules = [
        _letter_nav(),
        _module(1, '<h1>Search Results</h1>\n' + _SEARCH_FACET.format(query=escape(query))),
        _module(2, _SEARCH_TEMPLATE.format(results=results)),
    ]
    page = _page("Search | Kids-In-Mind.com", BASE_URL + SEARCH_PATH, modules, "search")
    return "text/html; charset=UTF-8", page.encode("utf-8")


def render_not_found(path: str) -> tuple[int, str, bytes]:
    """WordPress's 404 page, for any path the mirror has no file for."""
    modules = [_letter_nav(), _module(1, "<h1>Oops! That page can&rsquo;t be found.</h1>"
                                         "<p>Try the letter index or the search.</p>")]
    page = _page("Page not found | Kids-In-Mind.com", None, modules, "404")
    return 404, "text/html; charset=UTF-8", page.encode("utf-8")


# --- which films, which URLs -------------------------------------------------------------------


def _entries(films: list[dict]) -> list[Entry]:
    """Covered films in a stable order; explicit paths are reserved before derived ones."""
    known = DATA["films"]
    skipped = set(DATA["not_reviewed"])
    covered = [
        f for f in films
        if f["key"] in known
        or (f["key"] not in skipped and _hash(f["key"]) % 100 < COVERED_PERCENT)
    ]
    covered.sort(key=lambda f: (f.get("year") or 0, f["key"]))
    used = {known[f["key"]]["path"] for f in covered if "path" in known.get(f["key"], {})}
    entries = []
    for film in covered:
        notes = known.get(film["key"], {})
        svl = _svl(notes["svl"]) if "svl" in notes else _derived_svl(film)
        path = notes.get("path") or _derived_path(film, svl, used)
        used.add(path)
        entries.append(Entry(film, path, svl, notes.get("markup") or _derived_markup(film), notes))
    return entries


def _hash(key: str) -> int:
    return int.from_bytes(hashlib.sha256(key.encode("utf-8")).digest()[:8], "big")


def _svl(text: str) -> tuple[int, int, int]:
    sex, violence, language = (int(n) for n in text.split("."))
    return sex, violence, language


def _derived_svl(film: dict) -> tuple[int, int, int]:
    ceiling = _DERIVED_CEILING.get(film.get("mpaa") or "", (5, 6, 6))
    seed = _hash(film["key"])
    sex, violence, language = ((seed >> (8 * i)) % (top + 1) for i, top in enumerate(ceiling))
    return sex, violence, language


def _derived_markup(film: dict) -> str:
    year = film.get("year") or 0
    if year >= Y2025_YEAR:
        return "y2025"
    return "divi" if year >= NEW_URL_YEAR else "classic"


def _derived_path(film: dict, svl: tuple[int, int, int], used: set[str]) -> str:
    """The URL shape of the review's era; a taken path gets the year (``beautyandthebeast2017``),
    then a number."""
    words = _slug_words(film["title"])
    year = film.get("year") or ""
    directory = f"/{_letter(film['title'])}/"
    if (film.get("year") or 0) >= NEW_URL_YEAR:
        stem = "-".join(words)
        candidates = [stem + NEW_URL_SUFFIX, f"{stem}-{year}{NEW_URL_SUFFIX}"]
    elif _hash(film["key"]) % 10 < 7:
        stem = "".join(words)
        candidates = [f"{stem}.htm", f"{stem}{year}.htm"]
    else:
        stem = "_".join([*words, str(year)])
        candidates = [f"{stem}__{''.join(map(str, svl))}.htm", f"{stem}.htm"]
    numbered = (f"{candidates[0].removesuffix('.htm')}-{n}.htm" for n in itertools.count(2))
    paths = (directory + candidate for candidate in itertools.chain(candidates, numbered))
    return next(path for path in paths if path not in used)


def _fold(title: str) -> str:
    decomposed = unicodedata.normalize("NFKD", title)
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch)).lower()


def _slug_words(title: str) -> list[str]:
    """Lowercase words of the title without its leading article and without apostrophes."""
    unquoted = _ARTICLE.sub("", _fold(title)).replace("'", "").replace("’", "")
    return re.findall(r"[a-z0-9]+", unquoted)


def _letter(title: str) -> str:
    """Index letter: first letter without the article; a leading number counts as spelled out."""
    words = _slug_words(title)
    first = words[0] if words else "a"
    if not first[0].isdigit():
        return first[0]
    number = int(re.match(r"\d+", first).group())
    word = _TEEN_WORDS[number - 10] if 10 <= number < 20 else _DIGIT_WORDS[int(str(number)[0])]
    return word[0]


def _index_title(title: str) -> str:
    """Letter-page order: "The Parent Trap" -> "Parent Trap, The"."""
    match = _ARTICLE.match(title)
    return f"{title[match.end():]}, {match.group(1)}" if match else title


# --- review pages ------------------------------------------------------------------------------


def _review_page(entry: Entry) -> str:
    film = entry.film
    modern = entry.markup == "y2025"
    year = None if modern else film.get("year")  # assumed: 2025 pages keep [MPAA] in <title>
    title = f"{entry.title} {_brackets(year, film.get('mpaa'))}- {entry.svl_text} | {TITLE_SUFFIX}"
    modules = [_letter_nav(), _module(1, _header(entry)), _module(2, _synopsis_block(entry))]
    for key, label in SECTIONS.items():
        heading, body = _section_html(entry, key, label)
        if modern:  # heading and text in modules of their own
            modules.append(_module(len(modules), heading))
            modules.append(_module(len(modules), body, " review"))
        else:
            modules.append(_module(len(modules), f"{heading}\n{body}", " review"))
    return _page(title, entry.url, modules, entry.film["key"], _meta_description(entry))


def _brackets(year: int | None, mpaa: str | None) -> str:
    return "".join(f"[{part}] " for part in (year, mpaa) if part)


def _header(entry: Entry) -> str:
    film = entry.film
    pieces = [str(p) for p in (film.get("year"), film.get("mpaa")) if p]
    line = " | ".join(["", *pieces, ""]).strip()
    title = escape(entry.title)
    if entry.markup == "classic":
        # both spellings of the style attribute occur on real pages
        style = ("font-size:14px !important" if _hash(film["key"]) % 2
                 else "font-size: 14px !important;")
        span = f'<span style="{style}">{line} - {entry.svl_text}</span>'
        return f"<p><strong>{title}</strong> {span}</p>"
    if entry.markup == "divi":
        return f"<h1>{title} {line} – {entry.svl_text}</h1>"
    return f"<h1>{title} <span>{line} – {entry.svl_text}</span></h1>"


def _synopsis_block(entry: Entry) -> str:
    film = entry.film
    letter = entry.path.split("/")[1]
    stem = entry.path.rsplit("/", 1)[-1].removesuffix(NEW_URL_SUFFIX).removesuffix(".htm")
    poster = (f'<img class="alignleft size-full" src="https://www.criticsinc.com/photos/posters/'
              f'{letter}/{stem}.jpg" alt="{escape(entry.title)}" width="150" height="222" />')
    imdb = (f'\n<p><a href="https://www.imdb.com/title/{film["imdb_id"]}/" target="_blank" '
            f'rel="noopener">IMDb</a></p>' if film.get("imdb_id") else "")
    return f"{poster}\n<hr />\n<p>{escape(_synopsis(entry))}</p>{imdb}"


def _synopsis(entry: Entry) -> str:
    """KIM style: premise, cast, director, running time in brackets."""
    film = entry.film
    sentences = [entry.notes.get("premise") or _derived_premise(film)]
    if film.get("cast"):
        voices = "the voices of " if "Animation" in (film.get("genres") or []) else ""
        sentences.append(f"With {voices}{_join(film['cast'], ' and ')}.")
    if film.get("directors"):
        sentences.append(f"Directed by {_join(film['directors'], ' & ')}.")
    if film.get("runtime"):
        hours, minutes = divmod(int(film["runtime"]), 60)
        separator = "." if entry.notes.get("runtime_style") == "dot" else ":"
        prefix = "Running Time: " if entry.markup == "y2025" else ""
        sentences.append(f"[{prefix}{hours}{separator}{minutes:02d}]")
    return " ".join(sentences)


def _derived_premise(film: dict) -> str:
    genres = " / ".join(g.lower() for g in film.get("genres") or []) or "feature"
    article = "An" if genres[0] in "aeiou" else "A"
    return f"{article} {genres} film."


def _join(names: list[str], last: str) -> str:
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + last + names[-1]


def _section_html(entry: Entry, key: str, label: str) -> tuple[str, str]:
    """(heading, paragraph) of one section in the entry's markup generation."""
    if key in RATED_SECTIONS:
        level = entry.svl[list(RATED_SECTIONS).index(key)]
        label = f"{label} {level}"
    if entry.markup == "y2025":
        label = f"{entry.title} {label}"
    items = _section_items(entry, key)
    if entry.markup == "classic":
        body = " ".join(escape(item) for item in items)
    else:
        body = "<br />\n".join(f"► {escape(item)}" for item in items)
    return f'<h2 id="{key}">{escape(label)}</h2>', f"<p>{body}</p>"


def _section_items(entry: Entry, key: str) -> list[str]:
    notes = entry.notes
    seed = _hash(entry.film["key"])
    if key in notes.get("sections", {}):
        return notes["sections"][key]
    if key in RATED_SECTIONS:
        level = entry.svl[list(RATED_SECTIONS).index(key)]
        return next(items for top, items in _LEVEL_TEXTS[key] if level <= top)
    if key == "substance":
        return _SUBSTANCE_TEXTS[seed % len(_SUBSTANCE_TEXTS)]
    if key == "discussion":
        return [notes.get("discussion") or _DISCUSSION_TEXTS[seed % len(_DISCUSSION_TEXTS)]]
    return [notes.get("message") or _MESSAGE_TEXTS[seed % len(_MESSAGE_TEXTS)]]


def _meta_description(entry: Entry) -> str:
    return (f"Parents' guide to {entry.title}: how much sex, violence and profanity it contains "
            f"(S.V.L {entry.svl_text}).")


# --- letter pages and chrome -------------------------------------------------------------------


def _letter_page(letter: str, entries: list[Entry]) -> str:
    lines = "".join(
        f'<a href="{escape(e.url)}">{escape(_index_title(e.title))} '
        f'{escape(_brackets(e.film.get("year"), e.film.get("mpaa")))}– {e.svl_text}</a><br />\n'
        for e in sorted(entries, key=_letter_order)
    )
    modules = [
        _letter_nav(),
        _module(1, f"<h2>{LIST_HEADING}: {letter.upper()}</h2>"),
        _module(2, f"<p>{lines}</p>"),
    ]
    title = f"Movie Reviews by Title: {letter.upper()} | Kids-In-Mind.com"  # assumed wording
    return _page(title, f"{BASE_URL}/{letter}.htm", modules, f"letter-{letter}")


def _letter_order(entry: Entry) -> tuple[str, int]:
    return _fold(_index_title(entry.title)), entry.film.get("year") or 0


def _letter_nav() -> str:
    links = " | ".join(
        f'<a href="{BASE_URL}/{c}.htm">{c.upper()}</a>' for c in string.ascii_lowercase
    )
    return _module(0, f'<p class="kim-letters">{links}</p>')


def _module(number: int, inner: str, extra_class: str = "") -> str:
    return (f'<div class="et_pb_module et_pb_text et_pb_text_{number}{extra_class} '
            f'et_pb_text_align_left et_pb_bg_layout_light">\n'
            f'<div class="et_pb_text_inner">{inner}</div>\n</div>')


def _page(title: str, canonical: str | None, modules: list[str], page_key: str,
          description: str = "") -> str:
    page_id = 1000 + _hash(page_key) % 90000
    head = f'<meta name="description" content="{escape(description)}" />\n' if description else ""
    head += f'<link rel="canonical" href="{escape(canonical)}" />\n' if canonical else ""
    return _PAGE.format(title=escape(title), head=head, page_id=page_id, modules="\n".join(modules))


_PAGE = """<!DOCTYPE html>
<html lang="en-US">
<head>
<meta charset="UTF-8" />
<meta http-equiv="X-UA-Compatible" content="IE=edge">
<meta name="viewport" content="width=device-width, initial-scale=1.0, maximum-scale=1.0, user-scalable=0" />
<title>{title}</title>
{head}<link rel="stylesheet" id="divi-style-css" href="https://kids-in-mind.com/wp-content/themes/Divi/style.css?ver=4.9.4" type="text/css" media="all" />
<link rel="shortcut icon" href="https://kids-in-mind.com/wp-content/uploads/2019/06/favicon.ico" />
</head>
<body class="page-template-default page page-id-{page_id} et_pb_button_helper_class et_fixed_nav et_show_nav et_primary_nav_dropdown_animation_fade et_header_style_left et_pb_footer_columns4 et_cover_background et_pb_gutter et_pb_gutters3 et_pb_pagebuilder_layout et_no_sidebar et_divi_theme et-db">
<div id="page-container">
<header id="main-header" data-height-onload="66">
<div class="container clearfix et_menu_container">
<div class="logo_container"><span class="logo_helper"></span><a href="https://kids-in-mind.com/"><img src="https://kids-in-mind.com/wp-content/uploads/2019/06/kim-logo.png" alt="Kids-In-Mind" id="logo" data-height-percentage="54" /></a></div>
<div id="et-top-navigation"><nav id="top-menu-nav"><ul id="top-menu" class="nav">
<li class="menu-item"><a href="https://kids-in-mind.com/">Home</a></li>
<li class="menu-item"><a href="https://kids-in-mind.com/a.htm">Movie Reviews A-Z</a></li>
<li class="menu-item"><a href="https://kids-in-mind.com/help/methodology.htm">Methodology</a></li>
<li class="menu-item"><a href="https://kids-in-mind.com/about.htm">About Us</a></li>
<li class="menu-item"><a href="https://kids-in-mind.com/search-desktop.htm">Search</a></li>
<li class="menu-item"><a href="https://members.kids-in-mind.com/">Premium</a></li>
</ul></nav></div>
</div>
</header>
<div id="et-main-area">
<div id="main-content">
<article id="post-{page_id}" class="post-{page_id} page type-page status-publish hentry">
<div class="entry-content">
<div class="et-l et-l--post"><div class="et_builder_inner_content et_pb_gutters3">
<div class="et_pb_section et_pb_section_0 et_section_regular">
<div class="et_pb_row et_pb_row_0">
<div class="et_pb_column et_pb_column_4_4 et_pb_column_0 et-last-child">
{modules}
</div>
</div>
</div>
</div></div>
</div>
</article>
</div>
<footer id="main-footer">
<div id="footer-bottom"><div class="container clearfix">
<div id="footer-info">Copyright &copy; 1996-2025 Kids-In-Mind.com. All rights reserved. <a href="https://kids-in-mind.com/privacy.htm">Privacy Policy</a></div>
</div></div>
</footer>
</div>
</div>
</body>
</html>
"""

_SEARCH_FACET = (
    '<div class="facetwp-facet facetwp-facet-keyword facetwp-type-search" data-name="keyword" '
    'data-type="search"><span class="facetwp-input-wrap"><i class="facetwp-icon"></i>'
    '<input type="text" class="facetwp-search" value="{query}" placeholder="Search movie reviews" />'
    "</span></div>"
)
_SEARCH_TEMPLATE = (
    '<div class="facetwp-template" data-name="search_results">\n'
    '<div class="fwpl-layout el-e13muvi">\n{results}\n</div>\n</div>'
)
_SEARCH_RESULT = (
    '<div class="fwpl-result"><div class="fwpl-row el-3lvaap"><div class="fwpl-col el-ln1c2">'
    '<div class="fwpl-item el-2onu0j search-result"><a href="{url}">{title}</a></div>'
    "</div></div></div>"
)
