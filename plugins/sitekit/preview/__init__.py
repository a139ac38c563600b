"""`make serve`: the preview server, its rebuild loop and the search index it keeps beside output/.
Imports sitekit.runtime and the rooms below it."""
