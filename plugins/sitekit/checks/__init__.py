"""Checks of a page's text (language, safe messaging, uncited claims, reading level), of the written
HTML (banner, origins, links) and of its clinical review. Pure: each takes what it is handed and
returns or reports findings, so it runs the same in the build process or a worker. Imports
sitekit.core, sitekit.text, sitekit.data and sitekit.content."""
