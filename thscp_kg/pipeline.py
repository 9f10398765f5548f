"""The flow, end to end: load → build → materialise → validate → assess."""
from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from rdflib import Graph, URIRef
from rdflib.namespace import RDF, SH

from .build.graph import build_graph
from .findings import Assessment, Finding, RequirementOutcome, Status
from .load.loader import LoadedYear, load_partnership_year
from .materialise.facts import materialise
from .namespaces import SCP, SCP_SH
from .report.challenges import challenge_rows, combined_areas
from .report.context import editions_in_period, owners, responsible, signatories, source_index
from .rules.plain import plain_catalogue
from .rules.profile import LoadedProfile, load_profile
from .validate.engines import run_pyshacl
from .validate.results import empty_results, findings_from_results
from .validate.shapes import shapes_graph, target_nodes

if TYPE_CHECKING:   # the run reads the catalogue's plain copy (rules/plain.py): no pydantic
    from .rules.catalogue import Catalogue


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


def prepare(engines: set[str | None]) -> None:
    """Import and build once what every ``check_file`` call reads (the modules it imports on first use,
    the catalogue, the shapes, and their compiled form when every call uses the one engine ``engines``
    names), so that a child process forked afterwards (commands/forked.py) shares them, not redoes them."""
    from . import analysis  # noqa: F401
    from .load import people, waivers  # noqa: F401
    from .report import people as people_side, stage  # noqa: F401
    from .validate.engines import compile_for, resolve

    plain_catalogue()
    names = {resolve(e) for e in engines}
    if len(names) == 1:
        compile_for(names.pop(), shapes_graph())


def check_file(path: Path | str, *, as_of: dt.date | None = None, profile_path: Path | None = None,
               requirement_ids: list[str] | None = None, catalogue: Catalogue | None = None,
               display: str | None = None, waivers: Path | str | None = None,
               use_waivers: bool = True, graph_params: dict | None = None,
               engine: str | None = None, stage: str | None = None,
               loaded: LoadedYear | None = None, people_dir: Path | str | None = None,
               use_people: bool = True, require_evidence: bool = False, on_graph=None) -> CheckRun:
    """Check one partnership-year file.

    Waivers: ``waivers`` names a waiver file (it must exist); by default ``waivers.yaml`` next
    to the data file is used when it exists; ``use_waivers=False`` applies none. The waiver
    file is checked before validation runs, so a bad waiver fails fast (exit 2).
    ``engine``: the SHACL engine (thscp_kg/validate/engines.py; None: $THSCP_KG_ENGINE, else "fast").
    ``stage``: "sign-off" or "published" to force the stage of the year (default: from the data;
    thscp_kg/report/stage.py): at sign-off, publication duties are not yet due.
    ``loaded``: the file already loaded from ``path`` (the CLI loads it before importing this module).
    ``people_dir``: the folder with assessments.yaml, signoffs.yaml and actions.yaml (default: the data
    file's folder; thscp_kg/load/people.py); ``use_people=False`` reads none.
    ``require_evidence``: a fact without evidence is a finding (EVID-02); also ``require_evidence:
    true`` in the profile.
    ``on_graph``: called as ``on_graph(graph, validate)`` once the data graph is complete, before it is
    validated; ``validate(engine)`` gives its report graph from that engine (commands/check.py starts
    child processes there for what needs only the graph).
    """
    from .report.stage import defer_publication_checks, year_stage
    from .load.waivers import apply_waivers, default_path, labels_for, load_waivers

    loaded = loaded or load_partnership_year(path, display)
    profile = load_profile(profile_path)
    catalogue = catalogue or plain_catalogue()
    when = as_of_for(loaded, as_of)
    waiver_set = None
    if use_waivers:
        waiver_path = Path(waivers) if waivers is not None else default_path(path)
        if waivers is not None or waiver_path.is_file():
            waiver_set = load_waivers(waiver_path, loaded, catalogue)
    people_files = None
    if use_people:  # read before validation, so a bad file fails fast (exit 2)
        from .load.people import load_people
        people_files = load_people(Path(people_dir) if people_dir is not None else Path(path).parent,
                                   loaded, catalogue)
    graph = build_materialised(loaded, profile, when)
    if require_evidence or profile.profile.require_evidence:
        from .materialise.evidence import require_evidence as mark_facts
        mark_facts(graph)
    shapes = shapes_graph()
    selected = [r for r in catalogue.active() if not requirement_ids or r.id in requirement_ids]
    shape_iris = [SCP_SH[s] for r in selected if r.assessment == "shacl" for s in r.shapes]

    def validate(engine_name: str | None) -> Graph:
        # pySHACL runs every shape when given none, so skip it when no SHACL requirement is selected.
        return run_pyshacl(graph, shapes, shape_iris, engine=engine_name) if shape_iris else empty_results()

    if on_graph is not None:
        on_graph(graph, validate)
    results = validate(engine)
    findings = findings_from_results(results, graph, shapes, catalogue, loaded)
    graph_targets: dict[str, tuple[str, ...]] = {}
    graph_ids = [r.id for r in selected if r.assessment == "graph"]
    if graph_ids:  # after SHACL: the governance graph checks (thscp_kg/analysis), merged as findings
        from .analysis import run_graph_checks
        graph_run = run_graph_checks(graph, catalogue, loaded, graph_ids, params=graph_params)
        findings = sorted(findings + graph_run.findings, key=Finding.sort_key)
        graph_targets = graph_run.targets
    year = loaded.year
    stage_info = year_stage(loaded, profile, when, stage)
    findings = defer_publication_checks(findings, stage_info)
    notes: list[dict] = []
    if waiver_set is not None:
        findings, notes = apply_waivers(findings, waiver_set, when, labels_for(year),
                                        {r.id for r in selected})
    waiting = not_yet_in_force(selected, profile, loaded, when)
    assessment = Assessment(
        partnership=year.partnership.id, partnership_name=year.partnership.name, period=year.period.id,
        as_of=when.isoformat(), data_file=loaded.file, profile=profile.profile.id, findings=findings,
        outcomes=outcomes(selected, findings, shapes, graph, graph_targets,
                          in_force={e["id"] for e in editions_in_period(profile, loaded)}, waiting=set(waiting)),
        look_ahead=look_ahead(waiting, profile, catalogue),
        area_names=dict(catalogue.areas), editions=editions_in_period(profile, loaded),
        signatories=signatories(loaded, when), owners=owners(loaded),
        waivers_file=waiver_set.file if waiver_set is not None else None, waiver_notes=notes,
        stage=stage_info, sources=source_index(loaded), responsible=responsible(loaded, when),
        challenges=challenge_rows(loaded, findings), combined_areas=combined_areas(loaded))
    if people_files is not None:
        from .report.people import content_hash, match_signoffs, people_side
        assessment.people_side = people_side(people_files, loaded, assessment)
        current = content_hash(assessment)
        assessment.people_side["content_hash"] = current
        assessment.people_side["signoffs"] = match_signoffs(people_files, loaded, assessment, current)
    return CheckRun(loaded, graph, results, assessment)


def judged_day(loaded: LoadedYear, as_of: dt.date) -> dt.date:
    """The last day a year is judged on: its period end, or the as-of date if earlier."""
    return min(loaded.year.period.end, as_of)


def not_yet_in_force(requirements, profile: LoadedProfile, loaded: LoadedYear, as_of: dt.date) -> dict:
    """Requirements waiting for a provision the profile says is not in force for the year: id -> key.
    The materialise step leaves their target classes out, so their shapes find nothing; this is
    what the reports call "not yet in force" and list in the look-ahead."""
    from .errors import ConfigError

    day = judged_day(loaded, as_of)
    out = {}
    for req in requirements:
        if not req.commences:
            continue
        if req.commences not in profile.profile.commencement:
            raise ConfigError(f"profile: no commencement entry '{req.commences}' (needed by {req.id}).",
                              file=profile.file, fix="add it under commencement:, with in_force_from: null "
                              "if the provision has not commenced.")
        if not profile.profile.commenced(req.commences, day):
            out[req.id] = req.commences
    return out


def look_ahead(waiting: dict, profile: LoadedProfile, catalogue: Catalogue) -> list[dict]:
    """What changes when each provision commences: the provision and the requirements it brings."""
    out = []
    for key in sorted(set(waiting.values())):
        entry = profile.profile.commencement[key]
        reqs = [catalogue.get(r) for r in sorted(waiting) if waiting[r] == key]
        out.append({"key": key, "title": entry.title, "short": entry.short,
                    "in_force_from": entry.in_force_from.isoformat() if entry.in_force_from else None,
                    "note": entry.note, "source": entry.source,
                    "requirements": [{"requirement": r.id, "title": r.title, "modality": r.modality,
                                      "severity": r.severity, "verification": r.verification,
                                      "statement": " ".join(r.statement.split()),
                                      "remediation": " ".join(r.remediation.split()),
                                      "citations": list(r.citations())} for r in reqs]})
    return out


def outcomes(requirements, findings, shapes: Graph, graph: Graph,
             graph_targets: dict[str, tuple[str, ...]] | None = None,
             in_force: set[str] | None = None, waiting: set[str] | None = None) -> list[RequirementOutcome]:
    """``in_force``: the guidance editions in force in the period (WT2018, WT2023); with it, a requirement
    of an edition in force in a partnership year (not an LSCB year) whose checks find nothing recorded
    is *not evidenced*, not *not applicable* (see ``nothing_recorded``). ``waiting``: requirements of a
    provision not yet commenced (``not_yet_in_force``): *not yet in force*, whatever the data."""
    graph_targets = graph_targets or {}
    waiting = waiting or set()
    recorded = recorded_classes(graph) if in_force is not None and "PartnershipYearUnderArrangements" in \
        recorded_classes(graph) else None
    out = []
    memo: dict = {}   # shape → its target nodes: four questions below read each shape's targets
    for req in requirements:
        vacuous = False
        mine = [f for f in findings if f.requirement == req.id]
        open_ = [f for f in mine if not f.waived]
        targets = sum(len(_targets(URIRef(SCP_SH[s]), shapes, graph, memo)) for s in req.shapes)
        targets += len(graph_targets.get(req.id, ()))
        if req.id in waiting:
            status = Status.not_yet_in_force
        elif req.assessment == "manual":
            status = Status.to_be_assessed
        elif any(f.status is Status.not_met for f in open_):
            status = Status.not_met
        elif any(f.status is Status.not_evidenced for f in open_):
            status = Status.not_evidenced
        elif open_:  # every open finding is a duty not due yet on the as-of date
            status = Status.not_yet_due
        elif mine:
            status = Status.waived
        elif targets == 0 and recorded is not None and req.assessment == "shacl" \
                and (req.edition not in EDITIONS or EDITIONS[req.edition] in in_force) \
                and nothing_recorded(req, shapes, graph, recorded):
            status, vacuous = Status.not_evidenced, True   # nothing to look at is not "met", nor "not applicable"
        elif targets == 0:
            status = Status.not_applicable
        else:
            status = Status.met
        due = pending_due(req, shapes, graph, memo) if status is Status.met else None
        if due is not None:  # nothing breaks it yet, but its deadline is still ahead: not "met"
            status = Status.not_yet_due
        entities = sorted({e for s in req.shapes for e in target_entities(URIRef(SCP_SH[s]), shapes, graph, memo)}
                          | {f.focus for f in mine} | set(graph_targets.get(req.id, ())))
        out.append(RequirementOutcome(
            requirement=req.id, title=req.title, area=req.area, modality=req.modality,
            verification=req.verification, assessment=req.assessment, status=status,
            findings=len(mine), targets=targets, question=req.question,
            slug=req.slug, statement=" ".join(req.statement.split()), severity=req.severity,
            edition=req.edition, sources=req.citations(),
            remediation=" ".join(req.remediation.split()), entities=tuple(entities),
            waived=len(mine) - len(open_), transitional=bool(getattr(req, "transitional", False)), vacuous=vacuous,
            met_by=met_evidence(req, shapes, graph, memo) if status is Status.met else (), due=due,
            see_also=see_also(req, findings, requirements) if status is Status.met else ()))
    return out


def see_also(req, findings, requirements) -> tuple[dict, ...]:
    """The catalogue's see_also entries that have open findings, for a met outcome (e.g. CA04-16G-01
    met while GOV-07 warns that the scrutineer chairs what they scrutinise)."""
    if req.see_also is None:
        return ()
    titles = {r.id: r.title for r in requirements}
    out = []
    for rid in req.see_also.requirements:
        open_ = [f for f in findings if f.requirement == rid and not f.waived]
        if open_:
            worst = min((f.severity for f in open_), key=lambda s: s.rank)
            out.append({"requirement": rid, "title": titles.get(rid, rid), "findings": len(open_),
                        "severity": worst.value, "why": req.see_also.why})
    return tuple(out)


EDITIONS = {"WT18": "WT2018", "WT23": "WT2023"}   # catalogue edition codes -> profile edition ids
_EDITION_SUFFIX = re.compile(r"Under[A-Z][A-Za-z0-9]*$")


def recorded_classes(data: Graph) -> set[str]:
    """The local names of the ontology classes that have an instance in the data graph."""
    return {str(c)[len(str(SCP)):] for c in set(data.objects(None, RDF.type)) if str(c).startswith(str(SCP))}


def nothing_recorded(req, shapes: Graph, data: Graph, recorded: set[str]) -> bool:
    """True when a requirement's checks select nothing because the data records nothing of that kind
    (no rapid review, no incident at all), as opposed to records that another edition or period governs
    (a yearly report under WT2018 in a WT2023 year): the first is not evidenced, the second not applicable.
    A shape's target class ``XUnderWT2023`` counts as recorded when any ``X`` or ``XUnder...`` is."""
    classes = [str(c) for s in req.shapes for c in shapes.objects(URIRef(SCP_SH[s]), SH.targetClass)]
    if not classes or len(classes) != len(req.shapes):
        return False  # targeted another way (nodes, subjects of a property): leave as not applicable
    for iri in classes:
        if not iri.startswith(str(SCP)):
            return False
        base = _EDITION_SUFFIX.sub("", iri[len(str(SCP)):])
        if any(name == base or name.startswith(base + "Under") for name in recorded):
            return False
    return True


def _targets(shape: URIRef, shapes: Graph, data: Graph, memo: dict | None) -> set:
    """``target_nodes``, remembered in ``memo`` (one call of ``outcomes``: the graphs do not change)."""
    if memo is None:
        return target_nodes(shape, shapes, data)
    found = memo.get(shape)
    if found is None:
        found = memo[shape] = target_nodes(shape, shapes, data)
    return found


def met_evidence(req, shapes: Graph, data: Graph, memo: dict | None = None) -> tuple[dict, ...]:
    """For a met requirement: each entity its shapes looked at, with the evidence recorded for it."""
    from rdflib.namespace import RDFS

    from .validate.results import evidence_of

    out = {}
    for s in req.shapes:
        for node in _targets(URIRef(SCP_SH[s]), shapes, data, memo):
            subject = data.value(node, SCP.deadlineFor) or node
            local = data.value(subject, SCP.localId)
            key = str(local) if local is not None else str(subject).rsplit("/", 1)[-1]
            if key not in out:
                label = data.value(subject, RDFS.label)
                out[key] = {"entity": key, "label": str(label) if label is not None else key,
                            "evidence": evidence_of(data, subject)}
    return tuple(out[k] for k in sorted(out))


def pending_due(req, shapes: Graph, graph: Graph, memo: dict | None = None) -> str | None:
    """The earliest due date after the as-of date among the requirement's deadline targets that
    have no actual date yet (ISO), or None when none is pending."""
    pending = []
    for s in req.shapes:
        for node in _targets(URIRef(SCP_SH[s]), shapes, graph, memo):
            due, as_of = graph.value(node, SCP.dueBy), graph.value(node, SCP.asOfDate)
            if due is None or as_of is None or graph.value(node, SCP.actualDate) is not None:
                continue
            due_day, as_of_day = due.toPython(), as_of.toPython()
            if isinstance(due_day, dt.date) and isinstance(as_of_day, dt.date) and due_day > as_of_day:
                pending.append(due_day)
    return min(pending).isoformat() if pending else None


def target_entities(shape: URIRef, shapes: Graph, data: Graph, memo: dict | None = None) -> set[str]:
    """The data-file entities ("kind/id") a shape's targets select (a deadline counts as its document)."""
    out = set()
    for node in _targets(shape, shapes, data, memo):
        subject = data.value(node, SCP.deadlineFor) or node
        local = data.value(subject, SCP.localId)
        out.add(str(local) if local is not None else str(subject).rsplit("/", 1)[-1])
    return out
