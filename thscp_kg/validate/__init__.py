"""Validate stage: the materialised graph and the shapes in; ``Finding``s out.

``shapes`` reads the shapes graph and the nodes each shape targets; ``engines`` runs a SHACL
engine (pySHACL itself, or a faster one with identical findings) and is the only caller of
one; ``results`` turns the validation report into findings joined to the catalogue.

The three names below are imported when first asked for, not with the package: importing
``validate.engines`` for its engine names (``check --store`` does, before it forks its workers)
then does not import ``results`` and, through it, the loader and the data model (docs/decisions/0029).
"""
from __future__ import annotations

__all__ = ["findings_from_results", "run_pyshacl", "shapes_graph"]
_FROM = {"findings_from_results": ".results", "run_pyshacl": ".engines", "shapes_graph": ".shapes"}


def __getattr__(name: str):
    if name in _FROM:
        import importlib

        return getattr(importlib.import_module(_FROM[name], __name__), name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
