"""The JSON report: the contract CI pipelines read (sorted, byte-identical for the same input)."""
from __future__ import annotations

import json

from .. import __version__
from ..findings import Assessment

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
        "findings": [f.to_json() for f in a.findings],
        "requirements": [
            {"requirement": o.requirement, "title": o.title, "area": o.area, "modality": o.modality,
             "verification": o.verification, "assessment": o.assessment, "status": o.status.value,
             "findings": o.findings, "targets": o.targets, "waived": o.waived}
            for o in a.outcomes
        ],
        "editions": a.editions,
        "look_ahead": a.look_ahead,
        "waivers": {"file": a.waivers_file, "not_applied": a.waiver_notes},
        **({"previous": a.previous} if a.previous is not None else {}),
    }


def render(a: Assessment) -> str:
    return json.dumps(to_dict(a), indent=2, ensure_ascii=False) + "\n"
