"""Quotes in a data file checked against the text of their sources, whatever the format.

A source's `file:` may be a .txt, .md, .html, .pdf or .docx in the sources folder; the quote is
compared after :func:`thscp_kg.documents.normalise.normalise_text` (the same normalisation the
quote tests, ``scan`` and ``draft`` use) and located: 'page N' in a PDF, 'text' otherwise.
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from .extract import SourceDocument, read_document


@dataclass(frozen=True)
class QuoteCheck:
    source: str        # the source id in the data file
    file: str
    quote: str
    where: str | None  # 'page 3', 'pages 3-4', 'text'; None when the quote is not in the text


def _evidence(node):
    if isinstance(node, dict):
        if node.get("quote") and node.get("source"):
            yield node["source"], node["quote"]
        for value in node.values():
            yield from _evidence(value)
    elif isinstance(node, list):
        for value in node:
            yield from _evidence(value)


def check_quotes(year, folder: Path) -> list[QuoteCheck]:
    """Every quote in ``year`` (a PartnershipYear) whose source names a file in ``folder``."""
    files = {s.id: s.file for s in year.sources if s.file}
    docs: dict[str, SourceDocument] = {}
    out = []
    for source, quote in sorted(set(_evidence(year.model_dump(mode="json")))):
        name = files.get(source)
        if name is None:
            continue
        if name not in docs:
            docs[name] = read_document(folder / name, name)
        out.append(QuoteCheck(source, name, quote, docs[name].find_quote(quote)))
    return out
