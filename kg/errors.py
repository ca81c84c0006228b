"""Typed errors of the library. Only the CLI turns them into messages and exit codes."""
from __future__ import annotations


class VjkgError(Exception):
    """Base of every error vjkg raises on purpose; ``str(err)`` is the message a person reads."""


class InputError(VjkgError):
    """A file the user gave is missing, empty, binary, undecodable or malformed."""


class QueryError(VjkgError):
    """A stored or ad-hoc query is malformed, unknown, or given bad parameters."""


class EndpointError(VjkgError):
    """A remote SPARQL endpoint or Graph Store is unreachable, timed out or refused."""


class StoreError(VjkgError):
    """The local store is missing, locked or unusable."""


class ReasonerError(VjkgError):
    """The OWL reasoner could not run (for example, Java is missing)."""


class QueryRefusedError(QueryError):
    """A query that would write or reach outside the machine (an update, ``LOAD``,
    ``SERVICE``, a ``FROM`` of a remote graph): refused by parsing alone, before it runs."""


class QueryTimeoutError(QueryError):
    """A query ran past its time limit and was stopped."""
