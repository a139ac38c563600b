"""The floor every room stands on: finding codes, the findings of a build, the site's settings and
what the reader learned about a page. Imports nothing else of sitekit."""
