"""The pydantic models of the side files beside the data: ``waivers.yaml`` (load/waivers.py) and
``assessments.yaml``, ``signoffs.yaml``, ``actions.yaml`` (load/people.py). Those modules validate a
file with these and hand the run its plain copy (thscp_kg/plain.py), so a cold run with unchanged
files does not import pydantic."""
from __future__ import annotations

from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, model_validator

from ..model import Id, IsoDate, Text
from ..model_values import PERIOD_PATTERN
from .people import Judgement
from .waivers import FOCUS_PATTERN, MAX_DAYS


class _Strict(BaseModel):
    # Deferred: a cold run takes an unchanged file's plain copy from the compiled cache (waivers._validate).
    model_config = ConfigDict(extra="forbid", frozen=True, str_strip_whitespace=True, defer_build=True)


class Waiver(_Strict):
    id: Id
    requirement: Annotated[str, Field(pattern=r"^[A-Z0-9]+(-[A-Z0-9]+){1,3}$", max_length=40)]
    focus: Annotated[str, Field(pattern=FOCUS_PATTERN, description="the entity, as 'kind/id', e.g. document/x")]
    value: Annotated[str, Field(min_length=1, max_length=200)] | None = Field(
        default=None, description="narrow to one finding value (e.g. a recipient); default: every value")
    justification: Annotated[str, Field(min_length=20, max_length=2000)]
    author: Id = Field(description="post or person id of who wrote the waiver")
    approver: Id = Field(description="lead safeguarding partner: their post id or person id")
    date: IsoDate = Field(description="date the approver accepted the risk")
    expiry: IsoDate = Field(description="last day the waiver applies")
    review: Text | None = Field(default=None, description="what will be reviewed before expiry (optional)")

    @model_validator(mode="after")
    def _dates(self) -> "Waiver":
        if self.expiry < self.date:
            raise ValueError(f"expiry {self.expiry} is before the waiver's date {self.date}")
        if (self.expiry - self.date).days > MAX_DAYS:
            raise ValueError(f"expiry {self.expiry} is more than {MAX_DAYS} days after {self.date}; "
                             "waivers last one reporting cycle at most")
        if self.author == self.approver:
            raise ValueError("the approver must be distinct from the author")
        return self


class WaiverFile(_Strict):
    schema_version: int = Field(default=1, ge=1, le=1)
    waivers: list[Waiver] = Field(default_factory=list)


HASH_PATTERN = r"^sha256:[0-9a-f]{64}$"
Requirement = Annotated[str, Field(pattern=r"^[A-Z0-9]+(-[A-Z0-9]+){1,3}$", max_length=40)]
Focus = Annotated[str, Field(pattern=FOCUS_PATTERN, description="the entity, as 'kind/id'")]
Period = Annotated[str, Field(pattern=PERIOD_PATTERN)]


class EvidenceRef(_Strict):
    source: Id = Field(description="a source id from the data file")
    section: Text | None = None
    quote: Text | None = None


class AssessmentRecord(_Strict):
    requirement: Requirement
    entity: Focus | None = Field(default=None, description="the entity judged; default: the requirement as a whole")
    judgement: Judgement
    rationale: Annotated[str, Field(min_length=10, max_length=2000)]
    evidence: list[EvidenceRef] = Field(default_factory=list)
    assessor: Id = Field(description="the assessor's post id (or person id) in the data file")
    date: IsoDate


class SignoffRecord(_Strict):
    period: Period
    signer: Id = Field(description="a lead safeguarding partner: post id or person id")
    date: IsoDate
    report_hash: Annotated[str, Field(pattern=HASH_PATTERN)]


class ActionRecord(_Strict):
    id: Id
    period: Period = Field(description="the reporting year the action belongs to")
    action: Text
    owner: Id = Field(description="the owner's post id in the data file")
    due: IsoDate
    requirement: Requirement | None = None
    entity: Focus | None = None
    done: IsoDate | None = Field(default=None, description="the date it was done")
    carried_from: Period | None = Field(default=None, description="the year new-year carried it from")


class AssessmentFile(_Strict):
    schema_version: int = Field(default=1, ge=1, le=1)
    assessments: list[AssessmentRecord] = Field(default_factory=list)


class SignoffFile(_Strict):
    schema_version: int = Field(default=1, ge=1, le=1)
    signoffs: list[SignoffRecord] = Field(default_factory=list)


class ActionFile(_Strict):
    schema_version: int = Field(default=1, ge=1, le=1)
    actions: list[ActionRecord] = Field(default_factory=list)
