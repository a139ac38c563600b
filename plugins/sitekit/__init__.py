"""Shared library for the site's plugins: diagnostics, YAML data, schemas, the build driver."""
