"""Links to the other strategic boards: GOV-03 (the four are recorded) and GOV-04 (each link described)."""
from __future__ import annotations

from ...findings import Status
from ..graph import nodes_of
from ..registry import CheckContext, CheckResult, Issue, graph_check

REQUIRED_BOARDS = {
    "safeguarding-adults-board": "Safeguarding Adults Board",
    "health-and-wellbeing-board": "Health and Wellbeing Board",
    "community-safety-partnership": "Community Safety Partnership",
    "children-and-families-partnership": "children and families partnership",
}


def missing_boards(g) -> list[str]:
    """Required board kinds with no linked board of that kind, in a fixed order."""
    present = {g.nodes[b].get("board_kind") for b in nodes_of(g, "board")}
    return [kind for kind in REQUIRED_BOARDS if kind not in present]


@graph_check("GOV-03")
def required_boards_linked(ctx: CheckContext) -> CheckResult:
    """Fails (not evidenced, on the partnership-year) once per required board kind with no linked board
    recorded. Passes when a Safeguarding Adults Board, Health and Wellbeing Board, Community Safety
    Partnership and children and families partnership are all among the linked boards."""
    g = ctx.graph
    issues = tuple(Issue(g.graph["year"], f"no {REQUIRED_BOARDS[kind]} is recorded among the linked strategic "
                         "boards.", Status.not_evidenced, REQUIRED_BOARDS[kind], "linked_boards")
                   for kind in missing_boards(g))
    return CheckResult((g.graph["year"],), issues)


@graph_check("GOV-04")
def board_links_described(ctx: CheckContext) -> CheckResult:
    """Fails (not evidenced) for each linked board whose link does not say what flows between it and the
    partnership. Passes when every linked board has a described link."""
    g = ctx.graph
    boards = nodes_of(g, "board")
    issues = tuple(Issue(b, "the board is recorded but not what flows between it and the partnership "
                         "(reports, shared members, shared priorities).", Status.not_evidenced, None, "link")
                   for b in boards if not g.nodes[b].get("link"))
    return CheckResult(tuple(boards), issues)
