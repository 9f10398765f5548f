"""Evidence that belongs to the partnership: source files beside the data, and quotes checked in them.

A source's ``file:`` is a path relative to the data file (``sources/000_report.txt`` next to
``data/<partnership>/2023-24.yaml``). It may not be absolute or climb out with ``..``: the
evidence for a partnership lives with its data. A declared file that does not exist is bad
input (``DataError``, exit 2); a quotation not found in its source is a finding (EVID-01).

``normalise`` is THE text normalisation for comparing a quotation with a source: the tests
that verify quotes and ``check`` both use it, and document text extraction (PDF, DOCX) should
pass its output through it before any comparison, so that a quote matches however the text
reached us. It is deliberately forgiving only about typography, never about words.
"""
from __future__ import annotations

import difflib
import html.parser
import unicodedata
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from ..errors import DataError

# Typographic variants a copy-and-paste or a PDF extraction produces for the same text.
_TYPOGRAPHY = str.maketrans({
    "\u2018": "'", "\u2019": "'", "\u201a": "'", "\u201b": "'", "\u2032": "'",
    "\u201c": '"', "\u201d": '"', "\u201e": '"', "\u2033": '"',
    "\u2010": "-", "\u2011": "-", "\u2012": "-", "\u2013": "-", "\u2014": "-", "\u2212": "-",
    "\u00ad": None, "\u200b": None, "\ufeff": None,  # soft hyphen, zero-width space, byte-order mark
})
# The same table as (character, replacement) pairs: str.translate with a dict table walks the text a
# character at a time (~5 ms for a 57 KB source), str.replace of each character present is ~60x faster;
# no replacement contains a character of the table, so the order of the replacements cannot matter.
_TYPOGRAPHY_PAIRS = tuple((chr(code), value or "") for code, value in _TYPOGRAPHY.items())

# Formats whose text the load stage reads itself. Others (PDF, DOCX) need an extractor; until one
# is plugged in (see ``TEXT_EXTRACTORS``) their quotes are reported as not verifiable, not as found.
TEXT_SUFFIXES = {".txt", ".text", ".md"}
HTML_SUFFIXES = {".html", ".htm"}
TEXT_EXTRACTORS: dict[str, object] = {}  # suffix -> callable(Path) -> str; for document extraction
NEAREST_CHARS = 300


def normalise(text: str) -> str:
    """Text as compared for evidence: Unicode NFKC (ligatures, non-breaking spaces), curly quotes
    and dashes made plain, invisible characters and Markdown bold markers dropped, every run of white
    space one space."""
    # '**' is Markdown bold as some text copies carry it: never part of a quoted sentence.
    text = unicodedata.normalize("NFKC", text)
    for variant, plain in _TYPOGRAPHY_PAIRS:   # text.translate(_TYPOGRAPHY), faster (see above)
        if variant in text:
            text = text.replace(variant, plain)
    return " ".join(text.replace("**", "").split())


def resolve(data_file: Path, declared: str) -> Path:
    return data_file.parent / PurePosixPath(declared)


class _HtmlText(html.parser.HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self._skip = 0

    def handle_starttag(self, tag, attrs):
        self._skip += tag in ("script", "style")

    def handle_endtag(self, tag):
        self._skip -= tag in ("script", "style") and self._skip > 0

    def handle_data(self, data):
        if not self._skip:
            self.parts.append(data)


def source_text(path: Path) -> str | None:
    """The text of a source file, or None when its format cannot be read here."""
    suffix = path.suffix.lower()
    if suffix in TEXT_SUFFIXES:
        return path.read_text(encoding="utf-8", errors="replace")
    if suffix in HTML_SUFFIXES:
        parser = _HtmlText()
        parser.feed(path.read_text(encoding="utf-8", errors="replace"))
        return " ".join(parser.parts)
    extractor = TEXT_EXTRACTORS.get(suffix)
    return extractor(path) if callable(extractor) else None


def nearest_match(quote: str, text: str) -> str:
    """The passage of ``text`` (both normalised) most like ``quote``: anchored on their longest
    common run, widened to the quote's length and to word boundaries."""
    if not text:
        return ""
    matcher = difflib.SequenceMatcher(None, text, quote, autojunk=False)
    match = matcher.find_longest_match(0, len(text), 0, len(quote))
    start = max(0, match.a - match.b)
    end = min(len(text), start + len(quote))
    while start > 0 and text[start - 1] != " ":
        start -= 1
    while end < len(text) and text[end] != " ":
        end += 1
    passage = text[start:end].strip()
    return passage if len(passage) <= NEAREST_CHARS else passage[:NEAREST_CHARS - 3] + "..."


@dataclass(frozen=True)
class QuoteCheck:
    """One quotation looked up in its source file."""

    line: int | None        # the line of the quote in the data file
    source: str             # source id
    file: str               # the declared file, as written
    quote: str
    found: bool | None      # None: the file's format cannot be read here
    nearest: str = ""


def check_evidence(year, document, data_file: Path) -> list[QuoteCheck]:
    """Check every source ``file:`` exists (else ``DataError``) and look up every quotation."""
    texts: dict[str, str | None] = {}
    declared: dict[str, str] = {}
    for i, source in enumerate(year.sources):
        if not source.file:
            continue
        line = document.line_of(("sources", i, "file"))
        path = resolve(data_file, source.file)
        folder = data_file.parent.resolve()
        if path.exists() and folder not in path.resolve().parents:  # a symbolic link out of the folder
            raise DataError(f"source '{source.id}': the file '{source.file}' leads outside the partnership's "
                            "folder (through a symbolic link).", file=document.file, line=line,
                            fix="copy the document itself into the partnership's sources/ folder.")
        if not path.is_file():
            raise DataError(f"source '{source.id}' names the file '{source.file}', which does not exist "
                            "(the path is read from the data file's folder).",
                            file=document.file, line=line,
                            fix="copy the document into the partnership's sources/ folder, correct the "
                                "path, or delete the 'file:' line.")
        try:
            text = source_text(path)
        except OSError as exc:
            raise DataError(f"source '{source.id}': the file '{source.file}' could not be read ({exc}).",
                            file=document.file, line=line, fix="check the file's permissions.") from None
        texts[source.id] = normalise(text) if text is not None else None
        declared[source.id] = source.file
    checks = []
    for path, evidence in _quotes(document.data):
        source, quote = evidence.get("source"), evidence.get("quote")
        if source not in texts or not isinstance(quote, str) or not quote.strip():
            continue
        line = document.line_of(path + ("quote",))
        text = texts[source]
        if text is None:
            checks.append(QuoteCheck(line, source, declared[source], quote, None))
            continue
        wanted = normalise(quote)
        found = wanted in text
        checks.append(QuoteCheck(line, source, declared[source], quote, found,
                                 "" if found else nearest_match(wanted, text)))
    return checks


def _quotes(node, path: tuple = ()):
    """(path, evidence mapping) for every evidence entry in the raw data, in file order."""
    if isinstance(node, dict):
        if "source" in node and "section" in node and "quote" in node:
            yield path, node
        for key, value in node.items():
            yield from _quotes(value, path + (key,))
    elif isinstance(node, list):
        for i, value in enumerate(node):
            yield from _quotes(value, path + (i,))
