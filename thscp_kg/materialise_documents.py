"""Materialise step for document-consistency checks (see materialise.py)."""
from __future__ import annotations

import datetime as dt

from rdflib import Graph

from .profile import Profile


def materialise_documents(graph: Graph, year, profile: Profile, as_of: dt.date) -> None:
    """Derived facts for document-consistency checks: none yet."""
