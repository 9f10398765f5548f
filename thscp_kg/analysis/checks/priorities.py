"""Priorities: GOV-05 (each shared priority has a lead and a group that delivers it)."""
from __future__ import annotations

from ...findings import Status
from ..graph import into, nodes_of, out_of
from ..registry import CheckContext, CheckResult, Issue, graph_check


@graph_check("GOV-05")
def priority_lead_and_delivery(ctx: CheckContext) -> CheckResult:
    """Fails (not evidenced) for a priority with no lead (organisation or post) or no delivering group;
    the value says which is missing. Passes when every priority has both."""
    g = ctx.graph
    priorities = nodes_of(g, "priority")
    issues = []
    for prio in priorities:
        missing = [name for name, present in (("lead", into(g, prio, "leads_priority")),
                                              ("delivering group", out_of(g, prio, "delivered_by")))
                   if not present]
        if missing:
            what = " and ".join(missing)
            issues.append(Issue(prio, f"no {what} is recorded for the priority.", Status.not_evidenced, what))
    return CheckResult(tuple(priorities), tuple(issues))
