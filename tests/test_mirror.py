"""The mirror: bundled pages equal their renderers' output, the server's routing and search."""

import urllib.error
import urllib.request
from pathlib import Path

import pytest

from crawler.middlewares import mirror_url
from crawler.mirror.render import renderers
from crawler.mirror.server import BUNDLED_ROOT, Mirror, SiteIndex
from tests.conftest import run_famreel
from tests.helpers import FILMS

RENDERERS = sorted({module.__name__: module for module in renderers().values()}.items())


def tree(root: Path, hosts) -> dict:
    return {p.relative_to(root): p.read_bytes() for host in hosts if (root / host).is_dir()
            for p in (root / host).rglob("*") if p.is_file()}


@pytest.mark.parametrize(("name", "renderer"), RENDERERS, ids=[n for n, _ in RENDERERS])
def test_bundled_pages_equal_a_fresh_build(tmp_path, name, renderer):
    renderer.build(FILMS, tmp_path)
    built = tree(tmp_path, renderer.HOSTS)
    assert built, name
    assert built == tree(BUNDLED_ROOT, renderer.HOSTS)


def test_mirror_url_mapping():
    assert mirror_url("http://127.0.0.1:9/", "https://www.parenting.com/search?q=up") == (
        "http://127.0.0.1:9/www.parenting.com/search?q=up")
    assert mirror_url("http://127.0.0.1:9", "https://dove.org") == "http://127.0.0.1:9/dove.org/"


def test_search_is_case_punctuation_and_accent_insensitive():
    index = SiteIndex([{"path": "/a", "title": "Won’t Back Down"},
                       {"path": "/b", "title": "Amélie"},
                       {"path": "/c", "title": "Frozen"}, {"path": "/d", "title": "Frozen II"},
                       {"path": "/e", "title": "Back to the Future"}])
    assert [h["path"] for h in index.search("WONT back-down!")] == ["/a"]
    assert [h["path"] for h in index.search("amelie")] == ["/b"]
    assert [h["path"] for h in index.search("frozen")] == ["/c", "/d"]  # closest first
    assert index.search("back future down") == []  # every word must match
    assert index.search("  ") == []


def test_server_answers_files_search_and_errors():
    mirror = Mirror()
    status, headers, body = mirror.answer("GET", "/kids-in-mind.com/robots.txt")
    assert status == 200 and b"Crawl-delay: 30" in body and headers["Content-Type"].startswith(
        "text/plain")
    status, _, body = mirror.answer("GET", "/www.parenting.com/search?q=won%27t+back+down")
    assert status == 200 and b"wont-back-down" in body
    assert mirror.answer("GET", "/www.parenting.com/../../etc/passwd")[0] == 404
    assert mirror.answer("GET", "/no.such.host/x")[0] == 404
    assert mirror.answer("POST", "/www.parenting.com/search")[0] == 405
    # Parent Previews answers a missing page with 200 "page not found", as the real site does
    status, _, body = mirror.answer("GET", "/parentpreviews.com/movie-reviews/no-such-film")
    assert status == 200 and b"page not found" in body.lower()


def test_famreel_mirror_serves_over_http(mirror_url):
    with urllib.request.urlopen(f"{mirror_url}/www.commonsensemedia.org/robots.txt") as response:
        assert response.status == 200
    with pytest.raises(urllib.error.HTTPError) as error:
        urllib.request.urlopen(f"{mirror_url}/www.commonsensemedia.org/no/such/page")
    assert error.value.code == 404


def test_mirror_command_rejects_a_missing_root(tmp_path):
    result = run_famreel("mirror", "--root", str(tmp_path / "nope"))
    assert result.returncode == 2 and "is not a folder" in result.stderr
