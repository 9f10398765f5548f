"""The edition profile's pydantic models: what ``rules.profile.load_profile`` validates a profile file
with. The run reads the validated profile's plain copy (thscp_kg/plain.py), whose methods are the
mixins of ``rules.reads``, shared with these models."""
from __future__ import annotations

import re
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator

from ..model import IsoDate
from ..model_values import ScheduleCategory, SectionTopic
from .reads import CommencementReads, EditionReads, ProfileReads, RelevantAgencyScheduleReads

Verification = str


class _Strict(BaseModel):
    # defer_build: see thscp_kg/model.py; a cold run takes the validated profile from the compiled cache.
    model_config = ConfigDict(extra="forbid", frozen=True, defer_build=True)


class Revision(_Strict):
    """A dated revision of an edition: not a new edition, but findings judged on or after it name it."""

    date: IsoDate
    note: str
    verification: str = Field(pattern=r"^[VSMC](/[VSMC])*$")
    source: Annotated[str, Field(pattern=r"^https?://\S+$")] | None = None


class Edition(EditionReads, _Strict):
    id: str = Field(pattern=r"^WT\d{4}$")
    title: str
    in_force_from: IsoDate
    verification: str = Field(pattern=r"^[VSMC](/[VSMC])?$")
    publication: Annotated[str, Field(pattern=r"^https?://\S+$")] | None = Field(
        default=None, description="the gov.uk publication of the edition")
    revisions: list[Revision] = Field(default_factory=list)


class HealthPartner(_Strict):
    icb_from: IsoDate
    verification: str


class Transition(_Strict):
    revised_arrangements_by: IsoDate
    verification: str


class RecipientGroup(_Strict):
    any_of: list[str] = Field(min_length=1)


class Recipients(_Strict):
    verification: str
    required: list[RecipientGroup]


class YearlyReportRules(_Strict):
    interval_months: int = Field(ge=1, le=24)
    interval_verification: str
    send_within_days: int = Field(ge=0, le=60)
    send_days_are: str = Field(pattern=r"^(calendar|working)$")
    send_verification: str
    recipients: dict[str, Recipients]


class ReviewRules(_Strict):
    notification_working_days: int = Field(ge=1, le=60)
    rapid_review_working_days: int = Field(ge=1, le=60)
    practice_review_months: int = Field(ge=1, le=24)
    pre_publication_working_days: int = Field(ge=0, le=60)
    online_for_months: int = Field(ge=1, le=60)
    verification: str
    rapid_review_clock_start: Literal["awareness", "notification"] = Field(
        default="awareness", description="awareness: the earliest date a safeguarding partner was aware (the "
        "guidance text); notification: the date the notification was sent to the Panel (the Panel's practice "
        "guidance). Sources conflict (C).")
    rapid_review_clock_start_verification: str = "C"


class ArrangementsRules(_Strict):
    first_publication_by: IsoDate
    implementation_by: IsoDate
    review_every_months: int = Field(ge=1, le=60)
    verification: str


class ReportTiming(_Strict):
    period_start_month_day: str = Field(pattern=r"^[0-9]{2}-[0-9]{2}$")
    period_end_month_day: str = Field(pattern=r"^[0-9]{2}-[0-9]{2}$")
    publish_by_month_day: str = Field(pattern=r"^[0-9]{2}-[0-9]{2}$")
    verification: str


class ContentRule(_Strict):
    requirement: str
    document: Literal["arrangements", "yearly-report"]
    editions: list[str] = Field(min_length=1)
    topics: list[SectionTopic] = Field(min_length=1)


class FormerBody(_Strict):
    """A body that no longer exists: naming it as current after ``ceased_after`` is a DOC-06 finding."""

    id: str = Field(pattern=r"^[a-z0-9][a-z0-9-]{0,62}$")
    name: str
    ceased_after: IsoDate = Field(description="the last day the body existed")
    names: list[str] = Field(min_length=1, description="regular expressions (case-insensitive) for how "
                             "documents write its name")
    except_names: list[str] = Field(default_factory=list, description="regular expressions naming a "
                                    "successor body that the patterns above would also match")
    verification: str = Field(pattern=r"^[VSMC](/[VSMC])?$")
    note: str | None = None

    @field_validator("names", "except_names")
    @classmethod
    def _patterns_compile(cls, patterns: list[str]) -> list[str]:
        return [_regex(p) for p in patterns]


def _regex(pattern: str) -> str:
    try:
        re.compile(pattern)
    except re.error as exc:
        raise ValueError(f"'{pattern}' is not a regular expression ({exc})") from None
    return pattern


class ScheduleVersion(_Strict):
    """The Schedule to SI 2018/789 as in force between two dates: the headings of the kinds of person
    that can be relevant agencies (CA04 s16E(3)(a))."""

    from_: IsoDate = Field(alias="from")
    until: IsoDate | None = None
    categories: list[ScheduleCategory] = Field(min_length=1)
    verification: str = Field(pattern=r"^[VSMC](/[VSMC])*$")
    source: Annotated[str, Field(pattern=r"^https?://\S+$")] | None = None


class RelevantAgencySchedule(RelevantAgencyScheduleReads, _Strict):
    versions: list[ScheduleVersion] = Field(min_length=1)


class Commencement(CommencementReads, _Strict):
    """A provision that is law but comes into force on a day appointed by regulations."""

    title: str
    short: str = Field(description="how the look-ahead names it, e.g. 's2'")
    in_force_from: IsoDate | None = Field(default=None, description="null: not commenced")
    verification: str = Field(pattern=r"^[VSMC](/[VSMC])*$")
    source: Annotated[str, Field(pattern=r"^https?://\S+$")] | None = None
    note: str | None = None


class DocumentRules(_Strict):
    """Parameters of the document-consistency checks (catalogue area DOC)."""

    stale_figure_years: int = Field(ge=1, le=30, description="a figure dated more than this many years "
                                    "before the start of the period the document covers is stale (DOC-05)")
    stale_figure_verification: str
    guidance_pattern: str = Field(description="regular expression: which cited guidance DOC-04 judges")
    guidance_editions: list[int] = Field(min_length=1, description="years of the editions that exist")
    guidance_verification: str
    former_bodies: list[FormerBody] = Field(default_factory=list)

    _pattern_compiles = field_validator("guidance_pattern")(lambda v: _regex(v))


class Profile(ProfileReads, _Strict):
    id: str
    title: str
    editions: list[Edition] = Field(min_length=1)
    health_partner: HealthPartner
    transition: Transition
    yearly_report: YearlyReportRules
    reviews: ReviewRules
    arrangements: ArrangementsRules
    yearly_report_timing: ReportTiming
    contents: list[ContentRule]
    documents: DocumentRules | None = Field(default=None, description="document-consistency parameters; "
                                            "without them DOC-04 to DOC-06 have nothing to compare")
    require_evidence: bool = Field(default=False, description="every fact must cite evidence (EVID-02), "
                                   "as with check --require-evidence")
    relevant_agency_schedule: RelevantAgencySchedule | None = Field(
        default=None, description="the Schedule to SI 2018/789 by date; without it CA04-16E-05-b has nothing to compare")
    commencement: dict[str, Commencement] = Field(
        default_factory=dict, description="provisions commenced by regulations, by key (catalogue 'commences')")
