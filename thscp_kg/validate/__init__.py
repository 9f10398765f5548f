"""Validate stage: the materialised graph and the shapes in; ``Finding``s out.

``shapes`` reads the shapes graph and the nodes each shape targets; ``engines`` runs a SHACL
engine (pySHACL itself, or a faster one with identical findings) and is the only caller of
one; ``results`` turns the validation report into findings joined to the catalogue.
"""
from __future__ import annotations

from .engines import run_pyshacl
from .results import findings_from_results
from .shapes import shapes_graph

__all__ = ["findings_from_results", "run_pyshacl", "shapes_graph"]
