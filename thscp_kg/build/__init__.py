"""Build stage: a ``LoadedYear`` in, the partnership-year's RDF graph (rdflib) out.

``iris`` mints every IRI and literal (below all build and materialise modules); ``graph`` builds
partners, posts, groups, boards, documents and evidence; ``documents`` adds what documents
state about themselves; ``reviews`` adds incidents, rapid reviews and practice reviews. Only
what the data file says is written: derived facts are the materialise stage's.
"""
from __future__ import annotations

from .graph import build_graph

__all__ = ["build_graph"]
