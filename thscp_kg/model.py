"""The partnership-year data format: what a business unit writes in ``data/<id>/<period>.yaml``.

These pydantic models are the single definition of the format. The loader validates with
them, and ``schema/partnership-year.schema.json`` (for editors) is generated from them
(``thscp-kg schema``); a test keeps the two in step.

Conventions for the people who maintain the files: ids are lowercase words joined by
hyphens and are how entries refer to each other; dates are ISO ``YYYY-MM-DD``; money is a
number plus a currency code; every fact carries ``evidence`` naming a source and section.
"""
from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal
from enum import Enum
from typing import Annotated, Literal

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, model_validator

ID_PATTERN = r"^[a-z0-9][a-z0-9-]{0,62}$"
PERIOD_PATTERN = r"^(\d{4})-(\d{2})$"
_DATE_RE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def _iso_date(value: object) -> object:
    if isinstance(value, dt.date) and not isinstance(value, dt.datetime):
        return value
    if not isinstance(value, str) or not _DATE_RE.match(value):
        raise ValueError(f"'{value}' is not a date; write dates as YYYY-MM-DD")
    try:
        return dt.date.fromisoformat(value)
    except ValueError as exc:
        raise ValueError(f"'{value}' is not a real calendar date ({exc})") from None


IsoDate = Annotated[dt.date, BeforeValidator(_iso_date)]
Id = Annotated[str, Field(pattern=ID_PATTERN, description="lowercase letters, digits and hyphens")]
Text = Annotated[str, Field(min_length=1, max_length=2000)]


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, str_strip_whitespace=True)


class Evidence(Strict):
    """Where a fact comes from: a declared source and the section (or page) within it."""

    source: Id = Field(description="id of an entry under 'sources'")
    section: Text = Field(description="section heading, paragraph or page in the source")
    quote: Annotated[str, Field(max_length=500)] | None = Field(
        default=None, description="short quotation backing the fact (optional)")


EvidenceList = Annotated[list[Evidence], Field(default_factory=list)]


class Source(Strict):
    id: Id
    title: Text
    file: Annotated[str, Field(pattern=r"^[A-Za-z0-9_.-]{1,120}$")] | None = Field(
        default=None, description="file name in the shared sources folder")
    url: Annotated[str, Field(pattern=r"^https?://[^\s<>\"{}|\\^`]+$")] | None = None
    date: IsoDate | None = None


class Area(Strict):
    id: Id
    name: Text
    evidence: EvidenceList


class Partnership(Strict):
    id: Id
    name: Text
    short_name: Annotated[str, Field(max_length=40)] | None = None
    areas: Annotated[list[Area], Field(min_length=1)]
    evidence: EvidenceList


class Period(Strict):
    id: Annotated[str, Field(pattern=PERIOD_PATTERN, description="e.g. 2023-24")]
    start: IsoDate
    end: IsoDate

    @model_validator(mode="after")
    def _ordered(self) -> "Period":
        if self.end <= self.start:
            raise ValueError(f"period end {self.end} is not after its start {self.start}")
        first, second = re.match(PERIOD_PATTERN, self.id).groups()  # type: ignore[union-attr]
        if (int(first) + 1) % 100 != int(second):
            raise ValueError(f"period id '{self.id}' is not two consecutive years (e.g. 2023-24)")
        return self


class OrganisationKind(str, Enum):
    local_authority = "local-authority"
    integrated_care_board = "integrated-care-board"
    clinical_commissioning_group = "clinical-commissioning-group"
    police = "police"
    relevant_agency = "relevant-agency"
    education = "education"
    voluntary_sector = "voluntary-sector"
    national_body = "national-body"
    other = "other"


class ScheduleCategory(str, Enum):
    """Headings of the Schedule to SI 2018/789 (relevant agencies); see requirements.md REG18-18."""

    education_and_childcare = "education-and-childcare"
    health_and_social_care = "health-and-social-care"
    criminal_justice = "criminal-justice"
    police_and_immigration = "police-and-immigration"
    miscellaneous = "miscellaneous"


class Organisation(Strict):
    id: Id
    name: Text
    kind: OrganisationKind
    areas: list[Id] = Field(default_factory=list, description="ids of partnership areas it operates in")
    schedule_category: ScheduleCategory | None = None
    from_: IsoDate | None = Field(default=None, alias="from")
    until: IsoDate | None = None
    evidence: EvidenceList


class SafeguardingPartner(Strict):
    organisation: Id
    from_: IsoDate | None = Field(default=None, alias="from")
    until: IsoDate | None = None
    evidence: EvidenceList


class Person(Strict):
    """A named person. Adults in public roles only: never a child or a family member."""

    id: Id
    name: Text
    evidence: EvidenceList


class Role(str, Enum):
    lead_safeguarding_partner = "lead-safeguarding-partner"
    delegated_safeguarding_partner = "delegated-safeguarding-partner"
    partnership_chair = "partnership-chair"
    independent_scrutineer = "independent-scrutineer"
    young_scrutineer = "young-scrutineer"
    business_unit = "business-unit"
    other = "other"


class Tenure(Strict):
    person: Id
    from_: IsoDate | None = Field(default=None, alias="from")
    until: IsoDate | None = None
    interim: bool = False
    evidence: EvidenceList


class Post(Strict):
    id: Id
    title: Text
    organisation: Id | None = Field(default=None, description="organisation the post is in")
    role: Role = Role.other
    for_partner: Id | None = Field(
        default=None, description="safeguarding partner organisation the role is held for")
    holders: list[Tenure] = Field(default_factory=list)
    evidence: EvidenceList


class GroupKind(str, Enum):
    executive = "executive"
    sub_group = "sub-group"
    panel = "panel"
    forum = "forum"
    task_and_finish = "task-and-finish"
    wider_partnership = "wider-partnership"


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


class BoardKind(str, Enum):
    safeguarding_adults_board = "safeguarding-adults-board"
    health_and_wellbeing_board = "health-and-wellbeing-board"
    community_safety_partnership = "community-safety-partnership"
    children_and_families_partnership = "children-and-families-partnership"
    other = "other"


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


class DocumentKind(str, Enum):
    yearly_report = "yearly-report"
    arrangements = "arrangements"
    threshold_document = "threshold-document"
    scrutiny_plan = "scrutiny-plan"
    budget = "budget"
    scrutiny_report = "scrutiny-report"
    cover_report = "cover-report"
    other = "other"


class SignOff(Strict):
    post: Id = Field(description="post id of the signatory, in the capacity they signed")
    date: IsoDate | None = None
    planned: bool = Field(default=False, description="stated as intended, not yet evidenced as done")
    evidence: EvidenceList

    @model_validator(mode="after")
    def _dated_unless_planned(self) -> "SignOff":
        if not self.planned and self.date is None:
            raise ValueError("a sign-off that happened needs its date; if it is only intended, set planned: true")
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
            raise ValueError("a submission that happened needs its 'sent' date; if it is only intended, set planned: true")
        return self


class Covers(Strict):
    start: IsoDate
    end: IsoDate

    @model_validator(mode="after")
    def _ordered(self) -> "Covers":
        if self.end <= self.start:
            raise ValueError(f"'covers' end {self.end} is not after its start {self.start}")
        return self


class Document(Strict):
    id: Id
    kind: DocumentKind
    title: Text
    covers: Covers | None = None
    published: IsoDate | None = None
    url: Annotated[str, Field(pattern=r"^https?://[^\s<>\"{}|\\^`]+$")] | None = None
    presents: Id | None = Field(default=None, description="for a cover report: the document it presents")
    presented_to: Text | None = None
    presented_on: IsoDate | None = None
    contributors: list[Id] = Field(default_factory=list, description="post ids that contributed")
    sign_offs: list[SignOff] = Field(default_factory=list)
    submissions: list[Submission] = Field(default_factory=list)
    evidence: EvidenceList


class PreviousReport(Strict):
    """The last yearly report before this period, for the 12-month rule."""

    title: Text
    published: IsoDate | None = None
    evidence: EvidenceList


class FundingKind(str, Enum):
    cash = "cash"
    grant = "grant"
    in_kind = "in-kind"


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

    @model_validator(mode="after")
    def _one_currency(self) -> "Funding":
        money = [c.amount for c in self.contributions] + [e.amount for e in self.expenditure]
        money += [m for m in (self.stated_income_total, self.stated_expenditure_total) if m]
        currencies = sorted({m.currency for m in money})
        if len(currencies) > 1:
            raise ValueError(f"funding mixes currencies ({', '.join(currencies)}); use one currency per year")
        return self


class ReviewStatus(str, Enum):
    in_progress = "in-progress"
    completed = "completed"
    published = "published"


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
    evidence: EvidenceList


class CountMeasure(str, Enum):
    rapid_reviews = "rapid-reviews"
    practice_reviews = "practice-reviews"
    training_sessions = "training-sessions"
    contacts = "contacts"
    referral_rate_per_10k = "referral-rate-per-10k"
    child_in_need_rate_per_10k = "child-in-need-rate-per-10k"
    other = "other"


class ActivityCount(Strict):
    """An aggregate figure the report states for the period (never child-level data)."""

    measure: CountMeasure
    value: Annotated[Decimal, Field(ge=0)]
    label: Text | None = None
    stated_period: Annotated[str, Field(max_length=20)] | None = Field(
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
    groups: list[Group] = Field(default_factory=list)
    linked_boards: list[LinkedBoard] = Field(default_factory=list)
    priorities: list[Priority] = Field(default_factory=list)
    documents: list[Document] = Field(default_factory=list)
    previous_report: PreviousReport | None = None
    funding: Funding | None = None
    practice_reviews: list[PracticeReview] = Field(default_factory=list)
    activity_counts: list[ActivityCount] = Field(default_factory=list)
    data_sets: list[DataSet] = Field(default_factory=list)
