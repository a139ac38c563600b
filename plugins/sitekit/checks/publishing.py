"""What must never reach readers: the example site address, the text `make new` wrote, and links to
addresses only the preview has. Pure functions; the plugins report what they find.

- EDT001 (publish builds): SITEURL is empty, an example or test domain (RFC 2606/6761: example.org,
  .example, .test, .invalid), or http:// for a real host. With the example address every page would
  load its search script from a site that is not there, and the CSP would block it.
- EDT002: a page still carries the summary or the hint `make new` wrote (a warning in preview, refused
  by publish).
- EDT003: a link to 127.0.0.1, localhost, /__live/ (the preview's own files) or /_review/ (the review
  desk): it works on the editor's computer and nowhere else (a warning in preview, refused by publish).
"""

from __future__ import annotations

from urllib.parse import urlsplit

#: Hosts of a local test of the publish build (served by nginx on this computer): allowed over http://.
LOCAL_HOSTS = {"127.0.0.1", "localhost", "::1", "0.0.0.0"}  # noqa: S104 - names, not a bind address
EXAMPLE_DOMAINS = ("example.org", "example.com", "example.net")
RESERVED_SUFFIXES = (".example", ".test", ".invalid", ".localhost")
#: Paths only the preview server answers.
PREVIEW_PATHS = ("/__live/", "/_review/")


def siteurl_problem(siteurl: str) -> str | None:
    """Why a publish build may not use this SITEURL, or None."""
    url = (siteurl or "").strip()
    if not url:
        return "SITEURL is empty, so the pages, sitemap and search have no address"
    parts = urlsplit(url)
    host = (parts.hostname or "").lower()
    if parts.scheme not in ("http", "https") or not host:
        return f"SITEURL '{url}' is not a web address (https://your.domain)"
    if (
        host in EXAMPLE_DOMAINS
        or host.endswith(tuple("." + d for d in EXAMPLE_DOMAINS))
        or host.endswith(RESERVED_SUFFIXES)
    ):
        return f"SITEURL '{url}' is an example address; on a real host every page would load its search from it"
    if parts.scheme == "http" and host not in LOCAL_HOSTS:
        return f"SITEURL '{url}' is http://; the site is served over HTTPS (its headers say so)"
    return None


def preview_only(href: str, site_host: str = "") -> bool:
    """Whether a link leads to an address only the editor's preview has."""
    parts = urlsplit(href.strip())
    host = (parts.hostname or "").lower()
    if parts.netloc and parts.netloc != site_host and (host in LOCAL_HOSTS or host.endswith(".localhost")):
        return True
    if parts.scheme and parts.scheme not in ("http", "https"):
        return False
    if parts.netloc and parts.netloc != site_host:
        return False  # another site's /_review/ is that site's business
    return parts.path.startswith(PREVIEW_PATHS) or parts.path.rstrip("/") in {p.rstrip("/") for p in PREVIEW_PATHS}


def template_lines(front_matter: dict, prose_lines: list, summary: str, hint: str) -> list[tuple[int, str]]:
    """(line, what) for each piece of `make new`'s text still in a page."""
    out = []
    if str(front_matter.get("summary", "")).strip() == summary:
        line = front_matter.line_of("summary") if hasattr(front_matter, "line_of") else 0
        out.append((line, "the summary"))
    marker = hint[:60]
    out += [(line, "the hint") for line, text in prose_lines if marker in text]
    return out
