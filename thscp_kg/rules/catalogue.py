"""The requirements catalogue (catalogue/requirements.yaml) as frozen, validated entries."""
from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from ..errors import ConfigError
from ..resources import resource_dir
from ..yamlsafe import load_yaml

ID_PATTERNS = {
    "CA04": r"^CA04-16[A-K]-\d{2}$",
    "REG18": r"^REG18-\d{2}$",
    "WT18": r"^WT18-[A-Z]{2,6}-\d{2}$",
    "WT23": r"^WT23-[A-Z]{2,6}-\d{2}$",
    "DOC": r"^DOC-\d{2}$",
    "EVID": r"^EVID-\d{2}$",
    "GOV": r"^GOV-\d{2}$",
    "DM": r"^DM-\d{2}$",
}
SEVERITY_FOR_MODALITY = {"MUST": "violation", "MUST(g)": "violation", "SHOULD": "warning", "GP": "info"}
Verification = Literal["V", "S", "M", "C", "S/M", "V/S", "M/C", "M/S"]


class Source(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)
    instrument: str
    provision: str
    iri: str = Field(pattern=r"^https?://\S+$")
    verification: Verification


class Requirement(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)
    id: str
    slug: str = Field(pattern=r"^[a-z0-9-]+\.[a-z0-9.-]+$")
    title: str = Field(max_length=120)
    area: str
    statement: str
    modality: Literal["MUST", "MUST(g)", "SHOULD", "GP"]
    severity: Literal["violation", "warning", "info"]
    severity_override_reason: str | None = None
    verification: Verification
    edition: Literal["CA04", "REG18", "WT18", "WT23", "both", "local"]
    sources: list[Source] = Field(min_length=1)
    assessment: Literal["shacl", "graph", "manual"]
    shapes: list[str] = Field(default_factory=list)
    question: str | None = None
    remediation: str
    restates: str | None = None
    restated_by: list[str] = Field(default_factory=list)
    profile_parameters: list[str] = Field(default_factory=list)
    transitional: bool = Field(default=False, description="a WT2023 structural expectation: info while "
                               "revised arrangements are awaited (requirements.md §1)")
    note: str | None = None
    status: Literal["active", "draft", "retired"] = "active"
    retired_reason: str | None = None

    @model_validator(mode="after")
    def _consistent(self) -> "Requirement":
        prefix = self.id.split("-")[0]
        pattern = ID_PATTERNS.get(prefix)
        if not pattern or not re.match(pattern, self.id):
            raise ValueError(f"id '{self.id}' does not match the pattern for its source prefix")
        if SEVERITY_FOR_MODALITY[self.modality] != self.severity and not self.severity_override_reason:
            raise ValueError(f"{self.id}: severity {self.severity} does not match modality {self.modality}; "
                             "add severity_override_reason")
        if self.assessment == "shacl" and not self.shapes:
            raise ValueError(f"{self.id}: a shacl requirement names its shapes")
        if self.assessment == "manual" and not self.question:
            raise ValueError(f"{self.id}: a manual requirement states the question a person answers")
        if self.status == "retired" and not self.retired_reason:
            raise ValueError(f"{self.id}: a retired requirement gives retired_reason")
        return self

    @property
    def unverified(self) -> bool:
        """Status M or C anywhere: such a requirement never fails CI by default."""
        return "M" in self.verification or "C" in self.verification

    def citation_text(self) -> str:
        return "; ".join(f"{s.instrument} {s.provision} [{s.verification}]" for s in self.sources)


class Catalogue(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)
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
            if req.area not in self.areas:
                raise ValueError(f"{req.id}: area '{req.area}' is not declared under areas")
        return self

    def get(self, req_id: str) -> Requirement:
        for req in self.requirements:
            if req.id == req_id:
                return req
        raise KeyError(req_id)

    def active(self) -> list[Requirement]:
        return sorted((r for r in self.requirements if r.status == "active"), key=lambda r: r.id)

    def shape_index(self) -> dict[str, Requirement]:
        return {shape: req for req in self.active() for shape in req.shapes}


@lru_cache(maxsize=4)
def load_catalogue(folder: Path | None = None) -> Catalogue:
    """Read ``areas.yaml`` and every ``requirements/*.yaml`` under the catalogue folder."""
    folder = folder or resource_dir("catalogue")
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
