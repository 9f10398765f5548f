"""Edition profiles: dated parameters of the rules (catalogue/profiles/*.yaml).

Which edition governs an action is decided here, by the action's date, so that a year
straddling 15 December 2023 is judged under WT2018 before and WT2023 after.
"""
from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from ..errors import ConfigError
from ..model import IsoDate, ScheduleCategory, SectionTopic
from ..resources import resource_dir
from ..yamlsafe import load_yaml

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


class Edition(_Strict):
    id: str = Field(pattern=r"^WT\d{4}$")
    title: str
    in_force_from: IsoDate
    verification: str = Field(pattern=r"^[VSMC](/[VSMC])?$")
    publication: Annotated[str, Field(pattern=r"^https?://\S+$")] | None = Field(
        default=None, description="the gov.uk publication of the edition")
    revisions: list[Revision] = Field(default_factory=list)

    def revision_on(self, day: dt.date) -> Revision | None:
        """The latest revision in force on ``day`` (None before the first)."""
        current = None
        for revision in sorted(self.revisions, key=lambda r: r.date):
            if revision.date <= day:
                current = revision
        return current

    def revision_note(self, day: dt.date) -> str | None:
        """What a finding judged on ``day`` says about the edition's revision (None before any)."""
        revision = self.revision_on(day)
        if revision is None:
            return None
        unreviewed = " (its changes are not yet reviewed: re-check this finding)" if "M" in revision.verification else ""
        return f"{self.id} as revised {revision.date.isoformat()}{unreviewed}"


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


class RelevantAgencySchedule(_Strict):
    versions: list[ScheduleVersion] = Field(min_length=1)

    def on(self, day: dt.date) -> ScheduleVersion | None:
        for version in self.versions:
            if version.from_ <= day and (version.until is None or day <= version.until):
                return version
        return None


class Commencement(_Strict):
    """A provision that is law but comes into force on a day appointed by regulations."""

    title: str
    short: str = Field(description="how the look-ahead names it, e.g. 's2'")
    in_force_from: IsoDate | None = Field(default=None, description="null: not commenced")
    verification: str = Field(pattern=r"^[VSMC](/[VSMC])*$")
    source: Annotated[str, Field(pattern=r"^https?://\S+$")] | None = None
    note: str | None = None

    def in_force_on(self, day: dt.date) -> bool:
        return self.in_force_from is not None and self.in_force_from <= day


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


class Profile(_Strict):
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

    def commenced(self, key: str, day: dt.date) -> bool:
        """Whether the provision ``key`` is in force on ``day`` (False when the profile does not know it)."""
        entry = self.commencement.get(key)
        return entry is not None and entry.in_force_on(day)

    def editions_between(self, start: dt.date, end: dt.date) -> list[str]:
        """Ids of every edition in force on some day from ``start`` to ``end`` (both included)."""
        ordered = sorted(self.editions, key=lambda e: e.in_force_from)
        out = []
        for i, edition in enumerate(ordered):
            until = ordered[i + 1].in_force_from - dt.timedelta(days=1) if i + 1 < len(ordered) else dt.date.max
            if (i == 0 or edition.in_force_from <= end) and start <= until:
                out.append(edition.id)
        return out

    def edition_on(self, day: dt.date) -> Edition:
        """The edition in force on ``day`` (the earliest edition for dates before all of them)."""
        ordered = sorted(self.editions, key=lambda e: e.in_force_from)
        current = ordered[0]
        for edition in ordered:
            if edition.in_force_from <= day:
                current = edition
        return current

    def edition(self, edition_id: str) -> Edition:
        return next(e for e in self.editions if e.id == edition_id)


@dataclass(frozen=True)
class LoadedProfile:
    profile: Profile
    file: str


def _merge(base: object, override: object) -> object:
    """A tailoring over a base profile: mappings merge key by key; anything else replaces."""
    if isinstance(base, dict) and isinstance(override, dict):
        out = dict(base)
        for key, value in override.items():
            out[key] = _merge(base.get(key), value) if key in base else value
        return out
    return override


def load_profile(path: Path | str | None = None) -> LoadedProfile:
    """A profile file. One that starts ``extends: default`` (or a path) holds only what it changes:
    e.g. a commencement date, or the rapid review clock start (OpenSCAP-style tailoring)."""
    path = Path(path) if path else resource_dir("catalogue") / "profiles" / "default.yaml"
    display = str(path) if path.is_absolute() is False else path.name
    doc = load_yaml(path, display)
    data = doc.data
    if isinstance(data, dict) and "extends" in data:
        base_name = str(data["extends"])
        base_path = (resource_dir("catalogue") / "profiles" / f"{base_name}.yaml" if "/" not in base_name
                     and not base_name.endswith(".yaml") else path.parent / base_name)
        if not base_path.is_file():
            raise ConfigError(f"profile: the profile it extends, '{base_name}', is not found.", file=display,
                              line=doc.line_of(("extends",)), fix="write 'extends: default' or a path to a profile file.")
        base = load_yaml(base_path, str(base_path)).data
        data = _merge(base, {k: v for k, v in data.items() if k != "extends"})
    try:
        from ..resources import validated

        here = Path(__file__).resolve()   # the profile's own types come from the data model too
        profile = validated("profile", Profile, data, [here, here.parent.parent / "model.py",
                                                         here.parent.parent / "safe_text.py"])
    except ValidationError as exc:
        err = exc.errors(include_url=False)[0]
        loc = tuple(err["loc"])
        raise ConfigError(f"profile: {err['msg']} (at {'.'.join(map(str, loc))}).", file=display,
                          line=doc.line_of(loc), fix="see catalogue/profiles/default.yaml for the format.") from None
    missing = {e.id for e in profile.editions} - set(profile.yearly_report.recipients)
    if missing:
        raise ConfigError(f"profile: no yearly report recipients for {', '.join(sorted(missing))}.",
                          file=display, fix="add them under yearly_report.recipients.")
    return LoadedProfile(profile, display)
