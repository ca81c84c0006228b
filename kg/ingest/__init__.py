"""Reading: article files and manifests, noise removal, sentences with offsets, the reference
data and the written-date grammar. Every later room may import this one."""
