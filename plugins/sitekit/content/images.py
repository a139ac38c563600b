"""Images in the guides: where they live, their alt text and their size.

A guide's images go in ``content/images/`` (Pelican copies that folder as it is: STATIC_PATHS), and
a page shows one with ``![What the image shows]({static}/images/name.webp)``.

- At the Markdown line, as the page is read (`check_line`): every image has alt text (IMG001),
  ``![](x.png)`` included; readers who cannot see it hear the description instead.
- Once every page is read (`check_files`): the file is in content/images/ (IMG002; one put beside the
  guide is named, with where to move it), exists (IMG003, with the closest name), is a format every
  browser shows and that carries no script (IMG005), and is within the size budget (IMG004, a warning
  that publish refuses: IOP_IMAGE_BUDGET). These read the image files, which the reader cache does not
  watch, so they run on every build from what the reader noted (`PageInfo.images`).
"""

from __future__ import annotations

import difflib
import posixpath
import re
from pathlib import Path
from urllib.parse import unquote, urlsplit

from ..core.diagnostics import DIAG
from ..text.imagesyntax import images_in, no_alt

#: The folder under content/ that holds the guides' images (also in STATIC_PATHS).
FOLDER = "images"
#: What every browser shows and what cannot carry a script.
FORMATS = {"png", "jpeg", "gif", "webp", "avif"}
SUFFIXES = {".png", ".jpg", ".jpeg", ".gif", ".webp", ".avif", ".svg", ".bmp", ".tif", ".tiff", ".heic"}


def check_line(path: str, line: int, text: str) -> list[tuple[int, str]]:
    """Report images without alt text on one Markdown line; return (line, address) of each image."""
    out = []
    if "<img" not in text.lower() and "![" not in text:
        return out
    for src, alt in images_in(text):
        out.append((line, src))
        if no_alt(alt):
            name = posixpath.basename(urlsplit(src).path) or src
            DIAG.error(
                "IMG001",
                path,
                line,
                f"image '{name}' has no alt text",
                "describe what the image shows between the square brackets, as you would to someone on the "
                f"phone: ![A counselor talking with a family]({src}); readers who cannot see it hear this instead",
            )
    return out


def content_path(src: str, page: Path, content: Path) -> str | None:
    """The file under content/ an image address names (relative, POSIX), or None for another site's."""
    if src.startswith("|static|"):
        src = "{static}" + src.removeprefix("|static|")
    parts = urlsplit(src)
    if parts.scheme or parts.netloc:
        return None  # another site's image: the sanitizer refuses it (SAFE005)
    address = unquote(parts.path)
    if address.startswith(("{static}", "{attach}", "{filename}")):
        address = address.split("}", 1)[1]
    if address.startswith("/"):
        rel = posixpath.normpath(address.lstrip("/"))
    else:
        try:
            here = page.resolve().parent.relative_to(content.resolve()).as_posix()
        except ValueError:
            here = ""
        rel = posixpath.normpath(posixpath.join(here, address))
    return rel


def check_files(pages: dict, content: Path, budget: dict) -> dict:
    """The files every page's images name: in content/images/, there, a safe format, within budget.
    Returns the pixel size of each image shown, by page and address: {(page path, src): (width, height)}."""
    from PIL import Image, UnidentifiedImageError

    content = Path(content)
    folder = content / FOLDER
    available = (
        sorted(p.relative_to(content).as_posix() for p in folder.rglob("*") if p.is_file()) if folder.is_dir() else []
    )
    measured: dict = {}
    shown: set[str] = set()
    sizes: dict = {}
    for info in pages.values():
        for line, src in getattr(info, "images", None) or []:
            rel = content_path(src, Path(info.path), content)
            if rel is None:
                continue
            name = posixpath.basename(rel)
            if not rel.startswith(FOLDER + "/"):
                where = content / rel
                said = (
                    f"'{name}' is in content/{posixpath.dirname(rel) or ''}".rstrip("/")
                    if where.is_file()
                    else f"'{src}' is not in content/images/"
                )
                DIAG.error(
                    "IMG002",
                    info.path,
                    line,
                    f"{said}; the guides' images go in content/images/",
                    f"move it to content/images/{name} and show it with "
                    f"![What the image shows]({{static}}/images/{name})",
                )
                continue
            file = content / rel
            shown.add(rel)
            if not file.is_file():
                close = difflib.get_close_matches(rel, available, n=1, cutoff=0.6)
                DIAG.error(
                    "IMG003",
                    info.path,
                    line,
                    f"there is no file content/{rel}",
                    f"did you mean {{static}}/{close[0]}?"
                    if close
                    else f"save the image as content/{rel}, or fix its name",
                )
                continue
            key = (file, file.stat().st_mtime_ns, file.stat().st_size)
            if key not in measured:
                try:
                    with Image.open(file) as image:
                        measured[key] = ((image.format or "").lower(), image.size)
                except (UnidentifiedImageError, OSError):
                    measured[key] = (file.suffix.lstrip(".").lower() or "unknown", None)
            kind, size = measured[key]
            if kind not in FORMATS:
                DIAG.error(
                    "IMG005",
                    info.path,
                    line,
                    f"content/{rel} is {kind.upper() if size else 'not an image browsers show'}"
                    + (" (SVG files can carry scripts)" if file.suffix.lower() == ".svg" else ""),
                    "save it as WebP, PNG or JPEG (File > Export in most image programs)",
                )
                continue
            over = []
            if file.stat().st_size > budget["max_bytes"]:
                over.append(f"{file.stat().st_size / 1000:.0f} KB (budget {budget['max_bytes'] / 1000:.0f} KB)")
            width, height = size
            sizes[(info.path, src)] = size
            if width > budget["max_width"] or height > budget["max_height"]:
                over.append(f"{width}x{height} pixels (budget {budget['max_width']}x{budget['max_height']})")
            if over:
                DIAG.warning(
                    "IMG004",
                    info.path,
                    line,
                    f"content/{rel} is {' and '.join(over)}",
                    f"resize it to at most {budget['max_width']} pixels wide and save it as WebP or JPEG (quality "
                    "about 80): on a slow phone connection every 50 KB is another second before it shows",
                )
    check_folder(content, shown)
    return sizes


_IMG = re.compile(r"<img\b[^>]*>", re.IGNORECASE)
_SRC = re.compile(r'\ssrc="([^"]*)"')


def with_sizes(html: str, sizes: dict) -> str:
    """Give each ``<img>`` whose address is in ``sizes`` ({src: (width, height)}) its width and height, so the
    browser keeps its place before the file arrives and the text below does not jump (the theme scales
    it down with max-width and height: auto). An image that already says its size is left as it is."""

    def sized(match):
        tag = match.group(0)
        src = _SRC.search(tag)
        if src is None or src.group(1) not in sizes or re.search(r"\s(width|height)=", tag):
            return tag
        width, height = sizes[src.group(1)]
        return tag[:-1].rstrip("/").rstrip() + f' width="{width}" height="{height}">'

    return _IMG.sub(sized, html) if "<img" in html.lower() else html


def check_folder(content: Path, shown: set[str]) -> None:
    """Every file of content/images/ is an image (Pelican publishes the folder as it is: an .html file there
    would skip every check) and is shown somewhere."""
    folder = Path(content) / FOLDER
    for file in sorted(folder.rglob("*")) if folder.is_dir() else []:
        if not file.is_file() or file.name.startswith("."):
            continue
        rel = file.relative_to(content).as_posix()
        if file.suffix.lower() not in SUFFIXES or file.suffix.lower() == ".svg":
            DIAG.error(
                "IMG005",
                file,
                0,
                f"{file.name} is not an image browsers show safely; content/images/ holds only images",
                "save images as WebP, PNG or JPEG; anything else goes elsewhere (pages in content/pages/)",
            )
        elif rel not in shown:
            DIAG.warning(
                "IMG006",
                file,
                0,
                f"{file.name} is shown on no page",
                f"show it with ![What the image shows]({{static}}/{rel}), or delete it",
            )


def misplaced(path: Path) -> bool:
    """Whether a file in the guides' or pages' folders is an image (it belongs in content/images/)."""
    return path.suffix.lower() in SUFFIXES
