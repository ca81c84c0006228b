"""Stored queries, their parameters bound as terms, the backends that answer them (embedded
store or SPARQL endpoint) and result tables."""
