"""The finding model shared by SHACL results, graph checks and manual items."""
from __future__ import annotations

from dataclasses import dataclass, field, fields
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
    not_yet_in_force = "not-yet-in-force"   # law, but commenced later by regulations (look-ahead)
    waived = "waived"
    # A duty whose date has not come yet on the as-of date (e.g. publication, read before
    # publication) and which nothing yet breaks: never "met", never a breach.
    # RequirementOutcome.due holds the date (shown "not yet due (due DATE)").
    not_yet_due = "not-yet-due"


def _plain(value):
    """A copy of ``value`` as ``dataclasses.asdict`` makes it, for the types a Finding holds."""
    if isinstance(value, dict):
        return {_plain(k): _plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_plain(v) for v in value]
    if isinstance(value, tuple):
        return tuple(_plain(v) for v in value)
    return value


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
    # True when due or actual rests on an approximate date: days_late is then the least it can be
    # (latest possible due day to earliest possible actual day), so it reads "at least N days late".
    days_late_at_least: bool | None = None
    working_days_late: int | None = None   # working-day rules: from the deadline's scp:workingDaysLate
    remediation: str = ""
    fails_ci: bool = True       # False for requirements whose verification is M or C
    # The evidence recorded for the focus entity: source document and section (from the graph's
    # prov:qualifiedDerivation). Each: {source, title, file?, section, quote?}.
    evidence: tuple[dict, ...] = ()
    # The waiver that accepts this finding, if any (see thscp_kg/load/waivers.py). A waived finding
    # stays in the report but is counted apart and never fails the run.
    waiver: dict | None = None

    def sort_key(self) -> tuple:
        return (self.severity.rank, self.requirement, self.focus, self.value or "", self.shape)

    @property
    def key(self) -> tuple[str, str, str, str]:
        """What identifies a finding across runs and years: requirement, entity and value, plus the
        check (shape) within the requirement, which tells apart two gaps of one requirement on one
        entity (e.g. this report's publication date and the previous report's)."""
        return (self.requirement, self.focus, self.value or "", self.shape)

    @property
    def waived(self) -> bool:
        return self.waiver is not None

    def to_json(self) -> dict:
        # What dataclasses.asdict gives (a copy of every dict, list and tuple inside), built directly:
        # asdict deep-copies each leaf through copy.deepcopy, a third of a cold `check --format json`'s
        # report time; the leaves here are str, int, bool, None and enums (issue 16).
        data = {f.name: _plain(getattr(self, f.name)) for f in fields(self)}
        data["severity"] = self.severity.value
        data["status"] = self.status.value
        data["citations"] = list(self.citations)
        data["evidence"] = list(self.evidence)
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
    # Catalogue detail for the machine outputs (SARIF rules, JUnit properties); filled by the pipeline.
    slug: str = ""
    statement: str = ""
    severity: str = ""
    edition: str = ""
    sources: tuple[dict, ...] = ()
    remediation: str = ""
    entities: tuple[str, ...] = ()   # focus entities the requirement's shapes target ("kind/id")
    waived: int = 0                  # how many of its findings are waived
    transitional: bool = False       # a WT2023 SHOULD shown as info while the year is transitional
    vacuous: bool = False            # not evidenced because nothing of the kind is recorded to check
    # For a met requirement: what showed it met, per entity: {entity, label, evidence: (...)}.
    met_by: tuple[dict, ...] = ()
    due: str | None = None           # not yet due: the earliest deadline after the as-of date (ISO)
    # For a met requirement: the catalogue's see_also entries with open findings, each
    # {requirement, title, findings, severity, why}; "met — but see ..." in every report.
    see_also: tuple[dict, ...] = ()


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
    # Context for the human reports (filled by the pipeline; empty for hand-built assessments).
    area_names: dict[str, str] = field(default_factory=dict)
    editions: list[dict] = field(default_factory=list)       # {id, title, in_force_from} in force in the period
    signatories: list[dict] = field(default_factory=list)    # sign-off rows: lead partners, then scrutineer
    owners: dict[str, str] = field(default_factory=dict)     # focus "kind/id" -> organisation/board it belongs to
    waivers_file: str | None = None                          # the waiver file applied, if any
    waiver_notes: list[dict] = field(default_factory=list)   # waivers that did not apply: expired, unmatched ...
    previous: dict | None = None                             # year-on-year diff (thscp_kg.years.diff) when a baseline exists
    governance: dict | None = None                           # {svg, measures, layout}: the diagram and network measures
    # The stage of the year (thscp_kg/report/stage.py): sign-off (read before the yearly report's
    # recorded publication) or published; and the source documents by id, for citing evidence.
    stage: dict | None = None
    sources: dict[str, dict] = field(default_factory=dict)
    responsible: dict = field(default_factory=dict)          # who acts: business unit post, partners (report/context.py)
    people_side: dict | None = None                          # assessments, sign-offs, actions (report/people.py)
    # Provisions not yet in force for this year (commencement in the profile), with the requirements
    # that wait for them: {key, title, short, in_force_from, note, source, requirements: [...]}.
    look_ahead: list[dict] = field(default_factory=list)
    challenges: list[dict] = field(default_factory=list)     # gaps admitted, concerns raised (report/challenges.py)
    combined_areas: dict | None = None                       # a multi-area partnership's host and agreement

    def counts(self) -> dict[str, int]:
        """Open (unwaived) findings by severity; not-yet-due items are not open findings."""
        counts = {s.value: 0 for s in Severity}
        for f in self.open_findings:
            counts[f.severity.value] += 1
        return counts

    def waived_counts(self) -> dict[str, int]:
        counts = {s.value: 0 for s in Severity}
        for f in self.findings:
            if f.waived:
                counts[f.severity.value] += 1
        return counts

    @property
    def open_findings(self) -> list[Finding]:
        return [f for f in self.findings if not f.waived and f.status is not Status.not_yet_due]

    @property
    def not_yet_due_findings(self) -> list[Finding]:
        return [f for f in self.findings if not f.waived and f.status is Status.not_yet_due]

    @property
    def waived_findings(self) -> list[Finding]:
        return [f for f in self.findings if f.waived]

    def failing(self, fail_on: str) -> list[Finding]:
        threshold = FAIL_ON[fail_on]
        return [f for f in self.findings
                if f.fails_ci and not f.waived and f.status is not Status.not_yet_due and threshold >= 0 and f.severity.rank <= threshold]
