"""The finding model shared by SHACL results, graph checks and manual items."""
from __future__ import annotations

from dataclasses import asdict, dataclass, field
from enum import Enum


class Severity(str, Enum):
    violation = "violation"
    warning = "warning"
    info = "info"

    @property
    def rank(self) -> int:
        return {"violation": 0, "warning": 1, "info": 2}[self.value]


class Status(str, Enum):
    met = "met"
    not_met = "not-met"
    not_evidenced = "not-evidenced"
    to_be_assessed = "to-be-assessed"
    not_applicable = "not-applicable"
    waived = "waived"


FAIL_ON = {"violation": 0, "warning": 1, "info": 2, "never": -1}


@dataclass(frozen=True)
class Finding:
    requirement: str
    title: str
    severity: Severity
    status: Status
    focus: str                  # "kind/id" as in the data file, e.g. "document/annual-report-2023-24"
    focus_label: str
    location: str               # "file:line"
    message: str
    citations: tuple[dict, ...]
    verification: str
    edition: str                # CA04, REG18, WT2018 or WT2023: the edition the check applied
    edition_basis: str
    shape: str
    constraint: str
    path: str | None = None
    value: str | None = None
    due: str | None = None
    actual: str | None = None
    days_late: int | None = None
    remediation: str = ""
    fails_ci: bool = True       # False for requirements whose verification is M or C

    def sort_key(self) -> tuple:
        return (self.severity.rank, self.requirement, self.focus, self.value or "", self.shape)

    def to_json(self) -> dict:
        data = asdict(self)
        data["severity"] = self.severity.value
        data["status"] = self.status.value
        data["citations"] = list(self.citations)
        return {k: v for k, v in data.items() if v is not None}


@dataclass
class RequirementOutcome:
    requirement: str
    title: str
    area: str
    modality: str
    verification: str
    assessment: str
    status: Status
    findings: int = 0
    targets: int = 0
    question: str | None = None


@dataclass
class Assessment:
    """Everything a report needs: context, findings and per-requirement outcomes."""

    partnership: str
    partnership_name: str
    period: str
    as_of: str
    data_file: str
    profile: str
    findings: list[Finding] = field(default_factory=list)
    outcomes: list[RequirementOutcome] = field(default_factory=list)

    def counts(self) -> dict[str, int]:
        counts = {s.value: 0 for s in Severity}
        for f in self.findings:
            counts[f.severity.value] += 1
        return counts

    def failing(self, fail_on: str) -> list[Finding]:
        threshold = FAIL_ON[fail_on]
        return [f for f in self.findings if f.fails_ci and threshold >= 0 and f.severity.rank <= threshold]
