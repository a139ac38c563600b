"""Words and markup, as plain functions: plain text as a reader sees it, the required-words prefilter,
citation syntax, the HTML sanitizer and Markdown's inline gate. Imports only sitekit.core."""
