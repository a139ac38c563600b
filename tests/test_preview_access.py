"""The preview server answers only its own address and pages, and serves only files under the output
folder and its search index (issue 26 item 2; sitekit.preview.access). Real HTTP to one real
PreviewServer over a fixture build, shared by the module; test_preview.py shows `make serve` itself refuses
another Host."""

from __future__ import annotations

import http.client
import threading

import pytest

from conftest import make_site
from sitekit.preview import access
from sitekit.preview.searchindex import SearchIndex
from sitekit.preview.serve import Live, PreviewServer

SECRET = "TOP-SECRET: never served"  # noqa: S105 - a marker to look for, not a password


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    """A fixture site built once, a secret beside its output, a search index beside that, and the
    preview's server over them (the rebuild loop is not needed here)."""
    site = make_site(tmp_path_factory.mktemp("site"))
    result = site.build()
    assert result.code == 0, result.log
    (site.root / "secret.txt").write_text(SECRET)
    (result.output / "leak.txt").symlink_to(site.root / "secret.txt")  # a link inside output/ leading out
    index = SearchIndex(result.output)
    folder = index.base / "1"
    (folder / "pagefind").mkdir(parents=True)
    (folder / "pagefind/pagefind.js").write_text("// the index")
    (folder / "secret.txt").write_text(SECRET)
    index.folders = [folder]
    live = Live()
    live.finished({"code": 0, "findings": []})
    httpd = PreviewServer(("127.0.0.1", 0), result.output, live, index)
    thread = threading.Thread(target=httpd.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    try:
        yield httpd
    finally:
        live.close()
        httpd.shutdown()
        httpd.server_close()


def request(server, path: str, method: str = "GET", host: str | None = None, **headers) -> tuple[int, bytes]:
    """One request sent exactly as written (no normalising of the path), with its Host header as given."""
    port = server.server_address[1]
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    try:
        conn.putrequest(method, path, skip_host=True, skip_accept_encoding=True)
        if host != "":
            conn.putheader("Host", host or f"127.0.0.1:{port}")
        for name, value in headers.items():
            conn.putheader(name.replace("_", "-"), value)
        conn.endheaders()
        response = conn.getresponse()
        body = b"" if path == "/__live/events" and response.status == 200 else response.read()
        return response.status, body
    finally:
        conn.close()


@pytest.mark.parametrize(
    "path",
    [
        "/../secret.txt",
        "/%2e%2e/secret.txt",  # encoded dots
        "/%2E%2E%2Fsecret.txt",  # an encoded slash
        "/%252e%252e/secret.txt",  # double-encoded
        "/..%5csecret.txt",  # an encoded backslash
        "/..\\secret.txt",  # a backslash
        "/leak.txt",  # a symlink inside output/ that leads out
        "/guides/%00index.html",  # NUL
        "/pagefind//etc/passwd",  # the case: an absolute path after /pagefind/
        "/pagefind/%2fetc%2fpasswd",
        "/pagefind/../secret.txt",
        "/pagefind/%2e%2e/secret.txt",
        "/pagefind/..%2f..%2fsecret.txt",
    ],
)
def test_a_path_that_escapes_the_served_folders_is_refused(server, path):
    status, body = request(server, path)
    assert status == 400, (status, body[:200])
    assert SECRET.encode() not in body and b"root:" not in body


def test_an_absolute_path_is_a_path_inside_the_site(server):
    """Python's server reads a request path that starts with '//' as one inside the site (no such page)."""
    status, body = request(server, "//etc/passwd")
    assert status == 404 and b"root:" not in body


@pytest.mark.parametrize(
    "path,expected",
    [
        ("/", b"<h1>"),
        ("/guides/small/", b"A small guide"),
        ("/guides/small/index.html", b"A small guide"),
        ("/guides/small/%69ndex.html", b"A small guide"),  # an encoded letter: decoded once, inside
        ("/guides/small/?q=..%2f..%2fsecret.txt", b"A small guide"),  # the query is not a path
        ("/pagefind/pagefind.js", b"// the index"),
    ],
)
def test_files_under_the_served_folders_are_served(server, path, expected):
    status, body = request(server, path)
    assert status == 200, (status, body[:200])
    assert expected in body


@pytest.mark.parametrize(
    "host",
    [
        "evil.example:{port}",  # DNS rebinding: another name that resolves to 127.0.0.1
        "127.0.0.1.nip.io:{port}",
        "localhost.evil.example:{port}",
        "localhost",  # no port: another server's
        "localhost:{other}",
        "127.0.0.1:{port}@evil.example",
        "10.0.0.1:{port}",  # an address this server is not bound to
        "",  # no Host at all
    ],
)
def test_a_request_for_another_host_is_refused(server, host):
    port = server.server_address[1]
    status, body = request(server, "/", host=host.format(port=port, other=port + 1))
    assert status == 403, status
    assert b"data-crisis-banner" not in body, "no page of the site"


@pytest.mark.parametrize("host", ["localhost:{port}", "127.0.0.1:{port}", "[::1]:{port}", "LOCALHOST:{port}"])
def test_the_servers_own_names_are_answered(server, host):
    status, _body = request(server, "/guides/small/", host=host.format(port=server.server_address[1]))
    assert status == 200


@pytest.mark.parametrize(
    "path,method,headers",
    [
        ("/__live/events", "GET", {"Origin": "http://evil.example"}),  # another site's EventSource
        ("/__live/events", "GET", {"Origin": "null"}),  # a sandboxed frame or a file
        ("/__live/events", "GET", {"Sec-Fetch-Site": "cross-site"}),  # a cross-site request without Origin
        ("/__live/events", "GET", {"Origin": "http://localhost:1"}),  # another local server
        ("/__live/state", "GET", {"Origin": "https://evil.example"}),
        ("/guides/small/", "GET", {"Origin": "http://evil.example"}),
        ("/__review/sign", "POST", {}),  # no Origin: not from a browser page of this server
        ("/__review/sign", "POST", {"Origin": "http://evil.example"}),
    ],
)
def test_another_sites_pages_get_nothing(server, path, method, headers):
    status, body = request(server, path, method, **headers)
    assert status == 403, status
    assert b'"build"' not in body


@pytest.mark.parametrize(
    "path,method,headers,expected",
    [
        ("/__live/events", "GET", {}, 200),
        ("/__live/events", "GET", {"Origin": "http://127.0.0.1:{port}", "Sec-Fetch-Site": "same-origin"}, 200),
        ("/__live/state", "GET", {"Origin": "http://localhost:{port}"}, 200),
        ("/__review/sign", "POST", {"Origin": "http://localhost:{port}", "Content-Length": "0"}, 501),
    ],
)
def test_the_servers_own_pages_pass_the_check(server, path, method, headers, expected):
    """The other side: the same endpoints from a page of this server (a POST passes the check and meets
    the server's answer for a method it has no endpoint for)."""
    port = server.server_address[1]
    status, _body = request(server, path, method, **{k: v.format(port=port) for k, v in headers.items()})
    assert status == expected


WILDCARD = "0.0.0.0"  # noqa: S104 - the address `make serve --bind` takes to listen everywhere


def test_with_a_wildcard_bind_any_address_but_no_name_is_accepted():
    assert access.host_allowed("192.168.1.5:8000", WILDCARD, 8000)
    assert access.host_allowed("[fe80::1]:8000", "::", 8000)
    assert not access.host_allowed("evil.example:8000", WILDCARD, 8000)
    assert not access.host_allowed("192.168.1.5:8001", WILDCARD, 8000)
    assert access.host_allowed("192.168.1.5:8000", "192.168.1.5", 8000)
    assert not access.host_allowed("192.168.1.6:8000", "192.168.1.5", 8000)
