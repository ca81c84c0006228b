"""SHACL validation (core and SPARQL parts, incremental runs, reports) and OWL reasoning."""
