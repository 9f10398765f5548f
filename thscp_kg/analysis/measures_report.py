"""governance-measures.md and .json: the measures as tables, with the graph findings beside them.

Both are pure functions of their inputs (sorted, no clock, no machine detail), so the same data
gives the same bytes.
"""
from __future__ import annotations

import json
from typing import Iterable

from .. import __version__
from ..findings import Finding
from ..safe_text import md_text
from .measures import GovernanceMeasures

SCHEMA_VERSION = 1


def _cell(text) -> str:
    return md_text(text)


def _list(items: Iterable[str]) -> str:
    items = list(items)
    return _cell("; ".join(items)) if items else "—"


def render_json(m: GovernanceMeasures, findings: list[Finding], partnership_name: str, data_file: str) -> str:
    data = {"schema_version": SCHEMA_VERSION, "tool": {"name": "thscp-kg", "version": __version__},
            "partnership_name": partnership_name, "data_file": data_file, **m.to_dict(),
            "findings": [f.to_json() for f in findings]}
    return json.dumps(data, indent=2, ensure_ascii=False) + "\n"


LAYOUT_TEXT = {"dot": "laid out by Graphviz dot", "builtin": "laid out by the built-in layout"}


def render_markdown(m: GovernanceMeasures, findings: list[Finding], partnership_name: str, data_file: str,
                    layout: str | None = None) -> str:
    out = [f"# Governance measures: {_cell(partnership_name)}, {m.period}", "",
           f"- **As of:** {m.as_of} (who holds a post is read on this date)",
           f"- **Data file:** `{data_file}`",
           f"- **Diagram:** `governance.svg`{', ' + LAYOUT_TEXT[layout] if layout in LAYOUT_TEXT else ''} "
           "(red outline: a warning concerns the box; orange: good practice only)",
           "", "Measures describe what the data records; a gap in the data shows as an empty cell, "
           "not as evidence that a group has no members.", "",
           f"## Graph findings ({len(findings)})", ""]
    if findings:
        out += ["| Severity | ID | Entity | Finding | Status | Verified |", "|---|---|---|---|---|---|"]
        out += [f"| {f.severity.value} | {f.requirement} | {_cell(f.focus_label)} (`{f.location}`) | "
                f"{_cell(f.message)} | {f.status.value} | {f.verification} |" for f in findings]
    else:
        out.append("No graph check found a gap.")
    out += ["", "## Agencies represented per group", "",
            "Member organisations, the organisations of member and chair posts, and organisations "
            "sharing a rotating chair.", "",
            "| Group | Kind | Agencies | Count | Posts (members and chair) |", "|---|---|---|---|---|"]
    out += [f"| {_cell(r.label)} | {r.unit_kind} | {_list(r.agencies)} | {r.agency_count} | {_list(r.posts)} |"
            for r in m.representation]
    out += ["", "## Membership overlap between groups", "",
            "Jaccard index: shared members divided by all members of the two (1 = identical, 0 = none shared).", ""]
    if m.overlaps:
        out += ["| Group | Group | Shared agencies | Jaccard (agencies) | Shared posts | Jaccard (posts) |",
                "|---|---|---|---|---|---|"]
        out += [f"| {_cell(o.label_a)} | {_cell(o.label_b)} | {_list(o.shared_agencies)} | {o.agencies_jaccard:.4f} | "
                f"{_list(o.shared_posts)} | {o.posts_jaccard:.4f} |" for o in m.overlaps]
    else:
        out.append("No two groups share a recorded member.")
    out += ["", "## Centrality of posts and people", "",
            "Degree: governance links touching the post or person. Betweenness: the share of shortest "
            "paths between other entities that pass through it (exact, normalised); a high value marks a "
            "post or person the structure depends on.", "",
            "| Post or person | Kind | Degree | Betweenness |", "|---|---|---|---|"]
    out += [f"| {_cell(c.label)} | {c.kind} | {c.degree} | "
            f"{'—' if c.betweenness is None else f'{c.betweenness:.4f}'} |" for c in m.centrality]
    if m.limits:  # a hostile or enormous file: say what was left out, never leave it silent
        out += ["", "## Limits reached", ""] + [f"- {_cell(text)}" for text in m.limits]
    return "\n".join(out) + "\n"
