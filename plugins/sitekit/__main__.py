"""Command line: ``python -m sitekit build|serve`` (the Makefile calls these)."""

from __future__ import annotations

import argparse
import sys


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(prog="python -m sitekit", description=__doc__)
    sub = parser.add_subparsers(dest="command", required=True)
    b = sub.add_parser(
        "build",
        help="build the site (atomically) and report every problem; other options go to Pelican "
        "(e.g. -e SITEURL='\"...\"', --relative-urls, -o FOLDER)",
    )
    b.add_argument("-s", "--settings", default="pelicanconf.py")
    b.add_argument("--publish", action="store_true", help="publish build: gates on")
    s = sub.add_parser(
        "serve", help="build, serve at http://127.0.0.1:8000, rebuild on change and reload the open pages"
    )
    s.add_argument("-s", "--settings", default="pelicanconf.py")
    s.add_argument("--port", type=int, default=8000)
    s.add_argument("--bind", default="127.0.0.1")
    n = sub.add_parser("new", help="start a guide: front matter filled in, review status in_review")
    n.add_argument("--title", required=True)
    n.add_argument("--section", required=True, help="one of SECTIONS in the settings")
    n.add_argument("-s", "--settings", default="pelicanconf.py")
    sub.add_parser("docs", help="write docs/data-files.md from the schemas")
    sub.add_parser("deploy-config", help="write deploy/nginx.conf and deploy/_headers from one source")
    r = sub.add_parser("review", help="build, then write the review desk to review/ beside the output folder")
    r.add_argument("-s", "--settings", default="pelicanconf.py")
    r.add_argument("--out", default=None, help="the desk's folder (default: review/ beside the output folder)")
    r.add_argument("--vetted", default=None, help="the vetted list (default: ../shared/sources/vetted-sources.yaml)")
    rd = sub.add_parser("reading", help="print the reading level of every page")
    rd.add_argument("-s", "--settings", default="pelicanconf.py")
    a = sub.add_parser("approve", help="record clinical sign-offs: pages, data/crisis.yaml, or 'ready'")
    a.add_argument("pages", nargs="*", help="Markdown files under content/, data/crisis.yaml (the banner), or ready")
    a.add_argument("--reviewer", required=True, help="a reviewer id from data/reviewers.yaml")
    a.add_argument("--months", type=int, default=12, help="months until the next review (1-36)")
    a.add_argument("--override", default="", help="why you sign over findings that make publish would refuse")
    a.add_argument("-s", "--settings", default="pelicanconf.py")
    t = sub.add_parser(
        "translate-pin",
        help="record that a translation matches its English page (as it is, or at a git commit) and who judged it",
    )
    t.add_argument("pages", nargs="+", help="translated pages, e.g. content/es/guides/what-is-iop.md")
    t.add_argument("--reviewer", required=True, help="an id of data/<lang>/translators.yaml")
    t.add_argument("--at", help="pin to the English page as it was at this git commit")
    t.add_argument("-s", "--settings", default="pelicanconf.py")
    args, extra = parser.parse_known_args(argv)
    if extra and args.command not in ("build", "serve"):
        parser.error(f"unrecognized arguments: {' '.join(extra)}")

    if args.command == "build":
        from .runtime.build import build, pelican_overrides

        overrides = pelican_overrides(extra)
        if overrides is None:
            return 2
        return build(args.settings, overrides=overrides, publish=args.publish)
    if args.command == "serve":
        from .commands.desk import refresh
        from .preview.serve import serve

        return serve(args.settings, args.bind, args.port, extra, after_build=refresh)
    if args.command == "new":
        from .commands.newguide import new_guide

        return new_guide(args.title, args.section, args.settings)
    if args.command == "approve":
        from .commands.approve import approve

        return approve(args.pages, args.reviewer, args.months, args.settings, override=args.override)
    if args.command == "translate-pin":
        from .commands.pin import translate_pin

        return translate_pin(args.pages, args.reviewer, args.settings, at=args.at)
    if args.command == "review":
        from .commands.desk import review

        return review(args.settings, args.out, args.vetted)
    if args.command == "reading":
        from .commands.reading import reading_table

        return reading_table(args.settings)
    if args.command == "deploy-config":
        from .content.headers import write_deploy_config

        return write_deploy_config()
    if args.command == "docs":
        from .commands.docs import write_docs

        return write_docs()
    return 2


def leave(code: int | None) -> None:
    """End the process without tearing the interpreter down: freeing a build's objects one by one cost
    0.1 s of CPU after a real-site build of 1.1 s (9 %), 0.17 s after the 1,000-article corpus
    (`make bench`). By now the build has stopped its worker and waited for Pagefind; logging and the
    output streams are flushed here, and nothing else of ours runs at exit."""
    import logging
    import os

    logging.shutdown()
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(code or 0)


if __name__ == "__main__":
    leave(main())
