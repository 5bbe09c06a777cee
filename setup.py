"""Only for ``scrapyd-deploy``, which builds the project's egg with ``python setup.py bdist_egg``.

Every piece of metadata (packages, package data, the ``scrapy`` settings entry point Scrapyd
reads) lives in pyproject.toml; without this file scrapyd-deploy would write its own setup.py
that packs no package data (the bundled mirror, the migrations).
"""

from setuptools import setup

setup()
