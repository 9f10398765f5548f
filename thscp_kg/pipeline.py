"""The flow, end to end: load → build → materialise → validate → assess."""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

from rdflib import Graph, URIRef
from rdflib.namespace import RDF, SH

from .build import build_graph
from .catalogue import Catalogue, load_catalogue
from .findings import Assessment, Finding, RequirementOutcome, Status
from .loader import LoadedYear, load_partnership_year, national_bodies
from .materialise import materialise
from .model import Role
from .namespaces import SCP, SCP_SH
from .profile import LoadedProfile, load_profile
from .validate import count_targets, findings_from_results, run_pyshacl, shapes_graph, target_nodes


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
               display: str | None = None, waivers: Path | str | None = None,
               use_waivers: bool = True, graph_params: dict | None = None,
               engine: str | None = None) -> CheckRun:
    """Check one partnership-year file.

    Waivers: ``waivers`` names a waiver file (it must exist); by default ``waivers.yaml`` next
    to the data file is used when it exists; ``use_waivers=False`` applies none. The waiver
    file is checked before validation runs, so a bad waiver fails fast (exit 2).
    ``engine``: the SHACL engine (thscp_kg/engine.py; None: $THSCP_KG_ENGINE, else "fast").
    """
    from .waivers import apply_waivers, default_path, labels_for, load_waivers

    loaded = load_partnership_year(path, display)
    profile = load_profile(profile_path)
    catalogue = catalogue or load_catalogue()
    when = as_of_for(loaded, as_of)
    waiver_set = None
    if use_waivers:
        waiver_path = Path(waivers) if waivers is not None else default_path(path)
        if waivers is not None or waiver_path.is_file():
            waiver_set = load_waivers(waiver_path, loaded, catalogue)
    graph = build_materialised(loaded, profile, when)
    shapes = shapes_graph()
    selected = [r for r in catalogue.active() if not requirement_ids or r.id in requirement_ids]
    shape_iris = [SCP_SH[s] for r in selected if r.assessment == "shacl" for s in r.shapes]
    # pySHACL runs every shape when given none, so skip it when no SHACL requirement is selected.
    results = run_pyshacl(graph, shapes, shape_iris, engine=engine) if shape_iris else empty_results()
    findings = findings_from_results(results, graph, shapes, catalogue, loaded)
    graph_targets: dict[str, tuple[str, ...]] = {}
    graph_ids = [r.id for r in selected if r.assessment == "graph"]
    if graph_ids:  # after SHACL: the governance graph checks (thscp_kg/analysis), merged as findings
        from .analysis import run_graph_checks
        graph_run = run_graph_checks(graph, catalogue, loaded, graph_ids, params=graph_params)
        findings = sorted(findings + graph_run.findings, key=Finding.sort_key)
        graph_targets = graph_run.targets
    year = loaded.year
    notes: list[dict] = []
    if waiver_set is not None:
        findings, notes = apply_waivers(findings, waiver_set, when, labels_for(year),
                                        {r.id for r in selected})
    waiting = not_yet_in_force(selected, profile, loaded, when)
    assessment = Assessment(
        partnership=year.partnership.id, partnership_name=year.partnership.name, period=year.period.id,
        as_of=when.isoformat(), data_file=loaded.file, profile=profile.profile.id, findings=findings,
        outcomes=outcomes(selected, findings, shapes, graph, graph_targets, set(waiting)),
        look_ahead=look_ahead(waiting, profile),
        area_names=dict(catalogue.areas), editions=editions_in_period(profile, loaded),
        signatories=signatories(loaded, when), owners=owners(loaded),
        waivers_file=waiver_set.file if waiver_set is not None else None, waiver_notes=notes)
    return CheckRun(loaded, graph, results, assessment)


def empty_results() -> Graph:
    """The validation report pySHACL gives when nothing fails: conforms, no results."""
    from rdflib import BNode, Literal

    report, node = Graph(), BNode()
    report.add((node, RDF.type, SH.ValidationReport))
    report.add((node, SH.conforms, Literal(True)))
    return report


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


def look_ahead(waiting: dict, profile: LoadedProfile) -> list[dict]:
    """What changes when each provision commences: the provision and the requirements it brings."""
    from .catalogue import load_catalogue

    catalogue = load_catalogue()
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
             waiting: set[str] | None = None) -> list[RequirementOutcome]:
    graph_targets = graph_targets or {}
    waiting = waiting or set()
    out = []
    for req in requirements:
        mine = [f for f in findings if f.requirement == req.id]
        open_ = [f for f in mine if not f.waived]
        targets = sum(count_targets(URIRef(SCP_SH[s]), shapes, graph) for s in req.shapes)
        targets += len(graph_targets.get(req.id, ()))
        if req.id in waiting:
            status = Status.not_yet_in_force
        elif req.assessment == "manual":
            status = Status.to_be_assessed
        elif any(f.status is Status.not_met for f in open_):
            status = Status.not_met
        elif open_:
            status = Status.not_evidenced
        elif mine:
            status = Status.waived
        elif targets == 0:
            status = Status.not_applicable
        else:
            status = Status.met
        entities = sorted({e for s in req.shapes for e in target_entities(URIRef(SCP_SH[s]), shapes, graph)}
                          | {f.focus for f in mine} | set(graph_targets.get(req.id, ())))
        out.append(RequirementOutcome(
            requirement=req.id, title=req.title, area=req.area, modality=req.modality,
            verification=req.verification, assessment=req.assessment, status=status,
            findings=len(mine), targets=targets, question=req.question,
            slug=req.slug, statement=" ".join(req.statement.split()), severity=req.severity,
            edition=req.edition, sources=req.citations(),
            remediation=" ".join(req.remediation.split()), entities=tuple(entities),
            waived=len(mine) - len(open_)))
    return out


def target_entities(shape: URIRef, shapes: Graph, data: Graph) -> set[str]:
    """The data-file entities ("kind/id") a shape's targets select (a deadline counts as its document)."""
    out = set()
    for node in target_nodes(shape, shapes, data):
        subject = data.value(node, SCP.deadlineFor) or node
        local = data.value(subject, SCP.localId)
        out.add(str(local) if local is not None else str(subject).rsplit("/", 1)[-1])
    return out


# -- context for the human reports --------------------------------------------------------------
def editions_in_period(profile: LoadedProfile, loaded: LoadedYear) -> list[dict]:
    """The guidance editions in force at any time in the reporting period, oldest first."""
    period = loaded.year.period
    ordered = sorted(profile.profile.editions, key=lambda e: e.in_force_from)
    out = []
    for i, edition in enumerate(ordered):
        until = ordered[i + 1].in_force_from if i + 1 < len(ordered) else None
        if edition.in_force_from <= period.end and (until is None or until > period.start):
            last = min(period.end, until - dt.timedelta(days=1)) if until else period.end
            revisions = [{"date": r.date.isoformat(), "note": r.note, "verification": r.verification,
                          "source": r.source} for r in sorted(edition.revisions, key=lambda r: r.date)
                         if r.date <= last]
            out.append({"id": edition.id, "title": edition.title,
                        "in_force_from": edition.in_force_from.isoformat(),
                        "in_force_until": (until - dt.timedelta(days=1)).isoformat() if until else None,
                        "verification": edition.verification, "publication": edition.publication,
                        "revisions": revisions})
    return out


def _in_force(item, day: dt.date) -> bool:
    return (item.from_ is None or item.from_ <= day) and (item.until is None or day <= item.until)


def signatories(loaded: LoadedYear, as_of: dt.date) -> list[dict]:
    """Sign-off rows: each safeguarding partner's lead (with the holder on the as-of date), then the scrutineer."""
    year = loaded.year
    org_names = {o.id: o.name for o in year.organisations} | {b["id"]: b["name"] for b in national_bodies()}
    people = {p.id: p.name for p in year.people}

    def holders(post) -> list[dict]:
        return [{"person": t.person, "name": people.get(t.person, t.person), "interim": t.interim}
                for t in post.holders if _in_force(t, as_of)]

    rows: list[dict] = []
    leads = [p for p in year.posts if p.role is Role.lead_safeguarding_partner]
    used: set[str] = set()
    for sp in year.safeguarding_partners:
        if not _in_force(sp, as_of):
            continue
        mine = [p for p in leads if (p.for_partner or p.organisation) == sp.organisation]
        if not mine:
            rows.append({"capacity": "Lead safeguarding partner", "organisation": org_names.get(sp.organisation,
                         sp.organisation), "post": None, "post_id": None, "holders": [],
                         "note": "No lead safeguarding partner post is recorded for this partner in the data."})
        for post in mine:
            used.add(post.id)
            rows.append(_post_row("Lead safeguarding partner", post, org_names, holders(post), as_of))
    for post in leads:
        if post.id not in used:
            rows.append(_post_row("Lead safeguarding partner", post, org_names, holders(post), as_of))
    for post in year.posts:
        if post.role is Role.independent_scrutineer:
            rows.append(_post_row("Independent scrutineer", post, org_names, holders(post), as_of))
    return rows


def _post_row(capacity: str, post, org_names: dict, holders: list[dict], as_of: dt.date) -> dict:
    org = post.for_partner or post.organisation
    return {"capacity": capacity, "organisation": org_names.get(org, org) if org else None, "post": post.title,
            "post_id": post.id, "holders": holders,
            "note": None if holders else f"No holder of this post is recorded on {as_of.isoformat()}."}


def owners(loaded: LoadedYear) -> dict[str, str]:
    """Each entity's organisation or board, for grouping findings ("kind/id" -> label)."""
    year = loaded.year
    whole = f"{year.partnership.short_name or year.partnership.name}: the partnership as a whole"
    org_names = {o.id: o.name for o in year.organisations} | {b["id"]: b["name"] for b in national_bodies()}
    out: dict[str, str] = {f"year/{year.period.id}": whole, f"partnership/{year.partnership.id}": whole}
    for key in loaded.locations:
        kind, local = key.split("/", 1)
        out[key] = whole
        if kind == "organisation":
            out[key] = org_names.get(local, local)
    for post in year.posts:
        org = post.organisation or post.for_partner
        out[f"post/{post.id}"] = org_names.get(org, org) if org else whole
    for group in year.groups:
        out[f"group/{group.id}"] = group.name
    for board in year.linked_boards:
        out[f"board/{board.id}"] = board.name
    for prio in year.priorities:
        if prio.lead_organisation:
            out[f"priority/{prio.id}"] = org_names.get(prio.lead_organisation, prio.lead_organisation)
    for body in national_bodies():
        out.setdefault(f"organisation/{body['id']}", body["name"])
    return out
