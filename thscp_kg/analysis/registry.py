"""The graph-check registry (checkov-style): one function per ``assessment: graph`` requirement.

A check is ``@graph_check("GOV-NN")`` on a function ``(ctx: CheckContext) -> CheckResult``.
Importing ``thscp_kg.analysis.checks`` registers them all; a meta-test keeps the registry and
the catalogue one-to-one.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Callable

from ..findings import Status

if TYPE_CHECKING:
    from .graph import GovernanceGraph

DEFAULT_PARAMS = {"max_roles": 2}


@dataclass(frozen=True)
class Issue:
    """One failing entity: its data-file id, why, and (optionally) the value at fault."""

    focus: str
    message: str
    status: Status = Status.not_met
    value: str | None = None
    path: str | None = None


@dataclass(frozen=True)
class CheckResult:
    targets: tuple[str, ...]            # the entities the check examined (none → not applicable)
    issues: tuple[Issue, ...] = ()

    def __post_init__(self) -> None:
        object.__setattr__(self, "targets", tuple(sorted(set(self.targets))))
        object.__setattr__(self, "issues", tuple(self.issues))


@dataclass(frozen=True)
class CheckContext:
    graph: "GovernanceGraph"   # or a networkx MultiDiGraph: the checks read the interface both share
    params: dict = field(default_factory=lambda: dict(DEFAULT_PARAMS))


GraphCheck = Callable[[CheckContext], CheckResult]
CHECKS: dict[str, GraphCheck] = {}


def graph_check(req_id: str) -> Callable[[GraphCheck], GraphCheck]:
    """Register ``fn`` as the check for requirement ``req_id`` (once only)."""
    def register(fn: GraphCheck) -> GraphCheck:
        if req_id in CHECKS:
            raise ValueError(f"graph check {req_id} registered twice ({CHECKS[req_id].__name__}, {fn.__name__})")
        CHECKS[req_id] = fn
        fn.requirement_id = req_id  # type: ignore[attr-defined]
        return fn
    return register


def registered() -> dict[str, GraphCheck]:
    from . import checks  # noqa: F401  (importing registers the built-in checks)
    return dict(sorted(CHECKS.items()))
