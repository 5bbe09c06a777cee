"""famreel's Scrapy project: spiders, site parsers, items, pipelines, middlewares, settings, CLI."""
