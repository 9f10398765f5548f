"""The requirements catalogue (catalogue/requirements/*.yaml) as frozen, validated entries.

Citations are data (docs/decisions/0019-citations-powers-commencement.md): each records the URL
of the text it was checked against, whether that text is the provision itself or a verbatim
reproduction, the date checked and the words quoted. Verification status is computed from that
record, never stated: V only with the provision's own text, S with a reproduction, M without a
record (believed, UNVERIFIED), C where sources conflict; an aspect the record does not establish
adds M. A requirement's status combines its citations'.
"""
from __future__ import annotations

import datetime as dt
import re
from functools import lru_cache
from pathlib import Path
from typing import Annotated, Literal

from pydantic import (BaseModel, BeforeValidator, ConfigDict, Field, ValidationError, computed_field,
                      model_validator)

from ..errors import ConfigError
from ..resources import resource_dir
from .instruments import instrument_links  # noqa: F401  (where it was; report/links.py)
from .reads import LETTERS, CatalogueReads, RequirementReads, combine  # noqa: F401  (re-exported)

ID_PATTERNS = {
    "CA04": r"^CA04-16[A-K]-\d{2}$",
    "REG18": r"^REG18-\d{2}$",
    "WT18": r"^WT18-[A-Z]{2,6}-\d{2}$",
    "WT23": r"^WT23-[A-Z]{2,6}-\d{2}$",
    "CWSA26": r"^CWSA26-\d{2}$",
    "DOC": r"^DOC-\d{2}$",
    "EVID": r"^EVID-\d{2}$",
    "GOV": r"^GOV-\d{2}$",
    "DM": r"^DM-\d{2}$",
}
# A power ("may") cannot be breached: at most info, and a manual power is "to be assessed".
SEVERITY_FOR_MODALITY = {"MUST": "violation", "MUST(g)": "violation", "SHOULD": "warning", "GP": "info",
                         "POWER": "info"}
MODALITIES = ("MUST", "MUST(g)", "SHOULD", "GP", "POWER")
VERIFICATION_PATTERN = r"^[VSMC](/[VSMC])*$"
URL = Annotated[str, Field(pattern=r"^https?://[^\s<>\"{}|\\^`]+$")]
PLACEHOLDER_NAMESPACE = "https://w3id.org/thscp-kg/"


def _iso_text(value: object) -> object:
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, str):
        try:
            dt.date.fromisoformat(value)
        except ValueError:
            raise ValueError(f"'{value}' is not a date in the form YYYY-MM-DD") from None
    return value


DateText = Annotated[str, BeforeValidator(_iso_text), Field(pattern=r"^\d{4}-\d{2}-\d{2}$")]


class Reproduction(BaseModel):
    """A further reproduction that says the same (a corroborating source)."""

    model_config = ConfigDict(extra="forbid", frozen=True, defer_build=True)
    url: URL
    quote: str = Field(min_length=3, max_length=800)


class Source(BaseModel):
    """A citation and the record of the check behind it."""

    model_config = ConfigDict(extra="forbid", frozen=True, defer_build=True)
    instrument: str
    provision: str
    iri: str = Field(pattern=r"^https?://\S+$", description="identifier of the provision (RDF and JSON)")
    url: URL | None = Field(default=None, description="the text the citation was checked against")
    text: Literal["provision", "reproduction"] | None = Field(
        default=None, description="provision: the provision's own text (legislation.gov.uk); reproduction: "
                                  "a page reproducing or restating it word for word")
    checked: DateText | None = Field(default=None, description="the date the text was read")
    quote: str | None = Field(default=None, min_length=3, max_length=800,
                              description="the words in that text that support the citation, verbatim")
    also: list[Reproduction] = Field(default_factory=list, description="further reproductions that agree")
    unverified: str | None = Field(default=None, description="an aspect the record does not establish (adds M)")
    conflict: str | None = Field(default=None, description="what the sources disagree on (adds C)")

    @model_validator(mode="after")
    def _record_complete(self) -> "Source":
        record = (self.url, self.text, self.checked, self.quote)
        if any(v is not None for v in record) and not all(v is not None for v in record):
            raise ValueError(f"{self.instrument} {self.provision}: a check record gives url, text, checked "
                             "and quote together")
        if self.text == "provision" and "legislation.gov.uk/" not in (self.url or ""):
            raise ValueError(f"{self.instrument} {self.provision}: 'text: provision' needs the provision's own "
                             "text (a legislation.gov.uk page)")
        if self.also and self.quote is None:
            raise ValueError(f"{self.instrument} {self.provision}: 'also' needs a check record first")
        return self

    @computed_field  # type: ignore[prop-decorator]
    @property
    def verification(self) -> str:
        """V: checked against the provision's text; S: a verbatim reproduction; M: no record; C: conflict."""
        letters = ["V" if self.text == "provision" else "S"] if self.quote else ["M"]
        if self.unverified:
            letters.append("M")
        if self.conflict:
            letters.append("C")
        return combine(letters)

    @computed_field  # type: ignore[prop-decorator]
    @property
    def link(self) -> str | None:
        """Where a reader follows the citation: the instrument's publication (Working Together: gov.uk),
        else the identifier when it resolves (legislation.gov.uk). The placeholder namespace is an
        identifier only, never a link."""
        published = instrument_links().get(self.instrument)
        if published:
            return published
        return None if self.iri.startswith(PLACEHOLDER_NAMESPACE) else self.iri


class Aspect(BaseModel):
    """A part of a requirement whose status differs from its citations' (e.g. a contested clock start):
    findings from the named shapes carry it."""

    model_config = ConfigDict(extra="forbid", frozen=True, defer_build=True)
    name: str
    verification: Literal["M", "C"]
    shapes: list[str] = Field(min_length=1)
    parameter: str | None = Field(default=None, description="the profile parameter that settles it locally")
    note: str
    sources: list[Reproduction] = Field(default_factory=list, description="the texts that disagree")


class SeeAlso(BaseModel):
    """Entries whose open findings qualify a "met" outcome: shown beside it, so that e.g. CA04-16G-01
    (an arrangement for independent scrutiny exists) never reads as a clean "met" while the
    scrutiny's independence is at risk (GOV-07, CA04-16G-05, CA04-16G-06)."""

    model_config = ConfigDict(extra="forbid", frozen=True, defer_build=True)
    requirements: list[str] = Field(min_length=1)
    why: str = Field(min_length=3, max_length=80, description="what the entries are, e.g. 'independence risks'")


class Requirement(RequirementReads, BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, defer_build=True)
    id: str
    slug: str = Field(pattern=r"^[a-z0-9-]+\.[a-z0-9.-]+$")
    title: str = Field(max_length=120)
    area: str
    statement: str
    modality: Literal["MUST", "MUST(g)", "SHOULD", "GP", "POWER"]
    severity: Literal["violation", "warning", "info"]
    severity_override_reason: str | None = None
    edition: Literal["CA04", "REG18", "CWSA26", "WT18", "WT23", "both", "local"]
    sources: list[Source] = Field(min_length=1)
    aspects: list[Aspect] = Field(default_factory=list)
    assessment: Literal["shacl", "graph", "manual"]
    shapes: list[str] = Field(default_factory=list)
    question: str | None = None
    remediation: str
    restates: str | None = None
    restated_by: list[str] = Field(default_factory=list)
    profile_parameters: list[str] = Field(default_factory=list)
    commences: str | None = Field(default=None, description="a provision not in force until a date set in the "
                                  "profile (commencement.<key>); before it, 'not yet in force' and not checked")
    transitional: bool = Field(default=False, description="a WT2023 structural expectation: info while "
                               "revised arrangements are awaited (requirements.md §1)")
    note: str | None = None
    see_also: SeeAlso | None = Field(default=None, description="entries shown beside a met outcome when they "
                                     "have open findings")
    status: Literal["active", "draft", "retired"] = "active"
    retired_reason: str | None = None

    @model_validator(mode="after")
    def _consistent(self) -> "Requirement":
        prefix = self.id.split("-")[0]
        pattern = ID_PATTERNS.get(prefix)
        if not pattern or not re.match(pattern, self.id):
            raise ValueError(f"id '{self.id}' does not match the pattern for its source prefix")
        if self.modality == "POWER" and (self.severity != "info" or self.severity_override_reason):
            raise ValueError(f"{self.id}: a power cannot be breached, so its severity is info (no override)")
        if SEVERITY_FOR_MODALITY[self.modality] != self.severity and not self.severity_override_reason:
            raise ValueError(f"{self.id}: severity {self.severity} does not match modality {self.modality}; "
                             "add severity_override_reason")
        if self.assessment == "shacl" and not self.shapes:
            raise ValueError(f"{self.id}: a shacl requirement names its shapes")
        if self.assessment == "manual" and not self.question:
            raise ValueError(f"{self.id}: a manual requirement states the question a person answers")
        if self.status == "retired" and not self.retired_reason:
            raise ValueError(f"{self.id}: a retired requirement gives retired_reason")
        for aspect in self.aspects:
            unknown = set(aspect.shapes) - set(self.shapes)
            if unknown:
                raise ValueError(f"{self.id}: aspect '{aspect.name}' names shapes it does not have: "
                                 f"{', '.join(sorted(unknown))}")
        return self

    @computed_field  # type: ignore[prop-decorator]
    @property
    def verification(self) -> str:
        """Computed from the citations' records (module docstring)."""
        return combine(s.verification for s in self.sources)

    @property
    def unverified(self) -> bool:
        """Status M or C anywhere: such a requirement never fails CI by default."""
        return "M" in self.verification or "C" in self.verification

    def citations(self) -> tuple[dict, ...]:
        """The citations as findings and outcomes carry them (JSON-ready): what ``model_dump(mode="json")``
        gives, read field by field so that a cold run does not build the serializer (``json_fields``)."""
        return tuple(json_fields(s) for s in self.sources)


class Catalogue(BaseModel, CatalogueReads):   # get, active
    model_config = ConfigDict(extra="forbid", frozen=True, defer_build=True)
    version: str
    areas: dict[str, str]
    requirements: list[Requirement]

    @model_validator(mode="after")
    def _unique(self) -> "Catalogue":
        seen: set[str] = set()
        for req in self.requirements:
            if req.id in seen:
                raise ValueError(f"duplicate requirement id {req.id}")
            seen.add(req.id)
        ids = {r.id for r in self.requirements}
        for req in self.requirements:
            unknown = sorted(set(req.see_also.requirements) - ids) if req.see_also else []
            if unknown:
                raise ValueError(f"{req.id}: see_also names unknown requirements {', '.join(unknown)}")
            if req.area not in self.areas:
                raise ValueError(f"{req.id}: area '{req.area}' is not declared under areas")
        return self


def json_fields(model: BaseModel) -> dict:
    """``model.model_dump(mode="json")`` for a model whose values are text, numbers, booleans, None,
    lists and nested models (the citations): the fields in order, then the computed fields. Anything
    else is left to pydantic. tests/test_plain_catalogue.py compares the two on every citation."""
    def plain(value):
        if value is None or isinstance(value, (str, bool, int, float)):
            return value
        if isinstance(value, list):
            return [plain(v) for v in value]
        if isinstance(value, BaseModel):
            return json_fields(value)
        raise TypeError(type(value))

    cls = type(model)
    try:
        out = {name: plain(getattr(model, name)) for name in cls.model_fields}
        out.update((name, plain(getattr(model, name))) for name in cls.model_computed_fields)
    except TypeError:
        return model.model_dump(mode="json")
    return out


@lru_cache(maxsize=4)
def load_catalogue(folder: Path | None = None) -> Catalogue:
    """Read ``areas.yaml`` and every ``requirements/*.yaml`` under the catalogue folder.

    The validated catalogue is kept in the compiled cache (thscp_kg/resources.py), keyed by those
    files' bytes, this module's and the YAML reader's source and pydantic's release: an edited entry
    is a new key, validated (and its errors reported) as if there were no cache."""
    from pydantic.version import VERSION as pydantic_version

    from ..resources import cached, key_of

    folder = folder or resource_dir("catalogue")
    files = [folder / "areas.yaml", *sorted((folder / "requirements").glob("*.yaml"))]
    here = Path(__file__).resolve()
    key = key_of([*files, here, here.parent.parent / "yamlsafe.py"], "catalogue-1", str(folder.resolve()),
                 "pydantic " + pydantic_version)
    return cached("catalogue", key, lambda: _read_catalogue(folder))


def _read_catalogue(folder: Path) -> Catalogue:
    from ..yamlsafe import load_yaml

    areas_doc = load_yaml(folder / "areas.yaml", "catalogue/areas.yaml")
    requirements: list = []
    for path in sorted((folder / "requirements").glob("*.yaml")):
        doc = load_yaml(path, f"catalogue/requirements/{path.name}")
        for i, entry in enumerate((doc.data or {}).get("requirements") or []):
            try:
                requirements.append(Requirement.model_validate(entry))
            except ValidationError as exc:
                err = exc.errors(include_url=False)[0]
                loc = ("requirements", i) + tuple(err["loc"])
                raise ConfigError(f"catalogue: {err['msg'].removeprefix('Value error, ')}.", file=doc.file,
                                  line=doc.line_of(loc), fix="correct the catalogue entry.") from None
    try:
        return Catalogue(version=areas_doc.data["version"], areas=areas_doc.data["areas"],
                         requirements=requirements)
    except ValidationError as exc:
        raise ConfigError(f"catalogue: {exc.errors(include_url=False)[0]['msg'].removeprefix('Value error, ')}.",
                          file="catalogue/", fix="correct the catalogue.") from None
