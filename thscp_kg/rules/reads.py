"""The catalogue's and changelog's lookups, written once for the validated pydantic models
(``catalogue.Catalogue``, ``changelog.Changelog``) and for their plain copies (``plain``), which
``rules`` and ``explain`` read without importing pydantic."""
from __future__ import annotations

import datetime as dt


class CatalogueReads:
    """The catalogue's lookups, written once for the validated ``Catalogue`` and its plain copy."""

    def get(self, req_id: str):
        for req in self.requirements:
            if req.id == req_id:
                return req
        raise KeyError(req_id)

    def active(self) -> list:
        return sorted((r for r in self.requirements if r.status == "active"), key=lambda r: r.id)


class ChangelogReads:
    """The changelog's lookups, written once for the validated ``Changelog`` and its plain copy."""

    def for_requirement(self, req_id: str) -> list:
        return [c for c in self.changes if c.requirement == req_id]

    def since(self, day: dt.date) -> list:
        """Lines dated on or after ``day``, oldest first."""
        return sorted((c for c in self.changes if c.day >= day), key=lambda c: (c.day, c.requirement))
