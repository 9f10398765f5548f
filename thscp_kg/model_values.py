"""The data model's enumerations, patterns and date helpers, and what its values do: everything of
``model`` that the rest of a run reads, without pydantic.

``model`` defines the data format with pydantic and validates a file; the run then reads a plain
copy of the validated year (thscp_kg/plain.py), whose enumerations are these and whose approximate
dates are ``PlainApproximateDate``. ``ApproximateDateReads`` holds the methods both the model and
its copy have, so ``isinstance(value, ApproximateDateReads)`` tells either apart from an exact day.
"""
from __future__ import annotations

import datetime as dt
import re
from enum import Enum

from .plain import Plain, plain_kind

FIRST_YEAR, LAST_YEAR = 2000, 2100  # working days are counted to these dates: bound them


def year_in_range(value: dt.date) -> str | None:
    """Why the date's year is refused, or None when it is between FIRST_YEAR and LAST_YEAR."""
    if FIRST_YEAR <= value.year <= LAST_YEAR:
        return None
    return f"the year {value.year} is outside {FIRST_YEAR}–{LAST_YEAR}"


ID_PATTERN = r"^[a-z0-9][a-z0-9-]{0,62}$"
PERIOD_PATTERN = r"^([0-9]{4})-([0-9]{2})$"
_DATE_RE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
_MONTH_RE = re.compile(r"([0-9]{4})-([0-9]{2})")
_MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
           "November", "December")
BOUND_KEYS = {"not_later_than": "not later than", "since_at_least": "since at least"}


def _words(written: str) -> str:
    for words in BOUND_KEYS.values():
        if written.startswith(words + " "):
            return f"{words} {_words(written[len(words) + 1:])}"
    if _DATE_RE.fullmatch(written):
        day = dt.date.fromisoformat(written)
        return f"{day.day} {_MONTHS[day.month - 1]} {day.year}"
    m = _MONTH_RE.fullmatch(written)
    return f"{_MONTHS[int(m.group(2)) - 1]} {m.group(1)}" if m else written


def earliest_day(value: dt.date | ApproximateDateReads | None) -> dt.date | None:
    """The earliest possible day of an exact or approximate date (None when unbounded or missing)."""
    return value.earliest if isinstance(value, ApproximateDateReads) else value


def latest_day(value: dt.date | ApproximateDateReads | None) -> dt.date | None:
    """The latest possible day of an exact or approximate date (None when unbounded or missing)."""
    return value.latest if isinstance(value, ApproximateDateReads) else value


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


class Role(str, Enum):
    lead_safeguarding_partner = "lead-safeguarding-partner"
    delegated_safeguarding_partner = "delegated-safeguarding-partner"
    partnership_chair = "partnership-chair"
    independent_scrutineer = "independent-scrutineer"
    young_scrutineer = "young-scrutineer"
    business_unit = "business-unit"
    other = "other"


class ScrutinyKind(str, Enum):
    """How independent scrutiny is arranged (CA04 s16G asks for arrangements, not a model)."""

    independent_scrutineer = "independent-scrutineer"      # one scrutineer (also recordable as a post)
    several_scrutineers = "several-scrutineers"
    commissioned_reviewer = "commissioned-reviewer"        # a reviewer commissioned for the purpose
    agency = "agency"                                      # an external agency or organisation
    other = "other"


class GroupKind(str, Enum):
    executive = "executive"
    sub_group = "sub-group"
    panel = "panel"
    forum = "forum"
    task_and_finish = "task-and-finish"
    wider_partnership = "wider-partnership"


class BoardKind(str, Enum):
    safeguarding_adults_board = "safeguarding-adults-board"
    health_and_wellbeing_board = "health-and-wellbeing-board"
    community_safety_partnership = "community-safety-partnership"
    children_and_families_partnership = "children-and-families-partnership"
    other = "other"


class DocumentKind(str, Enum):
    yearly_report = "yearly-report"
    arrangements = "arrangements"
    threshold_document = "threshold-document"
    scrutiny_plan = "scrutiny-plan"
    budget = "budget"
    scrutiny_report = "scrutiny-report"
    cover_report = "cover-report"
    other = "other"


class SectionTopic(str, Enum):
    """What a section of published arrangements or a yearly report covers (requirements.md §4-§6)."""

    # Published arrangements (CA04 s16E(2); WT2018 contents list; WT2023 additions, M)
    partner_details = "partner-details"
    geographical_area = "geographical-area"
    working_together = "working-together"
    needs_identification = "needs-identification"
    practice_review_arrangements = "practice-review-arrangements"
    independent_scrutiny = "independent-scrutiny"
    relevant_agencies = "relevant-agencies"
    education_inclusion = "education-inclusion"
    youth_custody_and_residential = "youth-custody-and-residential"
    data_and_intelligence = "data-and-intelligence"
    training = "training"
    threshold_alignment = "threshold-alignment"
    information_requests = "information-requests"
    dispute_resolution = "dispute-resolution"
    lead_and_delegated_partners = "lead-and-delegated-partners"
    partnership_chair = "partnership-chair"
    funding = "funding"
    scrutiny_plan = "scrutiny-plan"
    voice_of_children_and_families = "voice-of-children-and-families"
    # Yearly report (CA04 s16G core; WT2018's four items; WT2023's focus, M)
    activity = "activity"
    effectiveness = "effectiveness"
    practice_reviews = "practice-reviews"
    impact_evidence = "impact-evidence"
    progress_gaps = "progress-gaps"
    review_actions = "review-actions"
    child_family_feedback = "child-family-feedback"
    priorities = "priorities"
    learning = "learning"
    improvement = "improvement"
    scrutiny_findings = "scrutiny-findings"
    plan_for_next_year = "plan-for-next-year"
    other = "other"


class StatementKind(str, Enum):
    """What a document says about itself or the world, recorded for the consistency checks (DOC-*)."""

    stated_period = "stated-period"      # the period the document says it (or the work it reports) covers
    presents_period = "presents-period"  # the period of the report it presents, appends or summarises
    cites_guidance = "cites-guidance"    # guidance it cites, as written, e.g. "Working Together 2023"
    names_body = "names-body"            # a body it names as existing at its date, e.g. an employer
    figure = "figure"                    # a figure it states, with the date the figure is for (as_at)


class FundingKind(str, Enum):
    cash = "cash"
    grant = "grant"
    in_kind = "in-kind"


class ReviewStatus(str, Enum):
    in_progress = "in-progress"
    completed = "completed"
    published = "published"


class IncidentOutcome(str, Enum):
    death = "death"
    serious_harm = "serious-harm"


class TeamRole(str, Enum):
    """A member's role in a multi-agency child protection team (Children's Wellbeing and Schools Act
    2026 s3: the core members are one of each of the first four)."""

    education = "education"                      # experience in education in relation to children
    social_worker = "social-worker"              # experience in social work in relation to children
    health_professional = "health-professional"  # a registered health professional
    police_officer = "police-officer"
    other = "other"


class CountMeasure(str, Enum):
    rapid_reviews = "rapid-reviews"
    practice_reviews = "practice-reviews"
    training_sessions = "training-sessions"
    contacts = "contacts"
    referral_rate_per_10k = "referral-rate-per-10k"
    child_in_need_rate_per_10k = "child-in-need-rate-per-10k"
    other = "other"


class ChallengeKind(str, Enum):
    """Where a weakness comes from: the partnership itself, or a body that holds it to account."""

    acknowledged_gap = "acknowledged-gap"        # a weakness the partnership names itself
    scrutiny_concern = "scrutiny-concern"        # raised by a council scrutiny committee or the scrutineer
    inspection_finding = "inspection-finding"    # JTAI, Ofsted, HMICFRS, CQC
    disputed_decision = "disputed-decision"      # e.g. whether an incident was notifiable
    other = "other"


PREVIOUS_REPORT = "previous-report"   # how a meeting refers to the entry under 'previous_report'


def in_force(item, day: dt.date) -> bool:
    """True when ``item`` (anything with ``from_`` and ``until``, either open) covers ``day``."""
    # Approximate bounds (a tenure 'since at least April 2021', 'until 2023'): covered for certain only.
    start = latest_day(item.from_) or earliest_day(item.from_)
    end = earliest_day(item.until) or latest_day(item.until)
    return (start is None or start <= day) and (end is None or day <= end)


class ApproximateDateReads:
    """What an approximate date does, for the model (``model.ApproximateDate``) and its plain copy:
    ``earliest``, ``latest``, ``precision`` and ``written`` are their values."""

    def isoformat(self) -> str:        # shown as written wherever a date would be
        return self.written

    def __str__(self) -> str:
        return self.written

    @property
    def text(self) -> str:
        """In words: 'May 2022', '2022', 'not later than 30 September 2023', 'since at least April 2021'."""
        return _words(self.written)

    def to_data(self) -> object:
        """Back to the data format (for files thscp-kg writes, e.g. new-year)."""
        for key, words in BOUND_KEYS.items():
            if self.written.startswith(words + " "):
                return {key: self.written[len(words) + 1:]}
        return int(self.written) if self.written.isdigit() else self.written


@plain_kind
class PlainApproximateDate(Plain, ApproximateDateReads):
    pass
