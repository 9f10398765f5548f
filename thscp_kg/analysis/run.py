"""Run the registered graph checks; their issues become ``Finding``s with the same fields as SHACL ones.

Severity, title, citations, verification and remediation come from the catalogue entry; focus,
label, location (the loader's ``file:line``) and evidence from the entity, and the edition
(the partnership-year's) and the WT2023 transition downgrade by ``validate``'s own rules;
``shape`` is the requirement id and ``constraint`` is ``graph-check``. A requirement whose
edition is WT23 (or WT18) applies only to a year governed by that edition, like the shapes'
``...UnderWT2023`` targets; ``local`` and statutory entries always apply.
"""
from __future__ import annotations

from typing import TYPE_CHECKING

from dataclasses import dataclass, field

from rdflib import Graph, URIRef

from ..errors import ConfigError
from ..findings import Finding, Severity
from ..validate.results import _edition, apply_transition, cap_power, evidence_of
from .graph import GovernanceGraph, governance_view
from .registry import DEFAULT_PARAMS, CheckContext, Issue, registered

if TYPE_CHECKING:   # types only: their modules import pydantic or the YAML reader, a run needs neither
    from ..load.loader import LoadedYear
    from ..rules.catalogue import Catalogue, Requirement

EDITION_OF = {"WT23": "WT2023", "WT18": "WT2018"}


@dataclass
class GraphCheckRun:
    graph: GovernanceGraph   # .to_networkx() for the measures and the diagram
    findings: list[Finding] = field(default_factory=list)
    targets: dict[str, tuple[str, ...]] = field(default_factory=dict)   # requirement → entities examined


def graph_requirements(catalogue: Catalogue, requirement_ids: list[str] | None = None) -> list[Requirement]:
    return [r for r in catalogue.active()
            if r.assessment == "graph" and (requirement_ids is None or r.id in requirement_ids)]


def applies(req: Requirement, g: GovernanceGraph) -> bool:
    edition = EDITION_OF.get(req.edition)
    return edition is None or g.graph.get("edition") == edition


def run_graph_checks(rdf: Graph, catalogue: Catalogue, loaded: LoadedYear | None = None,
                     requirement_ids: list[str] | None = None, params: dict | None = None,
                     graph: GovernanceGraph | None = None) -> GraphCheckRun:
    """Run the graph checks of the selected (default: all active) graph requirements."""
    g = graph if graph is not None else governance_view(rdf)
    checks = registered()
    ctx = CheckContext(g, {**DEFAULT_PARAMS, **(params or {})})
    run = GraphCheckRun(g)
    found: dict[tuple, Finding] = {}
    for req in graph_requirements(catalogue, requirement_ids):
        check = checks.get(req.id)
        if check is None:
            raise ConfigError(f"catalogue: {req.id} is assessed by 'graph' but no graph check is registered for it.",
                              fix="add @graph_check in thscp_kg/analysis/checks/ or change its assessment.")
        if not applies(req, g):
            run.targets[req.id] = ()
            continue
        result = check(ctx)
        run.targets[req.id] = result.targets
        for issue in result.issues:
            finding = to_finding(req, issue, g, rdf, loaded)
            found[finding.sort_key()] = finding
    run.findings = sorted(apply_transition(list(found.values()), rdf, catalogue), key=Finding.sort_key)
    return run


def to_finding(req: Requirement, issue: Issue, g: GovernanceGraph, rdf: Graph, loaded: LoadedYear | None) -> Finding:
    is_year = issue.focus == g.graph["year"]
    node = g.nodes[issue.focus] if issue.focus in g else {}
    label = g.graph["year_label"] if is_year else node.get("label", issue.focus)
    # The entities a graph check reads carry no edition of their own: the year's governs them.
    edition, basis = _edition(req, rdf, URIRef(g.graph["year_iri"]))
    subject = URIRef(g.graph["year_iri"] if is_year else node.get("iri", issue.focus))
    return Finding(
        requirement=req.id, title=req.title, severity=cap_power(req, Severity(req.severity)), status=issue.status,
        focus=issue.focus, focus_label=label, location=location(loaded, issue.focus, node.get("line"), is_year),
        message=issue.message, citations=req.citations(),
        verification=req.verification, edition=edition, edition_basis=basis, shape=req.id,
        constraint="graph-check", path=issue.path, value=issue.value,
        remediation=" ".join(req.remediation.split()), fails_ci=not req.unverified,
        evidence=evidence_of(rdf, subject))


def location(loaded: LoadedYear | None, focus: str, line: int | None, is_year: bool) -> str:
    """``file:line`` from the loader's locations, as ``validate`` gives it for SHACL findings."""
    if loaded is None:
        return ""
    loc = loaded.locations.get(focus)
    if loc is not None:
        return str(loc)
    if line is not None:
        return f"{loaded.file}:{line}"
    if is_year:
        return f"{loaded.file}:{loaded.document.line_of(('period',)) or 1}"
    return loaded.file
