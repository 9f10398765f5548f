"""Where a citation links to in the human reports.

The catalogue gives each Working Together provision an identifier in the project's placeholder
namespace (https://w3id.org/thscp-kg/wt/...): right for RDF and JSON, but it resolves nowhere.
A reader needs the publication itself: each citation carries ``link``, computed by the catalogue
from catalogue/instruments.yaml (Working Together: the gov.uk publication of the edition;
legislation: its legislation.gov.uk identifier, which resolves). A citation's ``url`` is
something else: the text its verification was checked against (often a reproduction), shown
beside it as the record, never used as its link.
"""
from __future__ import annotations

from ..namespaces import BASE
from ..rules.instruments import instrument_links


def citation_url(citation: dict) -> str:
    """The link for a citation: its ``link``; for a hand-built citation without one, the
    instrument's publication, else the identifier unless it is a placeholder (no link rather
    than a dead one)."""
    if citation.get("link"):
        return citation["link"]
    published = instrument_links().get(citation.get("instrument", ""))
    if published:
        return published
    iri = citation.get("iri", "")
    if iri.startswith(BASE):
        for title, link in instrument_links().items():
            year = title.rsplit(" ", 1)[-1]
            if title.startswith("Working Together") and f"/wt/{year}/" in iri:
                return link
        return ""
    return iri


def paragraph_verified(citation: dict) -> bool:
    """False when the provision's paragraph or wording is marked UNVERIFIED, or its status is M or C."""
    v = citation.get("verification", "")
    return "UNVERIFIED" not in citation.get("provision", "") and "M" not in v and "C" not in v
