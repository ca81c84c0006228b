"""Benchmark tooling: a synthetic corpus generator with planted gold facts (see README.md)."""
