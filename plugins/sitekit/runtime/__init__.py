"""One build: its state (RUN), the guard that turns failures into findings, the build driver with its
staging folder and lock, Pelican's reader cache, the worker pool and the preview's memo. Imports
sitekit.core (and the rooms below it through the plugins, never directly)."""
