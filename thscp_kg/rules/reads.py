"""What the catalogue, the changelog and the profile do, written once for the validated pydantic models
(``catalogue``, ``changelog``, ``profile_model``) and for their plain copies (thscp_kg/plain.py), which
a run reads without importing pydantic. Each ``Plain…`` class is the copy of the models with its mixin."""
from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from ..plain import Plain, plain_kind

if TYPE_CHECKING:
    from .profile_model import Edition, Revision, ScheduleVersion


LETTERS = ("V", "S", "M", "C")   # the verification statuses, in the order codes name them


def combine(codes) -> str:
    """Verification codes combined: every letter that occurs, in the order V, S, M, C ("V/S", "S/M")."""
    present = {letter for code in codes for letter in str(code).split("/")}
    return "/".join(letter for letter in LETTERS if letter in present)


class CatalogueReads:
    """The catalogue's lookups, written once for the validated ``Catalogue`` and its plain copy."""

    def get(self, req_id: str):
        for req in self.requirements:
            if req.id == req_id:
                return req
        raise KeyError(req_id)

    def active(self) -> list:
        return sorted((r for r in self.requirements if r.status == "active"), key=lambda r: r.id)

    def shape_index(self) -> dict:
        return {shape: req for req in self.active() for shape in req.shapes}


@plain_kind
class PlainCatalogue(Plain, CatalogueReads):
    pass


class RequirementReads:
    """A requirement's statuses and citation line, for the validated ``Requirement`` and its copy."""

    def verification_for_shape(self, shape: str) -> str:
        """A finding's status: the requirement's, plus that of any aspect its shape checks."""
        extra = [a.verification for a in self.aspects if shape.removeprefix("scp-sh:") in a.shapes]
        return combine([self.verification, *extra]) if extra else self.verification

    def citation_text(self) -> str:
        return "; ".join(f"{s.instrument} {s.provision} [{s.verification}]" for s in self.sources)


@plain_kind
class PlainRequirement(Plain, RequirementReads):
    @classmethod
    def extra_values(cls, model) -> dict:
        return {"_citations": model.citations()}

    def citations(self) -> tuple[dict, ...]:
        """The model's ``citations()``, kept when the copy was made."""
        return self._citations


class ChangelogReads:
    """The changelog's lookups, written once for the validated ``Changelog`` and its plain copy."""

    def for_requirement(self, req_id: str) -> list:
        return [c for c in self.changes if c.requirement == req_id]

    def since(self, day: dt.date) -> list:
        """Lines dated on or after ``day``, oldest first."""
        return sorted((c for c in self.changes if c.day >= day), key=lambda c: (c.day, c.requirement))


@plain_kind
class PlainChangelog(Plain, ChangelogReads):
    pass


class EditionReads:
    """Edition's methods, for the model (rules/profile_model.py) and its plain copy."""

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


@plain_kind
class PlainEdition(Plain, EditionReads):
    pass


class RelevantAgencyScheduleReads:
    """RelevantAgencySchedule's methods, for the model (rules/profile_model.py) and its plain copy."""

    def on(self, day: dt.date) -> ScheduleVersion | None:
        for version in self.versions:
            if version.from_ <= day and (version.until is None or day <= version.until):
                return version
        return None


@plain_kind
class PlainRelevantAgencySchedule(Plain, RelevantAgencyScheduleReads):
    pass


class CommencementReads:
    """Commencement's methods, for the model (rules/profile_model.py) and its plain copy."""

    def in_force_on(self, day: dt.date) -> bool:
        return self.in_force_from is not None and self.in_force_from <= day


@plain_kind
class PlainCommencement(Plain, CommencementReads):
    pass


class ProfileReads:
    """Profile's methods, for the model (rules/profile_model.py) and its plain copy."""

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


@plain_kind
class PlainProfile(Plain, ProfileReads):
    pass
