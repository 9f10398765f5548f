"""Reporting lines: GOV-01 (every group reaches the executive) and GOV-02 (no reporting cycles)."""
from __future__ import annotations

import networkx as nx

from ...findings import Status
from ..graph import edges_of, executives, label, nodes_of, out_of
from ..registry import CheckContext, CheckResult, Issue, graph_check

REPORTING_KINDS = ("sub-group", "panel", "forum", "task-and-finish")


def _chain(g: nx.MultiDiGraph, start: str) -> tuple[list[str], str]:
    """Follow ``reports_to`` from ``start``: the path walked and how it ended (executive, gap or loop)."""
    path, current = [start], start
    while True:
        if g.nodes[current].get("group_kind") == "executive":
            return path, "executive"
        parents = out_of(g, current, "reports_to")
        if not parents:
            return path, "gap"
        ahead = [p for p in parents if g.nodes[p].get("group_kind") == "executive"] or parents
        current = ahead[0]
        if current in path:
            return path + [current], "loop"
        path.append(current)


@graph_check("GOV-01")
def reaches_executive(ctx: CheckContext) -> CheckResult:
    """Fails when a sub-group, panel, forum or task-and-finish group's reporting line does not reach
    an executive group: not evidenced when a line along the way is not recorded, not met when it loops.
    Passes when following ``reports_to`` arrives at an executive group."""
    g = ctx.graph
    targets = [n for n in nodes_of(g, "group") if g.nodes[n].get("group_kind") in REPORTING_KINDS]
    has_executive = bool(executives(g))
    issues = []
    for group in targets:
        path, end = _chain(g, group)
        trail = " → ".join(label(g, n) for n in path)
        if end == "executive":
            continue
        if end == "loop":
            issues.append(Issue(group, "its reporting line loops without reaching the executive "
                                f"({trail}).", Status.not_met, trail, "reports_to"))
        elif not has_executive:
            issues.append(Issue(group, "no executive group is recorded, so no reporting line can reach one.",
                                Status.not_evidenced, None, "reports_to"))
        elif len(path) == 1:
            issues.append(Issue(group, "no reporting line to the executive is recorded.",
                                Status.not_evidenced, None, "reports_to"))
        else:
            issues.append(Issue(group, f"its reporting line stops at {label(g, path[-1])}, which has no "
                                f"reporting line recorded ({trail} → ?).", Status.not_evidenced, trail, "reports_to"))
    return CheckResult(tuple(targets), tuple(issues))


def _cycle_text(g: nx.MultiDiGraph, members: set[str]) -> str:
    start = min(members)
    path, current = [start], start
    while True:
        nxt = next((p for p in out_of(g, current, "reports_to") if p in members), start)
        path.append(nxt)
        if nxt in path[:-1]:
            return " → ".join(label(g, n) for n in path)
        current = nxt


@graph_check("GOV-02")
def no_reporting_cycles(ctx: CheckContext) -> CheckResult:
    """Fails (not met) for every group on a loop of ``reports_to`` lines, itself included.
    Passes when the reporting lines form a hierarchy. Several groups but no reporting line at all
    is not evidenced (on the year): with nothing to look at, "no loops" would be a false "met"."""
    g = ctx.graph
    groups = nodes_of(g, "group")
    lines = nx.DiGraph()
    lines.add_nodes_from(groups)
    lines.add_edges_from((u, v) for u, v, _ in edges_of(g, "reports_to"))
    if len(groups) > 1 and lines.number_of_edges() == 0:
        year = g.graph["year"]
        return CheckResult(tuple(groups) + (year,), (Issue(
            year, f"{len(groups)} groups are recorded but no reporting line (reports_to) between them, "
            "so whether the lines loop cannot be judged.", Status.not_evidenced, None, "reports_to"),))
    issues = []
    for members in sorted((sorted(c) for c in nx.strongly_connected_components(lines))):
        if len(members) == 1 and not lines.has_edge(members[0], members[0]):
            continue
        text = _cycle_text(g, set(members))
        for group in members:
            issues.append(Issue(group, f"the group is on a reporting loop ({text}).", Status.not_met, text,
                                "reports_to"))
    return CheckResult(tuple(groups), tuple(issues))
