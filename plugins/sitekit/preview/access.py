"""Which requests the preview server answers, and which file a path names: one check for every endpoint.

The preview listens on the editor's machine, where any web page the editor opens can send it
requests. `PreviewHandler.parse_request` calls `request_allowed` on every request, whatever its
method or endpoint, before anything else reads it:

- **Host** must name this server: ``localhost``, ``127.0.0.1`` or ``[::1]``, or the address it is
  bound to, with the port it listens on. A page on another domain that makes its name resolve to
  127.0.0.1 (DNS rebinding) sends its own name as Host and is refused. With a wildcard bind
  (``--bind 0.0.0.0``) any IP address is accepted, never a name: rebinding needs a name.
- **Origin**, when a browser sends one, must be this server's own (``http://`` + an allowed Host):
  another site's script gets nothing, not even a started request. Requests that change state or
  stream events (any method but GET and HEAD, and ``/__live/events``) must come from a page of this
  server: an Origin, if any, of its own, and no ``Sec-Fetch-Site`` other than ``same-origin`` or
  ``none``; a method other than GET and HEAD must carry its Origin (browsers always send one).

`resolve` maps a request path to a file under a folder, or None: every path is decoded once;
backslashes, encoded slashes and backslashes, anything still percent-encoded after one decoding
(``%252e``), NUL and other control characters, empty, ``.`` and ``..`` segments are refused, and
the result (symlinks followed) must lie inside the folder. The server answers a refused path with
400 and never reads it.
"""

from __future__ import annotations

import ipaddress
import os
from pathlib import Path
from urllib.parse import unquote, urlsplit

#: Names that always mean this machine (browsers resolve them to the loopback address themselves).
LOCAL_NAMES = frozenset({"localhost", "127.0.0.1", "::1"})
#: Endpoints that stream or change state: only pages of this server may use them.
GUARDED_PATHS = frozenset({"/__live/events"})
SAFE_METHODS = frozenset({"GET", "HEAD"})
#: Sec-Fetch-Site values of a request made by a page of this server, or typed by the editor.
OWN_FETCH_SITES = frozenset({"same-origin", "none"})


def _split_host(value: str) -> tuple[str, int | None] | None:
    """("name or address", port or None) of a Host value; None if it is malformed."""
    value = value.strip().lower()
    if not value or any(c.isspace() or c in "/@\\?#" for c in value):
        return None
    if value.startswith("["):  # [::1]:8000
        end = value.find("]")
        if end < 0:
            return None
        host, rest = value[1:end], value[end + 1 :]
        if rest and not rest.startswith(":"):
            return None
        port = rest[1:] if rest else None
    elif value.count(":") == 1:
        host, port = value.split(":")
    elif ":" in value:
        return None  # a bare IPv6 address must be in brackets
    else:
        host, port = value, None
    if port is not None and not (port.isascii() and port.isdigit() and len(port) <= 5):
        return None
    return host, int(port) if port is not None else None


def _is_ip(name: str) -> bool:
    try:
        ipaddress.ip_address(name)
    except ValueError:
        return False
    return True


def host_allowed(value: str | None, bound: str, port: int) -> bool:
    """Whether a Host header (or an Origin's host and port) names this server."""
    if not value:
        return False
    split = _split_host(value)
    if split is None:
        return False
    host, given = split
    if (given if given is not None else 80) != port:
        return False
    if host in LOCAL_NAMES:
        return True
    bound = bound.strip("[]").lower()
    if bound in ("0.0.0.0", "::", ""):  # noqa: S104 - every address of the machine: an address, never a name
        return _is_ip(host)
    return _is_ip(host) and ipaddress.ip_address(host) == ipaddress.ip_address(bound)


def origin_allowed(origin: str, bound: str, port: int) -> bool:
    """Whether an Origin header is this server's own."""
    parts = urlsplit(origin.strip())
    if parts.scheme != "http" or parts.path or parts.query or parts.fragment or parts.username:
        return False
    return host_allowed(parts.netloc, bound, port)


def refusal(method: str, path: str, headers, bound: str, port: int) -> str | None:
    """Why a request must be refused, or None when it may be answered."""
    if not host_allowed(headers.get("Host"), bound, port):
        return "this server answers only requests for its own address (Host)"
    origin = headers.get("Origin")
    if origin is not None and not origin_allowed(origin, bound, port):
        return "this server answers only its own pages (Origin)"
    route = unquote(urlsplit(path).path)
    if method not in SAFE_METHODS or route in GUARDED_PATHS:
        if method not in SAFE_METHODS and origin is None:
            return "a request that changes something must come from a page of this server (no Origin)"
        site = headers.get("Sec-Fetch-Site")
        if site is not None and site.strip().lower() not in OWN_FETCH_SITES:
            return "this endpoint answers only pages of this server (Sec-Fetch-Site)"
    return None


def request_allowed(handler) -> bool:
    """The check every request of the preview server goes through (an `http.server` handler whose
    request line and headers are parsed): True to go on; otherwise the refusal is sent (403) and the
    request must not be answered further."""
    bound, port = handler.server.server_address[:2]
    why = refusal(handler.command, handler.path, handler.headers, str(bound), int(port))
    if why is None:
        return True
    handler.send_error(403, "Forbidden", why)
    return False


def resolve(root: str | os.PathLike, raw_path: str) -> Path | None:
    """The file or folder under ``root`` that a request path (as sent, still percent-encoded; its query
    is ignored) names, with symlinks followed; None for a path that is malformed or leads outside."""
    path = urlsplit(raw_path).path if ("?" in raw_path or "#" in raw_path) else raw_path
    if "\\" in path or "%2f" in path.lower() or "%5c" in path.lower():
        return None
    try:
        decoded = unquote(path, errors="strict")
    except UnicodeDecodeError:
        return None
    if "%" in decoded or "\\" in decoded or not decoded.isprintable():
        return None  # double encoding, or a control character
    parts = decoded.split("/")
    if parts and parts[0] == "":
        parts = parts[1:]  # the leading slash
    if parts and parts[-1] == "":
        parts = parts[:-1]  # a trailing slash names the folder
    if any(p in ("", ".", "..") for p in parts):
        return None
    base = os.path.realpath(root)
    found = os.path.realpath(os.path.join(base, *parts))
    if found != base and not found.startswith(base + os.sep):
        return None
    return Path(found)
