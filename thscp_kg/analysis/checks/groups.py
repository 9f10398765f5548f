"""Groups: GOV-08 (each group records its members and its chair)."""
from __future__ import annotations

from ...findings import Status
from ..graph import into, nodes_of, out_of
from ..registry import CheckContext, CheckResult, Issue, graph_check

MESSAGES = {"members": "no members (organisations or posts) are recorded for the group.",
            "chair": "no chair (a chair post or a rotating chair) is recorded for the group.",
            "members and chair": "neither members nor a chair are recorded for the group."}


@graph_check("GOV-08")
def group_members_and_chair(ctx: CheckContext) -> CheckResult:
    """Fails (not evidenced) for a group with no member organisations or posts, or with neither a chair
    post nor a rotating chair; the value says which. Passes when every group records both."""
    g = ctx.graph
    groups = nodes_of(g, "group")
    issues = []
    for group in groups:
        missing = [name for name, present in (("members", into(g, group, "member_of")),
                                              ("chair", out_of(g, group, "chaired_by")))
                   if not present]
        if missing:
            what = " and ".join(missing)
            issues.append(Issue(group, MESSAGES[what], Status.not_evidenced, what))
    return CheckResult(tuple(groups), tuple(issues))
