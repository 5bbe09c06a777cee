"""famreel's read-only web site and JSON API (FastAPI + Jinja2), served by ``famreel serve``.

``create_app(db_url)`` builds the application on one database (SQLite or PostgreSQL). Pages and
API share the filters of ``storage.queries``; every value from crawled pages is escaped by
Jinja2's autoescaping and a Content-Security-Policy forbids scripts altogether.
"""

from crawler.web.app import create_app

__all__ = ["create_app"]
