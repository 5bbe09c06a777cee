"""Where a real URL's page lives inside a mirror folder (shared by the server and the builders).

``https://HOST/a/b``          -> ``ROOT/HOST/a/b/page.html``  (no trailing slash, no dot)
``https://HOST/a/b/``         -> ``ROOT/HOST/a/b/index.html`` (trailing slash)
``https://HOST/a/b.htm``      -> ``ROOT/HOST/a/b.htm``        (last segment with a dot: a file)
``https://HOST/a?page=2``     -> ``ROOT/HOST/a/page%3Fpage=2.html`` (query kept, ``?`` escaped)

The mapping is one-to-one, so ``/movie-reviews`` (a listing) and ``/movie-reviews/frozen`` (a
review) coexist, and both trailing-slash conventions of a site stay distinct.

Each host folder may hold ``_index.json`` listing the review pages the mirror's search answers
from: ``[{"path": "/movie-reviews/frozen", "title": "Frozen"}]``.
"""

from __future__ import annotations

from pathlib import Path
from urllib.parse import quote, unquote

INDEX_FILE = "_index.json"


def relative_file(path: str, query: str = "") -> str:
    """Mirror-relative file name (below the host folder) of a URL path plus query string."""
    path = unquote(path or "/")
    # never escape the mirror root
    parts = [p for p in path.split("/") if p not in ("", ".", "..")]
    if path.endswith("/") or not parts:
        stem, ext = "index", ".html"
    elif "." in parts[-1]:
        stem, ext = parts.pop(), ""
    else:
        stem, ext = "page", ".html"
    if query:
        stem += "%3F" + query.replace("/", "%2F")
    return "/".join([*parts, stem + ext])


def file_for(root: Path, host: str, path: str, query: str = "") -> Path:
    return root / host.lower() / relative_file(path, query)


def write_page(root: Path, host: str, path: str, body: str | bytes, query: str = "") -> Path:
    target = file_for(root, host, path, query)
    target.parent.mkdir(parents=True, exist_ok=True)
    data = body.encode("utf-8") if isinstance(body, str) else body
    target.write_bytes(data)
    return target


def quote_path(path: str) -> str:
    return quote(path, safe="/:@!$&'()*+,;=-._~")
