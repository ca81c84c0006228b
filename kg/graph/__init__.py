"""Facts to RDF (:mod:`kg.graph.triples`, the only module that knows the ontology's terms)
and the build that writes articles' graphs into the store (:mod:`kg.graph.build`)."""
