"""Materialise stage: the built graph, a profile and an as-of date in; the same graph with derived facts out.

``facts`` adds editions in force, current partners, defined classes, content expectations and
report timing; ``deadlines`` writes ``scp:Deadline`` nodes (due, actual, day numbers) so shapes
compare integers and never do date arithmetic; ``workdays`` counts England working days;
``documents`` and ``reviews`` derive the document-consistency and review-timescale facts.
"""
from __future__ import annotations

from .facts import materialise

__all__ = ["materialise"]
