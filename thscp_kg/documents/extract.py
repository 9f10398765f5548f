"""Text of a source document, line by line with the page (PDF) or heading markup (Word, HTML,
Markdown) it came with.

Every reader checks the file's size before reading it and refuses, with one ``DataError`` line
naming the file and the fix, what it cannot read: an encrypted or image-only PDF, a file whose
content is not what its name says (a zip renamed .docx), a file over the size limit.
"""
from __future__ import annotations

import re
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

from ..errors import DataError
from .normalise import normalise_text

# A yearly report PDF with photographs is typically 2-15 MB; 50 MB is generous. Text files are
# held to the data files' 5 MB. Pages and characters are capped too, so a small but pathological
# file (a million empty pages, a zip bomb) is refused before it costs time or memory.
MAX_BYTES = 50 * 1024 * 1024
MAX_TEXT_BYTES = 5 * 1024 * 1024
MAX_PAGES = 500
MAX_CHARS = 5_000_000
MAX_DOCX_UNCOMPRESSED = 100 * 1024 * 1024

SUFFIXES = {".pdf": "pdf", ".docx": "docx", ".html": "html", ".htm": "html", ".txt": "text", ".md": "text"}


@dataclass(frozen=True)
class Line:
    text: str
    number: int                  # 1-based line of the extracted text
    page: int | None = None      # PDF page, 1-based
    heading: int | None = None   # heading level when the document marks it (Word style, <h2>, '## ')


@dataclass
class SourceDocument:
    path: Path
    display: str                 # the name used in messages and evidence (as given on the command line)
    kind: str                    # pdf, docx, html or text
    lines: list[Line] = field(default_factory=list)
    _cache: dict = field(default_factory=dict, repr=False, compare=False)

    @property
    def name(self) -> str:
        return self.path.name

    def text(self) -> str:
        return "\n".join(line.text for line in self.lines)

    def pages(self) -> dict[int, str]:
        out: dict[int, list[str]] = {}
        for line in self.lines:
            if line.page is not None:
                out.setdefault(line.page, []).append(line.text)
        return {p: "\n".join(t) for p, t in out.items()}

    def find_quote(self, quote: str) -> str | None:
        """Where ``quote`` is in the text, after normalisation: 'page N' for a PDF (the first page
        holding it, or 'pages N-M' when it runs over a page break), 'text' otherwise; None when absent."""
        wanted = normalise_text(quote)
        if not wanted or wanted not in self._normalised():
            return None
        pages = self._normalised_pages()
        if not pages:
            return "text"
        for number, text in pages:
            if wanted in text:
                return f"page {number}"
        for (first, a), (second, b) in zip(pages, pages[1:]):
            if wanted in f"{a} {b}":
                return f"pages {first}-{second}"
        return "text"

    def _normalised(self) -> str:
        # Cached: draft looks up hundreds of quotes in one document. Lines are not changed once read.
        if self._cache.get("text") is None:
            self._cache["text"] = normalise_text(self.text())
        return self._cache["text"]

    def _normalised_pages(self) -> list[tuple[int, str]]:
        if self._cache.get("pages") is None:
            self._cache["pages"] = [(n, normalise_text(t)) for n, t in sorted(self.pages().items())]
        return self._cache["pages"]


def _bad(display: str, message: str, fix: str) -> DataError:
    return DataError(message, file=display, fix=fix)


def read_document(path: Path, display: str | None = None) -> SourceDocument:
    """Read one source document (kind from its name); raise ``DataError`` when it cannot be read."""
    display = display or str(path)
    kind = SUFFIXES.get(path.suffix.lower())
    if kind is None:
        raise _bad(display, f"'{path.suffix or 'no extension'}' is not a document type thscp-kg reads.",
                   "give a .pdf, .docx, .html, .txt or .md file (save other formats as PDF or .docx first).")
    try:
        if path.is_dir():
            raise _bad(display, "is a folder, not a document.", "name the files inside it (e.g. folder/*.pdf).")
        size = path.stat().st_size
    except FileNotFoundError:
        raise _bad(display, "file not found.", "check the path (paths are relative to where you run the command).") from None
    except OSError as exc:
        raise _bad(display, f"cannot read the file ({exc.strerror}).", "check you are allowed to read it.") from None
    limit = MAX_TEXT_BYTES if kind in ("text", "html") else MAX_BYTES
    if size > limit:
        raise _bad(display, f"the file is {size:,} bytes; the limit for a {kind} document is {limit:,}.",
                   "check it is the right file; for a large PDF, export the pages with the report's text "
                   "(without the images) or split it.")
    with open(path, "rb") as fh:
        head = fh.read(8)
    doc = SourceDocument(path=path, display=display, kind=kind)
    reader = {"pdf": _read_pdf, "docx": _read_docx, "html": _read_html, "text": _read_text}[kind]
    reader(doc, head, limit)
    if sum(len(line.text) for line in doc.lines) > MAX_CHARS:
        raise _bad(display, f"the document holds more than {MAX_CHARS:,} characters of text.",
                   "a yearly report has a few hundred thousand at most; check it is the right file.")
    if not any(line.text.strip() for line in doc.lines):
        if kind == "pdf":
            raise _bad(display, "the PDF has no text layer (it is scanned images only).",
                       "run it through OCR first (e.g. 'ocrmypdf in.pdf out.pdf'), or use the Word original.")
        raise _bad(display, "the document has no text.", "check it is the right file.")
    return doc


def _read_bytes(path: Path, limit: int) -> bytes:
    with open(path, "rb") as fh:
        raw = fh.read(limit + 1)  # never more, even from a device or a growing file
    if len(raw) > limit:
        raise _bad(str(path), f"the file is more than {limit:,} bytes.", "check it is the right file.")
    return raw


def _decode(raw: bytes, display: str) -> str:
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise _bad(display, "the file is saved as UTF-16; it must be UTF-8.", "save it again choosing 'UTF-8'.")
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise DataError(f"byte 0x{raw[exc.start]:02x} is not valid UTF-8.", file=display, line=line,
                        fix="save the file as UTF-8.") from None


_MD_HEADING = re.compile(r"^(#{1,6})\s+(.*?)\s*#*\s*$")


def _read_text(doc: SourceDocument, head: bytes, limit: int) -> None:
    if head.startswith(b"%PDF") or head.startswith(b"PK\x03\x04"):
        raise _bad(doc.display, "the file is a PDF or Word document saved with a text-file name.",
                   "rename it with its real extension (.pdf or .docx).")
    text = _decode(_read_bytes(doc.path, limit), doc.display)
    if "\x00" in text:
        raise _bad(doc.display, "the file holds NUL bytes: it is not a text file.", "give the PDF, Word or text original.")
    for number, raw in enumerate(text.splitlines(), start=1):
        match = _MD_HEADING.match(raw)
        if match:
            doc.lines.append(Line(match.group(2), number, heading=len(match.group(1))))
        else:
            doc.lines.append(Line(raw.rstrip(), number))


def _read_pdf(doc: SourceDocument, head: bytes, limit: int) -> None:
    if not head.startswith(b"%PDF"):
        raise _bad(doc.display, "the file is not a PDF (it does not start with '%PDF').",
                   "save or export the document as PDF again, or give it its real extension.")
    import logging

    from pypdf import PdfReader
    from pypdf.errors import PyPdfError

    logging.getLogger("pypdf").setLevel(logging.ERROR)  # pypdf warns on small defects it recovers from
    try:
        reader = PdfReader(str(doc.path), strict=False)
        if reader.is_encrypted:
            raise _bad(doc.display, "the PDF is encrypted (password-protected).",
                       "save an unprotected copy (print to PDF, or ask the author for one) and give that.")
        if len(reader.pages) > MAX_PAGES:
            raise _bad(doc.display, f"the PDF has {len(reader.pages):,} pages; the limit is {MAX_PAGES}.",
                       "give the yearly report itself, or split the file.")
        number, chars = 0, 0
        for page_number, page in enumerate(reader.pages, start=1):
            text = page.extract_text() or ""
            chars += len(text)
            if chars > MAX_CHARS:
                break
            # 0x7F: the bullet of the standard PDF fonts, as pypdf reads some writers' encoding of it.
            for raw in text.replace("\x7f", "\u2022").splitlines():
                number += 1
                doc.lines.append(Line(raw.rstrip(), number, page=page_number))
    except DataError:
        raise
    except (PyPdfError, ValueError, KeyError, TypeError, AttributeError, IndexError, OSError,
            RecursionError, ZeroDivisionError) as exc:
        raise _bad(doc.display, f"the PDF cannot be read ({type(exc).__name__}: {exc}).",
                   "open it in a PDF reader and save or print it to a new PDF, then give that.") from None


def _read_docx(doc: SourceDocument, head: bytes, limit: int) -> None:
    if not head.startswith(b"PK\x03\x04") or not zipfile.is_zipfile(doc.path):
        raise _bad(doc.display, "the file is not a Word document (.docx files are zip archives; this is not one).",
                   "open it in Word and 'Save As' Word Document (.docx); an old .doc must be converted.")
    try:
        with zipfile.ZipFile(doc.path) as archive:
            names = set(archive.namelist())
            if "word/document.xml" not in names:
                raise _bad(doc.display, "the file is a zip archive but not a Word document (no word/document.xml).",
                           "give the .docx the author saved from Word, not another archive renamed.")
            unpacked = sum(info.file_size for info in archive.infolist())
            if unpacked > MAX_DOCX_UNCOMPRESSED:
                raise _bad(doc.display, f"the document unpacks to {unpacked:,} bytes; the limit is "
                           f"{MAX_DOCX_UNCOMPRESSED:,}.", "check it is the right file (a report is a few MB).")
    except zipfile.BadZipFile as exc:
        raise _bad(doc.display, f"the Word document is damaged ({exc}).", "open it in Word and save it again.") from None
    import docx
    from docx.table import Table
    from docx.text.paragraph import Paragraph

    try:
        document = docx.Document(str(doc.path))
    except Exception as exc:  # python-docx raises many types on damaged packages; all mean "cannot read"
        raise _bad(doc.display, f"the Word document cannot be read ({type(exc).__name__}).",
                   "open it in Word and save it again as .docx.") from None
    number = 0
    for item in document.iter_inner_content():
        if isinstance(item, Paragraph):
            texts = [(item.text, _docx_heading_level(item))]
        elif isinstance(item, Table):
            texts = [("\t".join(_unique_cells(row)), None) for row in item.rows]
        else:
            continue
        for text, level in texts:
            for raw in text.splitlines() or [""]:
                number += 1
                doc.lines.append(Line(raw.rstrip(), number, heading=level))


def _docx_heading_level(paragraph) -> int | None:
    style = (paragraph.style.name if paragraph.style is not None else "") or ""
    if style == "Title":
        return 1
    match = re.fullmatch(r"Heading (\d)", style)
    return int(match.group(1)) if match else None


def _unique_cells(row) -> list[str]:
    """Cell texts of a table row; a merged cell is reported once per grid column, so repeats go."""
    out: list[str] = []
    seen: set[int] = set()
    for cell in row.cells:
        if id(cell._tc) in seen:
            continue
        seen.add(id(cell._tc))
        out.append(" ".join(cell.text.split()))
    return out


_HTML_HEADINGS = {"h1", "h2", "h3", "h4", "h5", "h6"}
# Elements that start a line of text of their own; text directly in any of them is one line.
_HTML_BLOCKS = _HTML_HEADINGS | {"p", "li", "caption", "dt", "dd", "pre", "blockquote", "div", "section", "article",
                                 "main", "header", "footer", "aside", "nav", "body", "figcaption", "address", "td",
                                 "th", "form", "fieldset", "legend", "label", "dl", "ul", "ol", "table"}


def _read_html(doc: SourceDocument, head: bytes, limit: int) -> None:
    """Lines of a web page: the text of each block element (a paragraph, list item, heading, a
    ``<div>`` holding text directly), a table row's cells joined by tabs; scripts and styles dropped."""
    if head.startswith(b"%PDF") or head.startswith(b"PK\x03\x04"):
        raise _bad(doc.display, "the file is a PDF or Word document saved with a web-page name.",
                   "rename it with its real extension (.pdf or .docx).")
    from bs4 import BeautifulSoup
    from bs4.element import Comment, NavigableString

    text = _decode(_read_bytes(doc.path, limit), doc.display)
    soup = BeautifulSoup(text, "html.parser")
    for tag in soup(["script", "style", "noscript", "template", "head"]):
        tag.decompose()
    lines: list[tuple[str, int | None]] = []
    current_key, current_cell, parts, level = None, None, [], None

    def flush() -> None:
        line = "".join(parts)
        line = "\t".join(" ".join(cell.split()) for cell in line.split("\t"))
        if line.strip("\t "):
            lines.append((line, level))

    for node in soup.descendants:
        if not isinstance(node, NavigableString) or isinstance(node, Comment) or not node.strip():
            continue
        block = node.find_parent(list(_HTML_BLOCKS))
        cell = block if block is not None and block.name in ("td", "th") else None
        row = cell.find_parent("tr") if cell is not None else None
        key = id(row) if row is not None else id(block)
        if key != current_key:
            if current_key is not None:
                flush()
            current_key, current_cell, parts = key, cell, []
            level = int(block.name[1]) if block is not None and block.name in _HTML_HEADINGS else None
        elif cell is not None and cell is not current_cell:
            parts.append("\t")
            current_cell = cell
        parts.append(str(node))
    if current_key is not None:
        flush()
    for number, (line, heading) in enumerate(lines, start=1):
        doc.lines.append(Line(line, number, heading=heading))
