"""People and posts: GOV-06 (single-person dependency), GOV-07 (scrutineer also chairs) and GOV-09
(statutory posts vacant on the as-of date). "Holds" always means on the as-of date."""
from __future__ import annotations

from ...findings import Status
from ..graph import label, nodes_of, out_of, posts_held
from ..registry import CheckContext, CheckResult, Issue, graph_check

STATUTORY_ROLES = {
    "lead-safeguarding-partner": "lead safeguarding partner",
    "delegated-safeguarding-partner": "delegated safeguarding partner",
    "independent-scrutineer": "independent scrutineer",
    "partnership-chair": "partnership chair",
}


def responsibilities(g, person: str) -> list[str]:
    """Groups the person chairs and priorities they lead, through the posts they hold (sorted, distinct)."""
    found = set()
    for post in posts_held(g, person):
        found.update(u for u, _, k in g.in_edges(post, keys=True) if k == "chaired_by")
        found.update(out_of(g, post, "leads_priority"))
    return sorted(found)


@graph_check("GOV-06")
def single_person_dependency(ctx: CheckContext) -> CheckResult:
    """Fails (not met) for a person who, through the posts they hold, chairs or leads more than N groups
    and priorities together (N = parameter ``max_roles``, default 2). Passes when nobody exceeds N."""
    g, limit = ctx.graph, int(ctx.params.get("max_roles", 2))
    people = nodes_of(g, "person")
    issues = []
    for person in people:
        roles = responsibilities(g, person)
        if len(roles) > limit:
            names = "; ".join(label(g, r) for r in roles)
            issues.append(Issue(person, f"{label(g, person)} chairs or leads {len(roles)} groups and priorities "
                                f"(more than {limit}): a single-person dependency.", Status.not_met, names))
    return CheckResult(tuple(people), tuple(issues))


def _scrutineers(g) -> set[str]:
    """People holding an independent scrutineer post on the as-of date."""
    return {g.nodes[p]["holder"] for p in nodes_of(g, "post")
            if _is_scrutineer(g.nodes[p]) and g.nodes[p].get("holder")}


def _is_scrutineer(attrs: dict) -> bool:
    return "independent-scrutineer" in attrs.get("roles", (attrs.get("role"),))


@graph_check("GOV-07")
def scrutineer_does_not_chair(ctx: CheckContext) -> CheckResult:
    """Fails (not met) for a group chaired by the independent scrutineer post or by a person who also
    holds it, and for a partnership chair post held by the scrutineer: a risk to independence named
    explicitly. Passes when no chair is also the independent scrutineer."""
    g = ctx.graph
    scrutineers = _scrutineers(g)
    chaired = [(u, v) for u, v, k in g.edges(keys=True) if k == "chaired_by" and g.nodes[v]["kind"] == "post"]
    chair_posts = [p for p in nodes_of(g, "post")
                   if "partnership-chair" in g.nodes[p].get("roles", (g.nodes[p].get("role"),))]
    issues = []
    for group, post in chaired:
        attrs = g.nodes[post]
        holder = attrs.get("holder")
        who = label(g, holder) if holder else None
        if _is_scrutineer(attrs):
            named = f" ({who})" if who else ""
            issues.append(Issue(group, f"risk to independence: the group is chaired by the independent scrutineer"
                                f"{named}, who would then scrutinise work they lead.", Status.not_met, who, "chair"))
        elif holder in scrutineers:
            issues.append(Issue(group, f"risk to independence: the chair, {who}, is also the independent "
                                "scrutineer.", Status.not_met, who, "chair"))
    for post in chair_posts:
        holder = g.nodes[post].get("holder")
        if _is_scrutineer(g.nodes[post]):  # one post, both roles ("Independent Chair and Scrutineer")
            who = f" ({label(g, holder)})" if holder else ""
            issues.append(Issue(post, f"risk to independence: one post is both partnership chair and independent "
                                f"scrutineer{who}, so the chair scrutinises arrangements they lead.", Status.not_met,
                                label(g, holder) if holder else None))
        elif holder in scrutineers:
            issues.append(Issue(post, f"risk to independence: the partnership chair, {label(g, holder)}, is also "
                                "the independent scrutineer.", Status.not_met, label(g, holder)))
    return CheckResult(tuple(grp for grp, _ in chaired) + tuple(chair_posts), tuple(issues))


@graph_check("GOV-09")
def statutory_posts_filled(ctx: CheckContext) -> CheckResult:
    """Fails (not evidenced) for a lead or delegated safeguarding partner, independent scrutineer or
    partnership chair post with no holder on the as-of date. Passes when every such post is held."""
    g = ctx.graph
    posts = [p for p in nodes_of(g, "post") if g.nodes[p].get("role") in STATUTORY_ROLES]
    issues = tuple(Issue(p, f"no holder of this {STATUTORY_ROLES[g.nodes[p]['role']]} post is recorded on the "
                         f"as-of date {g.graph.get('as_of')} (the sources may not name the holder; the data does not say it is vacant).",
                         Status.not_evidenced, STATUTORY_ROLES[g.nodes[p]["role"]], "holders")
                   for p in posts if not g.nodes[p].get("holder"))
    return CheckResult(tuple(posts), issues)
