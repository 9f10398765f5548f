"""Governance and strategic-board network analysis (networkx), read from the RDF graph.

``graph`` builds the governance graph; ``checks`` (registered in ``registry``) find gaps as
``Finding``s via ``run``; ``measures`` gives a scrutineer's tables; ``diagram`` draws it.
"""
from __future__ import annotations

from .graph import governance_graph
from .registry import CHECKS, graph_check, registered
from .run import GraphCheckRun, run_graph_checks

__all__ = ["CHECKS", "GraphCheckRun", "governance_graph", "graph_check", "registered", "run_graph_checks"]
