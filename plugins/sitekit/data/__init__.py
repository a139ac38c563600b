"""The data files of data/: the line-numbered YAML loader, the schema checker, every file's schema and
the loaded, cross-checked SiteData. Imports sitekit.core and sitekit.text."""
