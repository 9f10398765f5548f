"""The JSON report: the contract CI pipelines read (sorted, byte-identical for the same input)."""
from __future__ import annotations

import json

from .. import __version__
from ..findings import Assessment, Finding
from . import decision
from .links import citation_url, paragraph_verified

SCHEMA_VERSION = 1


def to_dict(a: Assessment) -> dict:
    return {
        "schema_version": SCHEMA_VERSION,
        "tool": {"name": "thscp-kg", "version": __version__},
        "partnership": a.partnership,
        "partnership_name": a.partnership_name,
        "period": a.period,
        "as_of": a.as_of,
        "data_file": a.data_file,
        "profile": a.profile,
        "summary": a.counts(),
        "waived_summary": a.waived_counts(),
        "findings": [_finding(f) for f in a.findings],
        "decision": decision.to_json(a),
        "requirements": [
            {"requirement": o.requirement, "title": o.title, "area": o.area, "modality": o.modality,
             "verification": o.verification, "assessment": o.assessment, "status": o.status.value,
             "findings": o.findings, "targets": o.targets, "waived": o.waived,
             **({"transitional": True} if o.transitional else {}),
             **({"nothing_recorded": True} if o.vacuous else {}),
             **({"met_by": [dict(m, evidence=list(m["evidence"])) for m in o.met_by]} if o.met_by else {}),
             **({"see_also": [dict(s) for s in o.see_also]} if o.see_also else {})}
            for o in a.outcomes
        ],
        "editions": a.editions,
        "look_ahead": a.look_ahead,
        "challenges": a.challenges,
        **({"combined_areas": a.combined_areas} if a.combined_areas else {}),
        "waivers": {"file": a.waivers_file, "not_applied": a.waiver_notes},
        **({"previous": a.previous} if a.previous is not None else {}),
        # The people's side (thscp_kg/report/people.py): judgements, actions, sign-offs and the content hash.
        **({"people": a.people_side} if a.people_side is not None else {}),
    }


def _finding(f: Finding) -> dict:
    """The finding, with each citation's readable link and whether its paragraph is verified: a field
    apart from the requirement's own verification status (V/S/M/C)."""
    data = f.to_json()
    data["citations"] = [{**c, "link": citation_url(c), "paragraph_verified": paragraph_verified(c)}
                         for c in data["citations"]]
    return data


def render(a: Assessment) -> str:
    return json.dumps(to_dict(a), indent=2, ensure_ascii=False) + "\n"
