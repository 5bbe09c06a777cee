"""The local mirror: real sites' pages served at ``http://127.0.0.1:PORT/HOST/PATH``.

``site/`` holds the bundled pages (package data), one folder per real host; ``render/`` holds one
module per site that renders that site's real markup (review pages, listings, search results,
robots.txt) from ``films.json``; ``server`` serves a folder of pages and answers each site's search
endpoint from a per-host index.
"""
