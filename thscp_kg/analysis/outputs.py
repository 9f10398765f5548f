"""The three files ``thscp-kg graph`` writes, rendered together (nothing is written here)."""
from __future__ import annotations

from typing import TYPE_CHECKING

from dataclasses import dataclass

from rdflib import Graph

from ..load.loader import LoadedYear
from .diagram import render_svg
from .measures import GovernanceMeasures, compute_measures
from .measures_report import render_json, render_markdown
from .run import GraphCheckRun, run_graph_checks

if TYPE_CHECKING:   # types only: their modules import pydantic, a run reads plain copies
    from ..rules.catalogue import Catalogue

FILE_NAMES = ("governance.svg", "governance-measures.md", "governance-measures.json")


@dataclass
class GovernanceOutputs:
    files: dict[str, str]          # file name → text
    layout: str                    # "dot" or "builtin"
    run: GraphCheckRun
    measures: GovernanceMeasures


def governance_outputs(loaded: LoadedYear, rdf: Graph, catalogue: Catalogue, params: dict | None = None,
                       layout: str = "auto") -> GovernanceOutputs:
    run = run_graph_checks(rdf, catalogue, loaded, params=params)
    graph = run.graph.to_networkx()   # once, for the measures and the diagram
    measures = compute_measures(graph)
    name = loaded.year.partnership.name
    svg, used = render_svg(graph, run.findings, layout)
    files = dict(zip(FILE_NAMES, (svg, render_markdown(measures, run.findings, name, loaded.file, used),
                                  render_json(measures, run.findings, name, loaded.file))))
    return GovernanceOutputs(files, used, run, measures)
