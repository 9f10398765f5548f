"""Where a citation links to in the human reports.

The catalogue gives each Working Together provision an identifier in the project's placeholder
namespace (https://w3id.org/thscp-kg/wt/...): right for RDF and JSON, but it resolves nowhere.
A reader needs the publication itself, so the HTML and Markdown link to a citation's own
``url`` when the catalogue records one, else to the edition's page on gov.uk. Legislation
identifiers (legislation.gov.uk) resolve and are used as they are.
"""
from __future__ import annotations

from ..namespaces import BASE

# The gov.uk publication page of Working Together; it holds the current edition and, in its
# history, the earlier ones.
WORKING_TOGETHER = {
    "2018": "https://www.gov.uk/government/publications/working-together-to-safeguard-children--2",
    "2023": "https://www.gov.uk/government/publications/working-together-to-safeguard-children--2",
}


def citation_url(citation: dict) -> str:
    if citation.get("url"):
        return citation["url"]
    iri = citation.get("iri", "")
    if iri.startswith(BASE):
        for year, url in WORKING_TOGETHER.items():
            if f"/wt/{year}/" in iri:
                return url
        return ""  # another placeholder: no link rather than a dead one
    return iri


def paragraph_verified(citation: dict) -> bool:
    """False when the provision's paragraph or wording is marked UNVERIFIED, or its status is M or C."""
    v = citation.get("verification", "")
    return "UNVERIFIED" not in citation.get("provision", "") and "M" not in v and "C" not in v
