"""Extraction: one recogniser per concern, entity resolution, and the pipeline
(:mod:`kg.extract.pipeline`) that runs them in order over one article."""
