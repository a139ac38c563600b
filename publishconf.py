"""Publish settings: absolute URLs, and the gates that keep unsafe or unreviewed pages out."""

import os
import sys

sys.path.append(os.curdir)
from pelicanconf import *  # noqa: F403 - Pelican's documented pattern for publishconf

SITEURL = os.environ.get("SITEURL", "https://iop-guide.example.org")
PUBLISHER = {"name": "IOP Guide (open-source health information project)", "url": SITEURL}
RELATIVE_URLS = False
OUTPUT_PATH = os.environ.get("OUTPUT_PATH", "output")
IOP_PUBLISH = True

# The warnings a publish build turns into errors (IOP_PROMOTE_WARNINGS) are set in pelicanconf.py, so
# the review desk and `make approve` see the same list.
