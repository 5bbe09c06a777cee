"""Helpers every site parser shares (``crawler/sites/base.py``)."""

import parsel
import scrapy
from scrapy.http import HtmlResponse, Request, TextResponse, XmlResponse

from crawler.sites.base import PlainSelectorResponse, with_plain_selectors, xpath_strings

PAGE = ("<html><head><script>var x = 1;</script></head><body><p>Violence:&nbsp;<b>C</b></p>"
        "<style>p {}</style><a href='/r/1?a=1&amp;b=2'>Caf\u00e9</a><!-- a comment --></body>"
        "</html>").encode("utf-8")


def test_xpath_strings_are_what_parsel_selects_as_plain_strings():
    response = HtmlResponse("https://example.org/", body=PAGE, encoding="utf-8")
    for query in ("//body//text()[not(ancestor::script or ancestor::style)]", "//a/@href",
                  "//p//text()", "//table//text()"):
        strings = xpath_strings(response, query)
        assert strings == response.xpath(query).getall()
        assert all(type(s) is str for s in strings)  # no lxml smart strings holding the tree
    assert xpath_strings(response, "//a/@href") == ["/r/1?a=1&b=2"]
    assert xpath_strings(response.css("p")[0], ".//text()") == ["Violence:\u00a0", "C"]


def test_with_plain_selectors_reads_the_same_document_without_scrapys_selector_class():
    request = Request("https://example.org/r/1", meta={"famreel_kind": "review"})
    page = PAGE.replace(b"<head>", b"<head><base href='https://cdn.example.org/x/'>")
    response = HtmlResponse(request.url, body=page, encoding="utf-8", request=request)
    plain = with_plain_selectors(response)
    assert isinstance(plain, PlainSelectorResponse) and plain is not response
    assert (plain.url, plain.body, plain.meta) == (response.url, response.body, response.meta)
    for query in ("p", "a::attr(href)", "p b::text", "body *"):
        assert plain.css(query).getall() == response.css(query).getall()
    # plain parsel selectors, not scrapy.Selector (tracked by trackref, holding the response)
    assert type(plain.css("p")[0]) is parsel.Selector
    assert type(response.css("p")[0]) is scrapy.Selector
    assert plain.selector is plain.selector  # built once
    # the document's URL is the page's base URL, its <base href> here, as Scrapy gives it
    documents = (r.selector.root.getroottree().docinfo.URL for r in (plain, response))
    assert list(documents) == ["https://cdn.example.org/x/"] * 2


def test_with_plain_selectors_leaves_other_responses_alone():
    xml = XmlResponse("https://example.org/feed", body=b"<rss><item/></rss>")
    text = TextResponse("https://example.org/a.json", body=b'{"a": 1}', encoding="utf-8")
    assert with_plain_selectors(xml) is xml
    assert with_plain_selectors(text) is text
    plain = with_plain_selectors(HtmlResponse("https://example.org/", body=PAGE))
    assert with_plain_selectors(plain) is plain
