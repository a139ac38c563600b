"""What a page is made of: the Markdown extension (citations, data blocks, the sanitizer at its line),
the data blocks, table captions, JSON-LD, the templates' environment, the inline CSS and the HTTP
headers. Imports sitekit.core, sitekit.text and sitekit.data."""
