"""Reporting lines: GOV-01 (every group reaches the executive) and GOV-02 (no reporting cycles)."""
from __future__ import annotations

from typing import TYPE_CHECKING

from ...findings import Status
from ..graph import edges_of, executives, label, nodes_of, out_of
from ..registry import CheckContext, CheckResult, Issue, graph_check

if TYPE_CHECKING:
    import networkx as nx

REPORTING_KINDS = ("sub-group", "panel", "forum", "task-and-finish")


TRAIL_SHOWN = 8  # a longer reporting line is shown by its first and last steps and its length


def _next_step(g: "nx.MultiDiGraph", group: str) -> str | None:
    """The reporting line followed from ``group``: an executive parent if it has one, else the first."""
    parents = out_of(g, group, "reports_to")
    ahead = [p for p in parents if g.nodes[p].get("group_kind") == "executive"] or parents
    return ahead[0] if ahead else None


def _chains(g: "nx.MultiDiGraph", groups: list[str]) -> dict[str, tuple[list[str | None], str, int]]:
    """For every group, the path walked along ``reports_to`` and how it ended (executive, gap or loop).

    Each group has one next step, so the lines form paths into a loop or an end; every group's
    ending is worked out once and shared by the groups behind it (linear, not a walk per group).
    """
    step = {n: _next_step(g, n) for n in groups}
    end: dict[str, tuple[str, str, int]] = {}  # group → (ending, last group, steps to it)
    for start in groups:
        path, seen = [], {}
        current = start
        while current not in end:
            if g.nodes[current].get("group_kind") == "executive":
                end[current] = ("executive", current, 0)
                break
            if current in seen:  # a loop: every group on it ends by looping back to where it closed
                loop = path[seen[current]:]
                for member in loop:  # around the loop and back to itself
                    end[member] = ("loop", member, len(loop))
                path = path[:seen[current]]
                break
            seen[current] = len(path)
            path.append(current)
            nxt = step.get(current)
            if nxt is None:
                end[current] = ("gap", current, 0)
                break
            current = nxt
        for member in reversed(path):
            if member not in end:
                kind, last, steps = end[step[member]]
                end[member] = (kind, last, steps + 1)
    return {n: (_walk(step, n, end[n]), end[n][0], end[n][2] + 1) for n in groups}


def _walk(step: dict, start: str, ending: tuple[str, str, int]) -> list[str | None]:
    """The path from ``start``; a long one keeps its first TRAIL_SHOWN steps and its end (None between)."""
    _, last, steps = ending
    path, current = [start], start
    for _ in range(min(steps, TRAIL_SHOWN)):
        current = step[current]
        path.append(current)
    if steps > TRAIL_SHOWN:
        path[-1:] = [None, last]  # None marks the steps left out
    return path


def _trail(g: "nx.MultiDiGraph", path: list[str | None], total: int) -> str:
    """The path as text; ``total`` (the number of steps walked, ends included) is shown when steps are left out."""
    return " → ".join(f"… ({total} in all) …" if n is None else label(g, n) for n in path)


@graph_check("GOV-01")
def reaches_executive(ctx: CheckContext) -> CheckResult:
    """Fails when a sub-group, panel, forum or task-and-finish group's reporting line does not reach
    an executive group: not evidenced when a line along the way is not recorded, not met when it loops.
    Passes when following ``reports_to`` arrives at an executive group."""
    g = ctx.graph
    targets = [n for n in nodes_of(g, "group") if g.nodes[n].get("group_kind") in REPORTING_KINDS]
    has_executive = bool(executives(g))
    issues = []
    chains = _chains(g, nodes_of(g, "group"))
    for group in targets:
        path, end, total = chains[group]
        trail = _trail(g, path, total)
        if end == "executive":
            continue
        if end == "loop":
            issues.append(Issue(group, "its reporting line loops without reaching the executive "
                                f"({trail}).", Status.not_met, trail, "reports_to"))
        elif not has_executive:
            issues.append(Issue(group, "no executive group is recorded, so no reporting line can reach one.",
                                Status.not_evidenced, None, "reports_to"))
        elif total == 1:
            issues.append(Issue(group, "no reporting line to the executive is recorded.",
                                Status.not_evidenced, None, "reports_to"))
        else:
            issues.append(Issue(group, f"its reporting line stops at {label(g, path[-1])}, which has no "
                                f"reporting line recorded ({trail} → ?).", Status.not_evidenced, trail, "reports_to"))
    return CheckResult(tuple(targets), tuple(issues))


def _cycle_text(g: "nx.MultiDiGraph", members: set[str]) -> str:
    """One loop through the component, from its first group back to a group already passed."""
    start = min(members)
    path, seen, current = [start], {start}, start
    while True:
        nxt = next((p for p in out_of(g, current, "reports_to") if p in members), start)
        path.append(nxt)
        if nxt in seen:
            break
        seen.add(nxt)
        current = nxt
    if len(path) > TRAIL_SHOWN + 1:
        return _trail(g, path[:TRAIL_SHOWN // 2] + [None] + path[-(TRAIL_SHOWN // 2):], len(path))
    return " → ".join(label(g, n) for n in path)


@graph_check("GOV-02")
def no_reporting_cycles(ctx: CheckContext) -> CheckResult:
    """Fails (not met) once per reporting loop (a strongly connected set of groups, or a group that
    reports to itself), on the loop's first group by id, naming the loop and how many groups are on it.
    Passes when the reporting lines form a hierarchy. Several groups but no reporting line at all
    is not evidenced (on the year): with nothing to look at, "no loops" would be a false "met"."""
    g = ctx.graph
    groups = nodes_of(g, "group")
    lines: dict[str, list[str]] = {n: [] for n in groups}   # reporting lines, group → the groups it reports to
    for u, v, _ in edges_of(g, "reports_to"):
        lines.setdefault(u, []).append(v)
        lines.setdefault(v, [])
    if len(groups) > 1 and not any(lines.values()):
        year = g.graph["year"]
        return CheckResult(tuple(groups) + (year,), (Issue(
            year, f"{len(groups)} groups are recorded but no reporting line (reports_to) between them, "
            "so whether the lines loop cannot be judged.", Status.not_evidenced, None, "reports_to"),))
    issues = []
    for members in sorted((sorted(c) for c in strongly_connected_components(lines))):
        if len(members) == 1 and members[0] not in lines[members[0]]:
            continue
        text = _cycle_text(g, set(members))
        size = "the group reports to itself" if len(members) == 1 else f"{len(members)} groups report in a loop"
        issues.append(Issue(members[0], f"{size} ({text}).", Status.not_met, text, "reports_to"))
    return CheckResult(tuple(groups), tuple(issues))


def strongly_connected_components(succ: dict[str, list[str]]) -> list[set[str]]:
    """The strongly connected sets of a directed graph given as node → successors (every successor also
    a key): Tarjan's algorithm, iterative (a reporting chain may be as long as the entity cap allows).

    Written out rather than taken from networkx so that a check whose outputs need no measure or
    diagram does not import networkx (0.16–0.2 s of a cold ``check --format json``, issue 16): it
    is a depth-first search, the same as ``networkx.strongly_connected_components`` computes, and
    tests/test_analysis.py compares the two on generated graphs. Which components, not their order,
    is what GOV-02 reads (it sorts them).
    """
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    on_stack: set[str] = set()
    stack: list[str] = []
    out: list[set[str]] = []
    for root in succ:
        if root in index:
            continue
        index[root] = low[root] = len(index)
        stack.append(root)
        on_stack.add(root)
        work = [(root, iter(succ[root]))]
        while work:
            node, children = work[-1]
            for child in children:
                if child not in index:
                    index[child] = low[child] = len(index)
                    stack.append(child)
                    on_stack.add(child)
                    work.append((child, iter(succ[child])))
                    break
                if child in on_stack:
                    low[node] = min(low[node], index[child])
            else:
                work.pop()
                if work:
                    parent = work[-1][0]
                    low[parent] = min(low[parent], low[node])
                if low[node] == index[node]:
                    component = set()
                    while True:
                        member = stack.pop()
                        on_stack.discard(member)
                        component.add(member)
                        if member == node:
                            break
                    out.append(component)
    return out
