"""One spider per site, all built on ``base.SiteSpider``: the site module decides what to fetch."""
