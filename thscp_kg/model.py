"""The partnership-year data format: what a business unit writes in ``data/<id>/<period>.yaml``.

These pydantic models are the single definition of the format. The loader validates with
them, and ``schema/partnership-year.schema.json`` (for editors) is generated from them
(``thscp-kg schema``); a test keeps the two in step. The rest of a run reads the validated year's
plain copy (thscp_kg/plain.py, decision 0036); its enumerations, patterns and date helpers are in
``model_values``, re-exported here.

Conventions for the people who maintain the files: ids are lowercase words joined by
hyphens and are how entries refer to each other; dates are ISO ``YYYY-MM-DD``; money is a
number plus a currency code; every fact carries ``evidence`` naming a source and section.
"""
from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal
from typing import Annotated, Literal

from pydantic import (
    AfterValidator,
    WithJsonSchema,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    ValidationInfo,
    field_validator,
    model_serializer,
    model_validator,
)

from .safe_text import single_line_text
# The enumerations, patterns and date helpers live where a run reads them without pydantic.
from .model_values import (  # noqa: F401  (re-exported: the format is defined here)
    _DATE_RE, _MONTH_RE, _MONTHS, _words, ApproximateDateReads, BoardKind, BOUND_KEYS, ChallengeKind,
    CountMeasure, DocumentKind, earliest_day, FIRST_YEAR, FundingKind, GroupKind, ID_PATTERN, in_force,
    IncidentOutcome, LAST_YEAR, latest_day, OrganisationKind, PERIOD_PATTERN, PREVIOUS_REPORT, ReviewStatus,
    Role, ScheduleCategory, ScrutinyKind, SectionTopic, StatementKind, TeamRole, year_in_range,
)


def _iso_date(value: object) -> object:
    if isinstance(value, dt.date) and not isinstance(value, dt.datetime):
        return value
    if value is None:
        raise ValueError("no date is given. Fix: write the date as YYYY-MM-DD, e.g. 2024-03-31.")
    if not isinstance(value, str) or not _DATE_RE.fullmatch(value):
        raise ValueError(f"'{value}' is not a date in the form YYYY-MM-DD. "
                         "Fix: write it as year-month-day, e.g. 2024-03-31 (no time of day).")
    try:
        date = dt.date.fromisoformat(value)
    except ValueError as exc:
        raise ValueError(f"'{value}' is not a real calendar date ({exc}). Fix: check the day and the month.") from None
    if year_in_range(date):  # deadlines are counted in working days up to such dates: bound them
        raise ValueError(f"'{value}': {year_in_range(date)}. Fix: check the year; dates in a partnership-year "
                         f"file fall between {FIRST_YEAR} and {LAST_YEAR}.")
    return date


IsoDate = Annotated[dt.date, BeforeValidator(_iso_date)]


class ApproximateDate(ApproximateDateReads, BaseModel):
    """A date the sources give only approximately: a month (``2022-05``), a year (``2022``), or a bound
    (``{not_later_than: 2023-09-30}``, ``{since_at_least: 2021-04}``). Rules reason on the earliest and
    the latest possible day (docs/decisions/0020-approximate-dates-and-inferred-publication.md)."""

    # Deferred like the other models: built with the model that holds it, not at import (issue 16).
    model_config = ConfigDict(extra="forbid", frozen=True, defer_build=True)
    earliest: dt.date | None = None
    latest: dt.date | None = None
    precision: Literal["month", "year", "not-later-than", "since-at-least"]
    written: str                       # as the file writes it: '2022-05', '2022', 'not later than 2023-09'

    @model_serializer
    def _as_written(self) -> object:  # dumps (new-year, the loader's reference check) give the data format back
        return self.to_data()


_APPROX_FIX = ("Fix: write a day as YYYY-MM-DD (2024-03-31); a month only as YYYY-MM (2024-03); a year only as "
               "YYYY (2024); a bound as {not_later_than: 2024-03-31} or {since_at_least: 2021-04}.")


def _month_or_year(value: object) -> tuple[dt.date, dt.date, str, str] | None:
    """(first day, last day, precision, as written) for '2022-05', '2022' or 2022; None otherwise."""
    text = str(value) if isinstance(value, int) and not isinstance(value, bool) else value
    if not isinstance(text, str):
        return None
    m = _MONTH_RE.fullmatch(text)
    if m:
        year, month = int(m.group(1)), int(m.group(2))
        if not 1 <= month <= 12:
            raise ValueError(f"'{text}' is not a month (month {month}). {_APPROX_FIX}")
        first = dt.date(year, month, 1)
        last = (dt.date(year + month // 12, month % 12 + 1, 1) - dt.timedelta(days=1))
        kind = "month"
    elif re.fullmatch(r"[0-9]{4}", text):
        first, last, kind = dt.date(int(text), 1, 1), dt.date(int(text), 12, 31), "year"
    else:
        return None
    if year_in_range(first):
        raise ValueError(f"'{text}': {year_in_range(first)}. Fix: check the year; dates in a partnership-year "
                         f"file fall between {FIRST_YEAR} and {LAST_YEAR}.")
    return first, last, kind, text


def _date_value(value: object) -> object:
    """A day, or an approximate date (month, year, not later than, since at least)."""
    if isinstance(value, ApproximateDate) or (isinstance(value, dt.date) and not isinstance(value, dt.datetime)):
        return value
    if isinstance(value, dict):
        if len(value) != 1 or next(iter(value)) not in BOUND_KEYS:
            keys = ", ".join(map(str, value)) or "none"
            raise ValueError(f"a date written as a mapping takes one key, not_later_than or since_at_least "
                             f"(found: {keys}). {_APPROX_FIX}")
        key, inner = next(iter(value.items()))
        words = BOUND_KEYS[key]
        bound = _month_or_year(inner)
        if bound is not None:
            latest, written = bound[1], bound[3]
        else:
            latest = _iso_date(inner)
            written = latest.isoformat()
        return ApproximateDate(latest=latest, precision=key.replace("_", "-"),
                               written=f"{words} {written}")
    bound = _month_or_year(value)
    if bound is not None:
        first, last, kind, text = bound
        return ApproximateDate(earliest=first, latest=last, precision=kind, written=text)
    return _iso_date(value)


_DAY_SCHEMA = {"type": "string", "format": "date"}
_ROUGH_SCHEMA = [{"type": "string", "pattern": r"^[0-9]{4}-[0-9]{2}$", "description": "a month only"},
                 {"type": "string", "pattern": r"^[0-9]{4}$", "description": "a year only"},
                 {"type": "integer", "minimum": FIRST_YEAR, "maximum": LAST_YEAR, "description": "a year only"}]
DATE_VALUE_SCHEMA = {
    "description": "a day (YYYY-MM-DD), or approximately: a month (YYYY-MM), a year (YYYY), "
                   "{not_later_than: DATE} or {since_at_least: DATE}",
    "anyOf": [_DAY_SCHEMA, *_ROUGH_SCHEMA] + [
        {"type": "object", "additionalProperties": False, "required": [key],
         "properties": {key: {"anyOf": [_DAY_SCHEMA, *_ROUGH_SCHEMA]}}} for key in BOUND_KEYS],
}
# A date that may be approximate (publication, holding a post, meetings): exact days stay dt.date.
DateValue = Annotated[dt.date | ApproximateDate, BeforeValidator(_date_value), WithJsonSchema(DATE_VALUE_SCHEMA)]


# Validators below raise ``ValueError("what is wrong. Fix: how")``; the loader splits the two parts.
def _consecutive_years(value: str) -> str:
    first, second = re.match(PERIOD_PATTERN, value).groups()  # type: ignore[union-attr]
    if (int(first) + 1) % 100 != int(second):
        raise ValueError(f"'{value}' is not two consecutive years. Fix: write the first year and the "
                         f"last two digits of the next, e.g. {first}-{(int(first) + 1) % 100:02d}.")
    return value


def _until_not_before_from(until, info: ValidationInfo):
    start = info.data.get("from_")
    first, last = earliest_day(start), latest_day(until)  # approximate: refused only when surely before
    if first is not None and last is not None and last < first:
        raise ValueError(f"'until' {until} is before 'from' {start}. Fix: 'from' is the first day and "
                         "'until' the last day; correct whichever date is wrong.")
    return until


SOURCE_FILE_PATTERN = r"^[A-Za-z0-9_.-]{1,120}(/[A-Za-z0-9_.-]{1,120}){0,8}$"


def _relative_source_path(value: object) -> object:
    # Evidence belongs to the partnership: a source file lives beside its data, never elsewhere.
    if isinstance(value, str):
        text = value.strip().replace("\\", "/")
        if text.startswith("/") or re.match(r"^[A-Za-z]:", text):
            raise ValueError(f"'{value}' is an absolute path. Fix: give the path relative to the data "
                             "file, e.g. sources/annual-report.txt, and keep the document in that folder.")
        if ".." in text.split("/"):
            raise ValueError(f"'{value}' climbs out of the partnership's folder with '..'. Fix: copy the "
                             "document into the partnership's sources/ folder and name it from there.")
    return value


Id = Annotated[str, Field(pattern=ID_PATTERN, description="lowercase letters, digits and hyphens")]
# Names, titles and the like: one line, no invisible characters (they would forge CI log lines).
Text = Annotated[str, Field(min_length=1, max_length=2000), AfterValidator(single_line_text)]


class Strict(BaseModel):
    # defer_build: the validator is built on first use, so a run whose data comes validated from the
    # compiled cache (thscp_kg/resources.py ``validated``) never builds it (issue 16).
    model_config = ConfigDict(extra="forbid", frozen=True, str_strip_whitespace=True, defer_build=True)


class Evidence(Strict):
    """Where a fact comes from: a declared source and the section (or page) within it."""

    source: Id = Field(description="id of an entry under 'sources'")
    section: Text = Field(description="section heading, paragraph or page in the source")
    quote: Annotated[str, Field(max_length=500), AfterValidator(single_line_text)] | None = Field(
        default=None, description="short quotation backing the fact (optional)")
    proposed: bool = Field(
        default=False, description="written by 'thscp-kg draft' and not yet confirmed by a person: check the "
                                   "quote supports the fact, then delete this line")


EvidenceList = Annotated[list[Evidence], Field(default_factory=list)]


class Source(Strict):
    id: Id
    title: Text
    file: Annotated[str, BeforeValidator(_relative_source_path),
                    Field(pattern=SOURCE_FILE_PATTERN)] | None = Field(
        default=None, description="path of the source document relative to the data file, e.g. "
                                  "sources/annual-report-2023-24.txt (text, HTML, or a format an extractor reads)")
    url: Annotated[str, Field(pattern=r"^https?://[^\s<>\"{}|\\^`]+$")] | None = None
    date: IsoDate | None = None


class Area(Strict):
    id: Id
    name: Text
    evidence: EvidenceList


class AreaAgreement(Strict):
    """The partners' agreement to treat two or more areas as one (CA04 s16J): a legal agreement,
    memorandum of understanding or section of the arrangements."""

    title: Text
    date: IsoDate | None = None
    evidence: EvidenceList


class Partnership(Strict):
    id: Id
    name: Text
    short_name: Annotated[str, Field(max_length=40), AfterValidator(single_line_text)] | None = None
    areas: Annotated[list[Area], Field(min_length=1)]
    host_authority: Id | None = Field(
        default=None, description="organisation id of the council that hosts a multi-area partnership "
                                  "(employs the business unit, holds the pooled budget)")
    agreement: AreaAgreement | None = Field(
        default=None, description="for two or more areas: the agreement to treat them as one (s16J)")
    evidence: EvidenceList


class Period(Strict):
    id: Annotated[str, Field(pattern=PERIOD_PATTERN, description="e.g. 2023-24")]
    start: IsoDate
    end: IsoDate

    _id_years = field_validator("id")(_consecutive_years)

    @field_validator("start")
    @classmethod
    def _start_in_first_year(cls, start: dt.date, info: ValidationInfo) -> dt.date:
        period_id = info.data.get("id")
        if period_id and start.year != int(period_id[:4]):
            raise ValueError(f"the period starts on {start} but its id '{period_id}' says it starts in "
                             f"{period_id[:4]}. Fix: correct the period id or the start date.")
        return start

    @field_validator("end")
    @classmethod
    def _end_after_start(cls, end: dt.date, info: ValidationInfo) -> dt.date:
        start = info.data.get("start")
        if start is not None and end <= start:
            raise ValueError(f"the period ends on {end}, which is not after its start {start}. "
                             "Fix: 'start' is the first day of the reporting year and 'end' the last.")
        if start is not None and (end - start).days > 366:
            raise ValueError(f"the period runs from {start} to {end}, more than a year. "
                             "Fix: one file holds one reporting year; correct the end date.")
        return end


class Organisation(Strict):
    id: Id
    name: Text
    kind: OrganisationKind
    areas: list[Id] = Field(default_factory=list, description="ids of partnership areas it operates in")
    schedule_category: ScheduleCategory | None = None
    from_: IsoDate | None = Field(default=None, alias="from")
    until: IsoDate | None = None
    included_in_arrangements: bool = Field(
        default=False, description="a relevant agency the partners have included in their arrangements")
    inclusion_notified: IsoDate | None = Field(
        default=None, description="date the agency was told it is included (CA04 s16G, M)")
    designated_childcare_or_education: bool = Field(
        default=False, description="a relevant agency designated by regulations as a childcare or education agency "
        "(CA04 s16E(2A), inserted by the Children's Wellbeing and Schools Act 2026 s2; checked once s2 commences)")
    evidence: EvidenceList

    _until_after_from = field_validator("until")(_until_not_before_from)


class SafeguardingPartner(Strict):
    organisation: Id
    from_: IsoDate | None = Field(default=None, alias="from")
    until: IsoDate | None = None
    evidence: EvidenceList

    _until_after_from = field_validator("until")(_until_not_before_from)


class Person(Strict):
    """A named person. Adults in public roles only: never a child or a family member."""

    id: Id
    name: Text
    evidence: EvidenceList


class Tenure(Strict):
    person: Id
    from_: DateValue | None = Field(default=None, alias="from", description="first day in post; approximately: "
                                    "a month, a year, or {since_at_least: 2021-04}")
    until: DateValue | None = Field(default=None, description="last day in post; a month or a year if that is all "
                                    "the sources say")
    interim: bool = False
    evidence: EvidenceList

    _until_after_from = field_validator("until")(_until_not_before_from)


class Post(Strict):
    id: Id
    title: Text
    organisation: Id | None = Field(default=None, description="organisation the post is in")
    role: Role = Role.other
    also_roles: list[Role] = Field(
        default_factory=list, description="further roles the same post holds, e.g. an 'Independent Chair and "
                                          "Scrutineer' post: role partnership-chair, also_roles [independent-scrutineer]")
    for_partner: Id | None = Field(
        default=None, description="safeguarding partner organisation the role is held for")
    holders: list[Tenure] = Field(default_factory=list)
    evidence: EvidenceList


class ScrutinyArrangement(Strict):
    """An arrangement for scrutiny by an independent person of how effective the arrangements are."""

    id: Id
    kind: ScrutinyKind
    description: Text | None = None
    provider: Id | None = Field(default=None, description="organisation id of the agency or the reviewer's employer")
    posts: list[Id] = Field(default_factory=list, description="post ids of the scrutineers, if recorded as posts")
    from_: IsoDate | None = Field(default=None, alias="from")
    until: IsoDate | None = None
    evidence: EvidenceList

    _until_after_from = field_validator("until")(_until_not_before_from)


class Group(Strict):
    id: Id
    name: Text
    kind: GroupKind
    purpose: Text | None = None
    reports_to: Id | None = None
    chair: Id | None = Field(default=None, description="post id of the chair")
    chair_rotates_between: list[Id] = Field(
        default_factory=list, description="organisation ids sharing a rotating chair")
    member_organisations: list[Id] = Field(default_factory=list)
    member_posts: list[Id] = Field(default_factory=list)
    evidence: EvidenceList


class LinkedBoard(Strict):
    id: Id
    name: Text
    kind: BoardKind
    statutory: bool | None = None
    link: Text | None = Field(default=None, description="what flows between the board and the partnership")
    evidence: EvidenceList


class Priority(Strict):
    id: Id
    name: Text
    lead_organisation: Id | None = None
    lead_post: Id | None = None
    delivered_by: Id | None = Field(default=None, description="group id")
    from_: IsoDate | None = Field(default=None, alias="from")
    until: IsoDate | None = None
    evidence: EvidenceList

    _until_after_from = field_validator("until")(_until_not_before_from)


class SignOff(Strict):
    post: Id = Field(description="post id of the signatory, in the capacity they signed")
    date: IsoDate | None = None
    planned: bool = Field(default=False, description="stated as intended, not yet evidenced as done")
    evidence: EvidenceList

    @model_validator(mode="after")
    def _dated_unless_planned(self) -> "SignOff":
        if not self.planned and self.date is None:
            raise ValueError("this sign-off has no date. Fix: add 'date:' with the day it was signed, "
                             "or 'planned: true' if it is only intended.")
        return self


class Submission(Strict):
    recipient: Id = Field(description="organisation id (national bodies are predefined, e.g. national-panel)")
    sent: IsoDate | None = None
    planned: bool = False
    within_days: int | None = Field(default=None, ge=0, le=366, description="stated intention, e.g. 7")
    evidence: EvidenceList

    @model_validator(mode="after")
    def _dated_unless_planned(self) -> "Submission":
        if not self.planned and self.sent is None:
            raise ValueError("this submission has no 'sent' date. Fix: add 'sent:' with the day it was sent, "
                             "or 'planned: true' if it is only intended.")
        return self


class Covers(Strict):
    start: IsoDate
    end: IsoDate

    @field_validator("end")
    @classmethod
    def _end_after_start(cls, end: dt.date, info: ValidationInfo) -> dt.date:
        start = info.data.get("start")
        if start is not None and end <= start:
            raise ValueError(f"'covers' ends on {end}, which is not after its start {start}. "
                             "Fix: 'start' is the first day the document covers and 'end' the last.")
        return end


class Section(Strict):
    """A section a document has, by topic. A heading with nothing under it is not a section."""

    topic: SectionTopic
    heading: Text | None = Field(default=None, description="the heading as the document writes it")
    has_content: bool = Field(default=True, description="false when the heading is there but empty")
    evidence: EvidenceList


class Statement(Strict):
    """A statement a document makes, kept as written so that it can be checked for consistency:
    periods against the report presented, guidance editions against those that exist, bodies
    against when they ceased, figures against the period. Record what the document says, not
    what it should have said."""

    kind: StatementKind
    value: Text = Field(description="as the document writes it, e.g. '2020-21', 'Working Together 2024'")
    as_at: IsoDate | None = Field(
        default=None, description="the date the figure (or a historical naming) refers to; a month or a "
                                  "year only: the last day of it")
    evidence: EvidenceList


class Document(Strict):
    id: Id
    kind: DocumentKind
    title: Text
    covers: Covers | None = None
    published: DateValue | None = Field(
        default=None, description="publication date; approximately: a month (2023-09), a year (2023) or "
                                  "{not_later_than: 2023-09-30}")
    published_by: list[Id] | Literal["all-statutory-partners"] = Field(
        default_factory=list, description="who published it, as the document states (e.g. 'published by the "
                                          "statutory partners'): organisation ids, or all-statutory-partners")
    url: Annotated[str, Field(pattern=r"^https?://[^\s<>\"{}|\\^`]+$")] | None = None
    presents: Id | None = Field(default=None, description="for a cover report: the document it presents")
    presented_to: Text | None = None
    presented_on: DateValue | None = None
    contributors: list[Id] = Field(default_factory=list, description="post ids that contributed")
    authors: list[Id] = Field(
        default_factory=list, description="post ids that wrote (or co-wrote) the document, beyond contributing a section")
    sign_offs: list[SignOff] = Field(default_factory=list)
    submissions: list[Submission] = Field(default_factory=list)
    sections: list[Section] = Field(default_factory=list, description="what the document covers, by topic")
    first_published: IsoDate | None = Field(default=None, description="arrangements: first publication")
    implemented: IsoDate | None = Field(default=None, description="arrangements: date implemented")
    last_reviewed: DateValue | None = Field(default=None, description="arrangements: last review")
    revised_for: Literal["WT2018", "WT2023"] | None = Field(
        default=None, description="the edition of Working Together this version was revised to meet")
    reports_on: list[Id] = Field(default_factory=list, description="practice review ids the report covers")
    accessible_version: bool | None = Field(default=None, description="a plain-language or accessible version exists")
    statements: list[Statement] = Field(
        default_factory=list, description="what the document states, as written (periods, guidance, bodies, figures)")
    responds_to: list[Id] = Field(
        default_factory=list, description="ids of entries under 'challenges' the document reports on or answers")
    evidence: EvidenceList


class PreviousReport(Strict):
    """The last yearly report before this period, for the 12-month rule."""

    title: Text
    published: DateValue | None = Field(
        default=None, description="publication date (approximate forms allowed); when unknown, record the "
                                  "meetings that received the report under 'meetings' (received: [previous-report])")
    covers: Covers | None = Field(default=None, description="the period the previous report covered")
    evidence: EvidenceList


class Money(Strict):
    amount: Annotated[Decimal, Field(ge=0, max_digits=14, decimal_places=2)]
    currency: Annotated[str, Field(pattern=r"^[A-Z]{3}$")] = "GBP"


class Contribution(Strict):
    contributor: Id = Field(description="organisation id")
    amount: Money
    kind: FundingKind = FundingKind.cash
    one_off: bool = False
    evidence: EvidenceList


class Expenditure(Strict):
    item: Text
    amount: Money
    evidence: EvidenceList


class Funding(Strict):
    financial_year: Annotated[str, Field(pattern=PERIOD_PATTERN)]
    contributions: list[Contribution] = Field(default_factory=list)
    expenditure: list[Expenditure] = Field(default_factory=list)
    stated_income_total: Money | None = None
    stated_expenditure_total: Money | None = None
    evidence: EvidenceList

    _year = field_validator("financial_year")(_consecutive_years)

    @model_validator(mode="after")
    def _one_currency(self) -> "Funding":
        money = [c.amount for c in self.contributions] + [e.amount for e in self.expenditure]
        money += [m for m in (self.stated_income_total, self.stated_expenditure_total) if m]
        currencies = sorted({m.currency for m in money})
        if len(currencies) > 1:
            raise ValueError(f"amounts are in more than one currency ({', '.join(currencies)}). "
                             "Fix: state every amount in one currency (normally GBP).")
        return self


class SeriousIncident(Strict):
    """A serious incident, by an id only (never the child's details): dates and decisions."""

    id: Id
    la_aware: IsoDate | None = Field(default=None, description="date the local authority became aware")
    outcome: IncidentOutcome | None = None
    abuse_or_neglect: Literal["known", "suspected"] | None = None
    looked_after: bool = Field(default=False, description="the child was looked after")
    meets_notification_criteria: bool | None = None
    notified: IsoDate | None = Field(default=None, description="date the LA notified the national Panel")
    notified_to: list[Id] = Field(default_factory=list, description="recipients, e.g. national-panel, ofsted, dfe")
    partners_told: IsoDate | None = Field(default=None, description="date the safeguarding partners were told")
    denotified: bool = Field(default=False, description="found not to meet the criteria after notification")
    evidence: EvidenceList


class RapidReview(Strict):
    id: Id
    incident: Id | None = None
    started: IsoDate | None = Field(default=None, description="date the rapid review started")
    completed: IsoDate | None = None
    sent_to_panel: IsoDate | None = None
    criteria_considered: list[Literal["a", "b", "c", "d"]] = Field(
        default_factory=list, description="SI 2018/789 reg 11 criteria (a)-(d) the partners considered")
    immediate_action_considered: bool | None = None
    learning_identified: bool | None = None
    decision: Literal["initiate", "do-not-initiate", "pending"] | None = Field(
        default=None, description="decision on a local child safeguarding practice review")
    decision_date: IsoDate | None = None
    decision_rationale: Text | None = None
    evidence: EvidenceList


class ProgressCheck(Strict):
    """Partners checking an ongoing practice review's timeliness and quality (reg 14)."""

    date: IsoDate
    aspects: list[Literal["time", "quality"]] = Field(min_length=1)
    evidence: EvidenceList


class ReviewerRequest(Strict):
    """A request to the reviewer for information or a draft (reg 14): must be in writing."""

    date: IsoDate
    in_writing: bool
    evidence: EvidenceList


class Departure(Strict):
    """A recorded, reasoned departure from statutory guidance (CA04 s16K: have regard to it)."""

    requirement: Annotated[str, Field(pattern=r"^WT(18|23)-[A-Z]{2,6}-[0-9]{2}$")]
    reason: Text
    evidence: EvidenceList


class InformationRequest(Strict):
    """A safeguarding partner's request for information (CA04 s16H)."""

    id: Id
    requester: Id
    recipient: Id
    date: IsoDate
    purpose: Text | None = None
    complied: bool | None = None
    evidence: EvidenceList


class PracticeReview(Strict):
    """A local child safeguarding practice review, named only by its published pseudonym or title."""

    id: Id
    title: Text
    decided: IsoDate | None = Field(default=None, description="date of the decision to initiate it")
    completed: IsoDate | None = None
    published: IsoDate | None = None
    published_year: Annotated[int, Field(ge=2018, le=2100)] | None = None
    status: ReviewStatus
    thematic: bool = False
    rapid_review: Id | None = Field(default=None, description="the rapid review that decided on it")
    sent_to_panel: IsoDate | None = Field(default=None, description="final report sent to the national Panel")
    sent_to_secretary_of_state: IsoDate | None = None
    publication_withheld: bool = Field(default=False, description="partners judged publication inappropriate")
    improvements_published: IsoDate | None = Field(
        default=None, description="if withheld: date information about improvements was published")
    available_until: IsoDate | None = Field(default=None, description="last date the report was online")
    still_online: bool | None = Field(default=None, description="online on the as-of date")
    delay_reason: Text | None = None
    progress_checks: list[ProgressCheck] = Field(default_factory=list)
    information_requests: list[ReviewerRequest] = Field(default_factory=list)
    evidence: EvidenceList


class TeamMember(Strict):
    """A member of a multi-agency child protection team, by role (a post, not a name, is enough)."""

    role: TeamRole
    nominated_by: Id | None = Field(default=None, description="organisation id of the nominating body")
    post: Id | None = Field(default=None, description="post id, if the member holds a recorded post")
    evidence: EvidenceList


class ChildProtectionTeam(Strict):
    """A multi-agency child protection team established under the arrangements (CWSA 2026 s3)."""

    id: Id
    name: Text
    areas: list[Id] = Field(default_factory=list, description="ids of partnership areas it covers")
    members: list[TeamMember] = Field(default_factory=list)
    from_: IsoDate | None = Field(default=None, alias="from")
    until: IsoDate | None = None
    evidence: EvidenceList

    _until_after_from = field_validator("until")(_until_not_before_from)


class ActivityCount(Strict):
    """An aggregate figure the report states for the period (never child-level data)."""

    measure: CountMeasure
    value: Annotated[Decimal, Field(ge=0)]
    label: Text | None = None
    stated_period: Annotated[str, Field(max_length=20), AfterValidator(single_line_text)] | None = Field(
        default=None, description="the period as the source writes it, e.g. '23-23'")
    evidence: EvidenceList


class DataSet(Strict):
    id: Id
    name: Text
    owner_group: Id | None = None
    frequency: Literal["monthly", "quarterly", "annually", "other"] | None = None
    contributors: int | None = Field(default=None, ge=0)
    disaggregated_by: list[Text] = Field(default_factory=list)
    evidence: EvidenceList


class ChallengeResponse(Strict):
    """What the partnership has said it will do about a gap or concern."""

    action: Text
    owner: Id | None = Field(default=None, description="post id of whoever owns the action")
    priority: Id | None = Field(default=None, description="priority id the action is part of")
    due: IsoDate | None = None
    evidence: EvidenceList


class Challenge(Strict):
    """A gap the partnership admits, or a concern, finding or dispute raised with it, as the source
    states it. Never child-identifying: refer to an incident or review by its id only."""

    id: Id
    kind: ChallengeKind
    summary: Text = Field(description="the gap or concern in a sentence, as the source puts it")
    raised_by: Text = Field(description="the body that raised it, e.g. 'Children and Education Scrutiny "
                                        "Sub-Committee', 'Ofsted (JTAI)', or the partnership itself")
    external: bool | None = Field(default=None, description="raised by a body outside the partnership "
                                  "(default: every kind except acknowledged-gap)")
    raised_on: IsoDate = Field(description="the date it was raised (meeting, letter or report date)")
    about: Id | None = Field(default=None, description="id of the incident, review, group or document it is about")
    response: ChallengeResponse | None = None
    evidence: EvidenceList

    @property
    def is_external(self) -> bool:
        return self.external if self.external is not None else self.kind is not ChallengeKind.acknowledged_gap


class Meeting(Strict):
    """A meeting of a committee or board that received a document, e.g. a council scrutiny committee
    receiving the partnership's yearly report: the report was published no later than that."""

    id: Id
    body: Text = Field(description="the committee or board, e.g. 'Children and Young People Scrutiny Committee'")
    date: DateValue
    received: Annotated[list[Id], Field(min_length=1)] = Field(
        description="ids of the documents it received; previous-report for the entry under 'previous_report'")
    evidence: EvidenceList


class PartnershipYear(Strict):
    """One partnership's arrangements and activity over one reporting year."""

    schema_version: Literal[1] = 1
    partnership: Partnership
    period: Period
    as_of: IsoDate | None = Field(default=None, description="date the information is correct at")
    sources: Annotated[list[Source], Field(min_length=1)]
    organisations: list[Organisation] = Field(default_factory=list)
    safeguarding_partners: list[SafeguardingPartner] = Field(default_factory=list)
    people: list[Person] = Field(default_factory=list)
    posts: list[Post] = Field(default_factory=list)
    scrutiny_arrangements: list[ScrutinyArrangement] = Field(
        default_factory=list, description="how independent scrutiny is arranged, besides scrutineer posts")
    groups: list[Group] = Field(default_factory=list)
    linked_boards: list[LinkedBoard] = Field(default_factory=list)
    priorities: list[Priority] = Field(default_factory=list)
    documents: list[Document] = Field(default_factory=list)
    previous_report: PreviousReport | None = None
    funding: Funding | None = None
    serious_incidents: list[SeriousIncident] = Field(default_factory=list)
    rapid_reviews: list[RapidReview] = Field(default_factory=list)
    practice_reviews: list[PracticeReview] = Field(default_factory=list)
    multi_agency_teams: list[ChildProtectionTeam] = Field(
        default_factory=list, description="multi-agency child protection teams (CWSA 2026 s3, once commenced)")
    activity_counts: list[ActivityCount] = Field(default_factory=list)
    data_sets: list[DataSet] = Field(default_factory=list)
    departures: list[Departure] = Field(default_factory=list)
    information_requests: list[InformationRequest] = Field(default_factory=list)
    meetings: list[Meeting] = Field(
        default_factory=list, description="committee or board meetings that received a document (a yearly report, "
                                          "the arrangements): evidence of publication no later than the meeting")
    challenges: list[Challenge] = Field(
        default_factory=list, description="gaps the partnership admits and concerns raised with it (scrutiny, "
                                          "inspection, disputed decisions), each with the body that raised it")


