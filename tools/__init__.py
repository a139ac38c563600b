"""Measuring tools (`make bench`, `make profile`, `make firstpaint`): never imported by the site's build."""
