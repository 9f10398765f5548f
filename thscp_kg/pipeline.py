"""The flow, end to end: load → build → materialise → validate → assess."""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

from rdflib import Graph, URIRef

from .build import build_graph
from .catalogue import Catalogue, load_catalogue
from .findings import Assessment, RequirementOutcome, Status
from .loader import LoadedYear, load_partnership_year
from .materialise import materialise
from .namespaces import SCP_SH
from .profile import LoadedProfile, load_profile
from .validate import count_targets, findings_from_results, run_pyshacl, shapes_graph


@dataclass
class CheckRun:
    loaded: LoadedYear
    graph: Graph
    results: Graph
    assessment: Assessment


def as_of_for(loaded: LoadedYear, override: dt.date | None) -> dt.date:
    """The evaluation date: --as-of, else the file's as_of, else the period end. Never the wall clock."""
    return override or loaded.year.as_of or loaded.year.period.end


def build_materialised(loaded: LoadedYear, profile: LoadedProfile, as_of: dt.date) -> Graph:
    return materialise(build_graph(loaded), profile.profile, as_of)


def check_file(path: Path | str, *, as_of: dt.date | None = None, profile_path: Path | None = None,
               requirement_ids: list[str] | None = None, catalogue: Catalogue | None = None,
               display: str | None = None) -> CheckRun:
    loaded = load_partnership_year(path, display)
    profile = load_profile(profile_path)
    catalogue = catalogue or load_catalogue()
    when = as_of_for(loaded, as_of)
    graph = build_materialised(loaded, profile, when)
    shapes = shapes_graph()
    selected = [r for r in catalogue.active() if not requirement_ids or r.id in requirement_ids]
    shape_iris = [SCP_SH[s] for r in selected if r.assessment == "shacl" for s in r.shapes]
    results = run_pyshacl(graph, shapes, shape_iris)
    findings = findings_from_results(results, graph, shapes, catalogue, loaded)
    year = loaded.year
    assessment = Assessment(
        partnership=year.partnership.id, partnership_name=year.partnership.name, period=year.period.id,
        as_of=when.isoformat(), data_file=loaded.file, profile=profile.profile.id, findings=findings,
        outcomes=outcomes(selected, findings, shapes, graph))
    return CheckRun(loaded, graph, results, assessment)


def outcomes(requirements, findings, shapes: Graph, graph: Graph) -> list[RequirementOutcome]:
    out = []
    for req in requirements:
        mine = [f for f in findings if f.requirement == req.id]
        targets = sum(count_targets(URIRef(SCP_SH[s]), shapes, graph) for s in req.shapes)
        if req.assessment == "manual":
            status = Status.to_be_assessed
        elif any(f.status is Status.not_met for f in mine):
            status = Status.not_met
        elif mine:
            status = Status.not_evidenced
        elif targets == 0:
            status = Status.not_applicable
        else:
            status = Status.met
        out.append(RequirementOutcome(
            requirement=req.id, title=req.title, area=req.area, modality=req.modality,
            verification=req.verification, assessment=req.assessment, status=status,
            findings=len(mine), targets=targets, question=req.question))
    return out
