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

# In a publish build these warnings fail the build.
IOP_PROMOTE_WARNINGS = ("CLM001",)
