"""The web face of the graph: the SPARQL 1.1 Protocol, stored queries as an HTTP API, entity
pages and a query editor, over a read-only snapshot of the embedded store (`kg serve`).

Kept free of imports so the query workers (:mod:`kg.serve.worker`) start fast.
"""
