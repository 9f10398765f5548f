"""What the diagram shows, independent of how it is laid out: boxes, lines, styles and highlights.

How computed: from the governance graph, keep the partnership, its groups, linked boards and
priorities, the organisations that are partners, members or leads, and the posts that are
statutory, chair a group, sit on one or lead a priority (the holder on the as-of date is named
inside the post's box; a post with none recorded is drawn dashed and says "no holder recorded": the
sources may simply not name the holder, so the diagram never calls the post vacant). Required boards that are
not recorded appear as dashed placeholders. A box is highlighted (red outline) when a finding
concerns it: its own entity, a person holding the post, or the partnership-year (the
partnership box and the missing-board placeholder the finding names); orange when only
good-practice (info) findings concern it.
"""
from __future__ import annotations

import re
import textwrap
from dataclasses import dataclass, field
from collections import deque
from typing import TYPE_CHECKING, Iterable

from .checks.boards import REQUIRED_BOARDS, missing_boards
from .checks.people import STATUTORY_ROLES
from .graph import label, nodes_of, out_of

if TYPE_CHECKING:
    import networkx as nx

    from .graph import GovernanceGraph

HIGHLIGHT = "#c00000"        # a violation or warning concerns the box
HIGHLIGHT_INFO = "#ed7d31"   # only good-practice (info) findings concern it
FILL = {"partnership": "#c9dcef", "executive": "#9ecae1", "group": "#deebf7", "board": "#fff2cc",
        "organisation": "#e2efda", "post": "#f2f2f2", "priority": "#fce4d6", "missing": "#ffffff"}
KIND_TEXT = {"partnership": "partnership", "executive": "executive group", "group": "sub-group, panel or forum",
             "board": "linked strategic board", "organisation": "organisation", "post": "post (holder on as-of date)",
             "priority": "shared priority", "missing": "required board not recorded"}


@dataclass(frozen=True)
class EdgeStyle:
    colour: str
    dash: str | None        # SVG stroke-dasharray
    text: str               # label drawn on the line
    top: str                # which end sits higher in the layout: "source" or "target"
    arrow: str | None       # which end carries the arrowhead: "source", "target" or None
    constrains: bool = True  # whether the line shapes the layout


EDGE_STYLE = {
    "reports_to": EdgeStyle("#1f3864", None, "", "target", "target"),
    "executive_of": EdgeStyle("#1f3864", None, "", "target", None),
    "links_to": EdgeStyle("#7f6000", "6,3", "", "source", None),
    "chaired_by": EdgeStyle("#404040", "2,2", "chairs", "source", "source"),
    "member_of": EdgeStyle("#8c8c8c", None, "", "source", "target"),
    "leads_priority": EdgeStyle("#c55a11", None, "leads", "source", "target"),
    "delivered_by": EdgeStyle("#c55a11", "4,2", "delivers", "target", "source"),
    "delegates_to": EdgeStyle("#7030a0", "4,2", "delegates to", "source", "target"),
    "partner_of": EdgeStyle("#375623", None, "", "source", None),
    "post_in": EdgeStyle("#a6a6a6", "1,3", "", "target", None),
}
EDGE_TEXT = {"reports_to": "reports to", "links_to": "link to board (dashed)", "chaired_by": "chairs",
             "member_of": "member of", "leads_priority": "leads priority", "delivered_by": "delivers priority",
             "delegates_to": "delegates to", "partner_of": "safeguarding partner"}
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


@dataclass(frozen=True)
class Box:
    key: str
    style: str                      # a FILL key
    lines: tuple[str, ...]
    outline: str | None = None      # HIGHLIGHT or HIGHLIGHT_INFO when findings concern the box
    dashed: bool = False
    tooltip: str = ""


@dataclass(frozen=True)
class Line:
    source: str
    target: str
    type: str


@dataclass
class Picture:
    title: str
    boxes: list[Box] = field(default_factory=list)
    lines: list[Line] = field(default_factory=list)
    depth: dict[str, int] = field(default_factory=dict)     # group → steps below the executive

    def box(self, key: str) -> Box:
        return next(b for b in self.boxes if b.key == key)


def clean(text: str) -> str:
    """Text safe for any output: no control characters, single spaces."""
    return " ".join(_CONTROL.sub(" ", str(text)).split())


def wrap(text: str, width: int = 20) -> tuple[str, ...]:
    return tuple(textwrap.wrap(clean(text), width=width, break_long_words=True)) or ("",)


def _kept(g: nx.MultiDiGraph) -> list[str]:
    keep = set(nodes_of(g, "partnership") + nodes_of(g, "group") + nodes_of(g, "board") + nodes_of(g, "priority"))
    for u, v, k in g.edges(keys=True):
        if k in ("partner_of", "member_of", "leads_priority") and g.nodes[u]["kind"] in ("organisation", "post"):
            keep.add(u)
        if k == "chaired_by":
            keep.add(v)
    keep.update(p for p in nodes_of(g, "post") if g.nodes[p].get("role") in STATUTORY_ROLES)
    return [n for n in g.nodes if n in keep]


def _box_lines(g: nx.MultiDiGraph, n: str) -> tuple[str, ...]:
    d = g.nodes[n]
    kind = d["kind"]
    if kind == "group":
        return wrap(d["label"]) + (f"({d.get('group_kind') or 'group'})",)
    if kind == "board":
        return wrap(d["label"]) + (("(statutory board)",) if d.get("statutory") else ())
    if kind == "priority":
        return wrap("Priority: " + d["label"])
    if kind == "post":
        holder = d.get("holder")
        who = label(g, holder) if holder else f"no holder recorded on {g.graph.get('as_of')}"
        role = STATUTORY_ROLES.get(d.get("role", ""))
        return wrap(d["label"]) + ((f"[{role}]",) if role else ()) + wrap(who)
    if kind == "partnership":
        return wrap(d["label"], 30) + (g.graph["year"].split("/", 1)[-1],)
    return wrap(d["label"])


def build_picture(g: "nx.MultiDiGraph | GovernanceGraph", findings: Iterable = ()) -> Picture:
    """What to draw, from a ``GovernanceGraph`` (no networkx import) or networkx's graph."""
    flagged: dict[str, set[str]] = {}
    worst: dict[str, int] = {}
    for f in findings:
        targets = [f.focus]
        if f.focus.startswith("person/") and f.focus in g:
            targets = out_of(g, f.focus, "holds")
        elif f.focus == g.graph["year"]:
            targets = [g.graph["partnership"]] + [f"missing/{k}" for k, text in REQUIRED_BOARDS.items()
                                                  if f.value == text]
        for t in targets:
            flagged.setdefault(t, set()).add(f.requirement)
            worst[t] = min(worst.get(t, 2), f.severity.rank)
    pid = g.graph["partnership"]
    title = clean(f"{label(g, pid)}: governance and strategic-board links, {g.graph['year'].split('/', 1)[-1]} "
                  f"(as of {g.graph.get('as_of')})")
    pic = Picture(title)
    kept = _kept(g)
    for n in kept:
        d = g.nodes[n]
        style = "executive" if d.get("group_kind") == "executive" else d["kind"]
        reqs = sorted(flagged.get(n, ()))
        dashed = d["kind"] == "post" and not d.get("holder")
        pic.boxes.append(Box(n, style, _box_lines(g, n), _outline(worst, n), dashed,
                             clean(f"{n}" + (": findings " + ", ".join(reqs) if reqs else ""))))
    for kind in missing_boards(g):
        key = f"missing/{kind}"
        reqs = sorted(flagged.get(key, ()))
        pic.boxes.append(Box(key, "missing", wrap(REQUIRED_BOARDS[kind][0].upper() + REQUIRED_BOARDS[kind][1:])
                             + ("(not recorded)",), _outline(worst, key), True,
                             clean(key + (": findings " + ", ".join(reqs) if reqs else ""))))
        pic.lines.append(Line(pid, key, "links_to"))
    keep = set(kept)
    for u, v, k in g.edges(keys=True):
        if u in keep and v in keep and k in EDGE_STYLE:
            pic.lines.append(Line(u, v, k))
    pic.lines.sort(key=lambda e: (e.source, e.target, e.type))
    pic.depth = _depths(g)
    return pic


def _outline(worst: dict[str, int], key: str) -> str | None:
    if key not in worst:
        return None
    return HIGHLIGHT if worst[key] <= 1 else HIGHLIGHT_INFO


def _depths(g: nx.MultiDiGraph) -> dict[str, int]:
    """Steps from each group up to an executive group along reporting lines (absent: no path)."""
    lines: dict[str, list[str]] = {}   # reporting lines reversed: from a group to those reporting to it
    for u, v, k in g.edges(keys=True):
        if k == "reports_to":
            lines.setdefault(v, []).append(u)
            lines.setdefault(u, [])
    depth: dict[str, int] = {}
    for ex in [n for n in nodes_of(g, "group") if g.nodes[n].get("group_kind") == "executive"]:
        depth[ex] = 0
        if ex in lines:
            for n, d in _steps(lines, ex).items():
                depth[n] = min(d, depth.get(n, d))
    return dict(sorted(depth.items()))


def _steps(lines: dict[str, list[str]], start: str) -> dict[str, int]:
    """Fewest steps from ``start`` to every node it reaches (breadth first; networkx's
    ``single_source_shortest_path_length``, written out so the diagram needs no networkx import)."""
    seen = {start: 0}
    queue = deque([start])
    while queue:
        n = queue.popleft()
        for m in lines[n]:
            if m not in seen:
                seen[m] = seen[n] + 1
                queue.append(m)
    return seen
