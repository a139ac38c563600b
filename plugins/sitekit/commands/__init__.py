"""The other commands of `python -m sitekit`: approve, new, docs, review and reading. May import
every other room."""
