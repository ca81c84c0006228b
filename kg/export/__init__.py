"""Serialisations, Graph Store push, the facts JSON and plots."""
