"""Publish settings: absolute URLs, and the gates that keep unsafe or unreviewed pages out."""

import os
import sys

sys.path.append(os.curdir)
from pelicanconf import *  # noqa: F403 - Pelican's documented pattern for publishconf

# The site's address: put yours here (or run `SITEURL=https://your.domain make publish`). `make publish`
# refuses this example address, any other example or test domain, and http:// (EDT001).
SITEURL = os.environ.get("SITEURL", "https://iop-guide.example.org")
PUBLISHER = {"name": "IOP Guide (open-source health information project)", "url": SITEURL}
RELATIVE_URLS = False
# Publish builds go to public/, preview builds to output/: neither ever replaces the other (EDT004).
OUTPUT_PATH = "public"
IOP_PUBLISH = True

# Hosting (deploy/nginx.conf, written by `make deploy-config` and `make publish` from these): the folder
# on the server that holds the published site, and the port nginx listens on. docs/settings.md.
IOP_NGINX_ROOT = "/srv/iop-guide/public"
IOP_NGINX_PORT = 80

# The warnings a publish build refuses are IOP_PROMOTE_WARNINGS in pelicanconf.py (the preview marks them).
# The warnings a publish build turns into errors (IOP_PROMOTE_WARNINGS) are set in pelicanconf.py, so
# the review desk and `make approve` see the same list.
