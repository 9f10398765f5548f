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
    line: int | None = None  # line of the quote in the data file, when known


def _evidence(node, path=()):
    if isinstance(node, dict):
        if node.get("quote") and node.get("source"):
            yield path, str(node["source"]), str(node["quote"])
        for key, value in node.items():
            yield from _evidence(value, path + (key,))
    elif isinstance(node, list):
        for i, value in enumerate(node):
            yield from _evidence(value, path + (i,))


def check_quotes(year, folder: Path) -> list[QuoteCheck]:
    """Every quote in ``year`` (a PartnershipYear) whose source names a file in ``folder``."""
    return _check(year.model_dump(mode="json", by_alias=True), {s.id: s.file for s in year.sources if s.file},
                  folder, None)


def check_loaded_quotes(loaded, folder: Path) -> list[QuoteCheck]:
    """The same for a loaded data file, with the line each quote is on."""
    files = {s.id: s.file for s in loaded.year.sources if s.file}
    return _check(loaded.document.data, files, folder, loaded.document)


def _check(data, files: dict, folder: Path, document) -> list[QuoteCheck]:
    docs: dict[str, SourceDocument] = {}
    out = []
    for path, source, quote in _evidence(data):
        name = files.get(source)
        if name is None:
            continue
        if name not in docs:
            docs[name] = read_document(folder / name, str(folder / name))
        line = document.line_of(path + ("quote",)) if document is not None else None
        out.append(QuoteCheck(source, name, quote, docs[name].find_quote(quote), line))
    return sorted(set(out), key=lambda c: (c.line or 0, c.source, c.quote))
