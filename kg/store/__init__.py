"""The embedded Oxigraph store and the caches kept beside it (:mod:`kg.store.folders` names
their folders)."""
