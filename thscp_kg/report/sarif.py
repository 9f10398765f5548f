"""SARIF 2.1.0: the findings for code-scanning tools (GitHub ``upload-sarif``).

* ``tool.driver.rules``: one rule per requirement checked, with its title, statement, help text
  (citations and what to do), ``helpUri`` (the first citation's identifier IRI) and properties
  (modality, verification, edition, area, tags).
* ``results``: one per finding: ``ruleId``, ``level`` (violation → error, warning → warning,
  info → note), the message, the data file and line as the location, the entity as a logical
  location, ``partialFingerprints`` (requirement + entity + value + check), and for a waived
  finding a ``suppressions`` entry (kind external, status accepted, the justification).
  With a baseline (previous year or base branch) each result carries ``baselineState``.
* Waivers that did not apply (expired, unmatched) are ``toolExecutionNotifications``.

Deterministic: no timestamps, no absolute paths; sorted as the assessment is.
"""
from __future__ import annotations

import json
from urllib.parse import quote

from .. import __version__
from ..findings import Assessment, Finding
from .common import SARIF_LEVEL, VERIFICATION_TEXT, citation_link, fingerprint, late_text, split_location, unverified

SCHEMA_URI = "https://json.schemastore.org/sarif-2.1.0.json"
INFORMATION_URI = "https://w3id.org/thscp-kg"
FINGERPRINT_KEY = "thscpFinding/v1"


def _uri(path: str) -> str:
    return quote(path.replace("\\", "/"), safe="/._-~")


def _rule(o, area_names: dict) -> dict:
    citations = [f"{s['instrument']} {s['provision']} [verification {s['verification']}: "
                 f"{VERIFICATION_TEXT.get(s['verification'], s['verification'])}] <{citation_link(s) or s['iri']}>" for s in o.sources]
    help_text = (f"{o.statement}\n\nSources:\n" + "\n".join(f"- {c}" for c in citations)
                 + f"\n\nWhat to do: {o.remediation}" + (f"\n\nQuestion for the assessor: {o.question}" if o.question else ""))
    help_md = (f"{o.statement}\n\n**Sources**\n\n" + "\n".join(
        (f"- [{s['instrument']} {s['provision']}]({citation_link(s)}) (verification {s['verification']})"
         if citation_link(s) else f"- {s['instrument']} {s['provision']} (verification {s['verification']})")
        for s in o.sources)
        + f"\n\n**What to do:** {o.remediation}")
    rule = {
        "id": o.requirement,
        "name": o.slug or o.requirement,
        "shortDescription": {"text": o.title},
        "fullDescription": {"text": o.statement or o.title},
        "help": {"text": help_text, "markdown": help_md},
        "defaultConfiguration": {"level": SARIF_LEVEL.get(o.severity, "warning")},
        "properties": {
            "modality": o.modality, "verification": o.verification, "unverified": unverified(o.verification),
            "edition": o.edition, "area": o.area, "assessment": o.assessment,
            "tags": sorted({"safeguarding", o.modality, area_names.get(o.area, o.area), o.edition}
                           | ({"unverified"} if unverified(o.verification) else set())),
        },
    }
    links = [citation_link(s) for s in o.sources if citation_link(s)]
    if links:
        rule["helpUri"] = links[0]
    return rule


def _result(f: Finding, rule_index: dict, baseline: dict | None) -> dict:
    file, line = split_location(f.location)
    text = f"{f.title}: {f.focus_label}: {f.message}"
    if f.value and f.value not in f.message:
        text += f" ({f.value})"
    if f.due:
        text += f" Due {f.due}" + (f", done {f.actual}" if f.actual else "") + (
            f", {late_text(f.days_late, f.days_late_at_least)}." if f.days_late else ".")
    physical = {"artifactLocation": {"uri": _uri(file), "index": 0}}
    if line:
        physical["region"] = {"startLine": line}
    result = {
        "ruleId": f.requirement,
        "ruleIndex": rule_index[f.requirement],
        "level": SARIF_LEVEL[f.severity.value],
        "kind": "fail",
        "message": {"text": text},
        "locations": [{"physicalLocation": physical,
                       "logicalLocations": [{"name": f.focus_label, "fullyQualifiedName": f.focus,
                                             "kind": f.focus.split("/", 1)[0]}]}],
        "partialFingerprints": {FINGERPRINT_KEY: fingerprint(f)},
        "properties": {"status": f.status.value, "severity": f.severity.value, "focus": f.focus,
                       "verification": f.verification, "edition": f.edition, "failsCi": f.fails_ci,
                       "shape": f.shape, "constraint": f.constraint},
    }
    if f.value:
        result["properties"]["value"] = f.value
    for key in ("due", "actual", "days_late"):
        if getattr(f, key) is not None:
            result["properties"][key] = getattr(f, key)
    if f.waiver:
        w = f.waiver
        result["suppressions"] = [{
            "kind": "external", "status": "accepted",
            "justification": f"{w['justification']} (waiver {w['id']}, approved by {w['approver_label']} on "
                             f"{w['date']}, expires {w['expiry']})",
            "location": {"physicalLocation": _waiver_location(w["location"])},
            "properties": {"waiver": w["id"], "approver": w["approver"], "author": w["author"],
                           "date": w["date"], "expiry": w["expiry"]},
        }]
    if baseline is not None:
        result["baselineState"] = "unchanged" if f.key in baseline else "new"
    return result


def _waiver_location(location: str) -> dict:
    file, line = split_location(location)
    out = {"artifactLocation": {"uri": _uri(file)}}
    if line:
        out["region"] = {"startLine": line}
    return out


def to_dict(a: Assessment) -> dict:
    rules = [_rule(o, a.area_names) for o in a.outcomes]
    rule_index = {r["id"]: i for i, r in enumerate(rules)}
    for f in a.findings:  # a finding from a requirement not in the outcomes (never expected): add its rule
        if f.requirement not in rule_index:
            rule_index[f.requirement] = len(rules)
            rules.append({"id": f.requirement, "shortDescription": {"text": f.title}})
    baseline = None
    if a.previous is not None:
        baseline = {(r["requirement"], r["focus"], r.get("value") or "", r["shape"])
                    for kind in ("persisting", "resolved") for r in a.previous["findings"][kind]}
    notifications = [{
        "level": "warning" if n["kind"] == "expired" else "note",
        "message": {"text": f"Waiver {n['id']} ({n['requirement']} on {n['focus']}) did not apply: {n['message']}"},
        "locations": [{"physicalLocation": _waiver_location(n["location"])}],
        "descriptor": {"id": f"waiver-{n['kind']}"},
    } for n in a.waiver_notes]
    invocation = {"executionSuccessful": True}
    if notifications:
        invocation["toolExecutionNotifications"] = notifications
    run = {
        "tool": {"driver": {"name": "thscp-kg", "version": __version__, "semanticVersion": __version__,
                            "informationUri": INFORMATION_URI, "rules": rules}},
        "automationDetails": {"id": f"thscp-kg/{a.partnership}/{a.period}/"},
        "artifacts": [{"location": {"uri": _uri(a.data_file)}, "roles": ["analysisTarget"],
                       "mimeType": "application/yaml"}],
        "invocations": [invocation],
        "results": [_result(f, rule_index, baseline) for f in a.findings],
        "columnKind": "unicodeCodePoints",
        "properties": {"partnership": a.partnership, "period": a.period, "asOf": a.as_of, "profile": a.profile,
                       "editions": [e["id"] for e in a.editions], "waivers": a.waivers_file},
    }
    if a.waivers_file is None:
        del run["properties"]["waivers"]
    return {"$schema": SCHEMA_URI, "version": "2.1.0", "runs": [run]}


def render(a: Assessment) -> str:
    return json.dumps(to_dict(a), indent=2, ensure_ascii=False) + "\n"
