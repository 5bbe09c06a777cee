"""Helpers every site parser shares (``crawler/sites/base.py``)."""

from scrapy.http import HtmlResponse

from crawler.sites.base import xpath_strings

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
