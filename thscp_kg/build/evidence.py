"""Build step, evidence: each quotation the load stage looked up becomes a ``scp:QuoteCheck``.

The look-up itself (file beside the data, normalisation, nearest match) is in
``thscp_kg/load/evidence.py``; here it is only recorded, so that a shape (EVID-01) reports a
quotation not found at the data file's line, like any other finding.
"""
from __future__ import annotations

from rdflib import Literal, URIRef
from rdflib.namespace import RDF, RDFS, XSD

from ..namespaces import SCP


def add_quote_checks(builder) -> None:
    # Reports cite a source by its title, never its file name (the file stays in the evidence record).
    titles = {s.id: s.title for s in builder.year.sources}
    for i, check in enumerate(builder.loaded.quote_checks, start=1):
        if check.found is None:  # a format the load stage cannot read: not checked, so not recorded
            continue
        node = URIRef(f"{builder.year_iri}/quote-check/{i}")
        where = f"line-{check.line}" if check.line else str(i)
        builder.add(node, RDF.type, SCP.QuoteCheck)
        builder.add(node, SCP.localId, Literal(f"quote/{check.source}-{where}"))
        title = titles.get(check.source, check.source)
        builder.add(node, RDFS.label, Literal(f"Quotation from {title}", lang="en"))
        if check.line:
            builder.add(node, SCP.sourceLine, Literal(check.line))
        builder.add(node, SCP.quoteFound, Literal(check.found, datatype=XSD.boolean))
        builder.add(node, SCP.quoteCheckDetail, Literal(_detail(check, title)))


def _detail(check, title: str) -> str:
    quote = " ".join(check.quote.split())
    shown = quote if len(quote) <= 300 else quote[:297] + "..."
    if check.found:
        return f"'{shown}' is in '{title}'"
    nearest = f"; the nearest passage is '{check.nearest}'" if check.nearest else ""
    return f"the quotation '{shown}' is not in '{title}'{nearest}"
