"""Governance and strategic-board network analysis, read from the RDF graph.

``graph`` builds the governance graph (``governance_view``, no networkx, for the checks, the measures
and the diagram; ``governance_graph``, the same as a networkx graph); ``checks`` (registered in ``registry``) find gaps as
``Finding``s via ``run``; ``measures`` gives a scrutineer's tables; ``diagram`` draws it.
"""
from __future__ import annotations

from .graph import GovernanceGraph, governance_graph, governance_view
from .registry import CHECKS, graph_check, registered
from .run import GraphCheckRun, run_graph_checks

__all__ = ["CHECKS", "GovernanceGraph", "GraphCheckRun", "governance_graph", "governance_view", "graph_check", "registered", "run_graph_checks"]
