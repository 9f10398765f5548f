"""The heading structure of a document and its sentences, each with where it is.

Headings come from three places, in order of trust:

1. markup the document carries (a Word heading style, ``<h2>``, a Markdown ``##``);
2. the document's own contents list: a line that repeats an entry of the "Contents" block;
3. layout: a short stand-alone line between blank lines, without end punctuation.

The first two are *stated* headings: the document promises content under them, so
``scan`` judges them (DOC-03). Layout headings only name the section a sentence is in.
"""
from __future__ import annotations

import bisect
import re
from dataclasses import dataclass, field

from .extract import Line, SourceDocument
from .normalise import normalise_text

_CONTENTS_ENTRY = re.compile(r"^\s*(?P<title>\S.*?)[\s.\u2026·]*\t*\s*(?P<page>\d{1,3})\s*$")
_SENTENCE_END = re.compile(r"(?<=[.!?])[\"'\u201d\u2019]?\s+(?=[A-Z0-9\"'\u201c\u2018(£])")
_MARKUP = re.compile(r"<[^>]*>|\t")
MAX_QUOTE = 480  # Evidence.quote allows 500


@dataclass(frozen=True)
class Heading:
    text: str
    line: Line
    level: int
    stated: bool                 # markup or contents list: the document promises content under it
    index: int                   # position in SourceDocument.lines


@dataclass(frozen=True)
class Sentence:
    text: str                    # as extracted, whitespace made single spaces (verbatim after normalisation)
    line: Line                   # the line the sentence starts on
    heading: Heading | None

    @property
    def section(self) -> str:
        return self.heading.text if self.heading else "(before the first heading)"


@dataclass
class Structure:
    doc: SourceDocument
    headings: list[Heading] = field(default_factory=list)
    contents: list[str] = field(default_factory=list)
    contents_lines: set[int] = field(default_factory=set)   # line indexes of the contents block
    continuation_lines: set[int] = field(default_factory=set)  # second and third lines of a wrapped heading
    sentences: list[Sentence] = field(default_factory=list)

    def heading_at(self, index: int) -> Heading | None:
        """The last heading at or before line ``index`` (headings are in line order)."""
        at = bisect.bisect_right([h.index for h in self.headings], index) - 1
        return self.headings[at] if at >= 0 else None

    def where(self, line: Line) -> str:
        """'page 3' (PDF) or 'line 12' for evidence and messages."""
        return f"page {line.page}" if line.page is not None else f"line {line.number}"

    def empty_headings(self) -> list[Heading]:
        """Stated headings with nothing under them before the next stated heading of the same or a
        higher level (a layout heading counts as content: it starts a block of text)."""
        out = []
        stated = [h for h in self.headings if h.stated]
        lines = self.doc.lines
        for i, h in enumerate(stated):
            end = len(lines)
            for later in stated[i + 1:]:
                if later.level <= h.level:
                    end = later.index
                    break
            body = [ln for ln in lines[h.index + 1:end] if ln.text.strip()]
            # A sub-heading (deeper stated heading) is content; nothing at all is not.
            if not body:
                out.append(h)
        return out


def _key(text: str) -> str:
    return re.sub(r"[\s.\u2026·:]+$", "", normalise_text(text)).casefold()


def analyse(doc: SourceDocument) -> Structure:
    s = Structure(doc)
    lines = doc.lines
    _read_contents(s)
    wanted = {_key(t) for t in s.contents}
    skip: set[int] = set()
    for index, line in enumerate(lines):
        text = line.text.strip()
        if not text or index in s.contents_lines or index in skip:
            continue
        joined = _wrapped_entry(lines, index, wanted) if wanted and line.heading is None else None
        if line.heading is not None:
            s.headings.append(Heading(text, line, line.heading, True, index))
        elif _key(text) in wanted:
            s.headings.append(Heading(re.sub(r"[\s.:]+$", "", text), line, 1, True, index))
        elif joined:
            text, used = joined
            s.headings.append(Heading(text, line, 1, True, index))
            skip.update(range(index + 1, index + used))
            s.continuation_lines.update(range(index + 1, index + used))
        elif _layout_heading(lines, index):
            s.headings.append(Heading(re.sub(r"\s*:$", "", text), line, 9, False, index))
    s.sentences = list(_sentences(s))
    return s


def _wrapped_entry(lines: list[Line], index: int, wanted: set[str]) -> tuple[str, int] | None:
    """A contents entry the layout wrapped over two or three lines (a heading in a narrow column)."""
    parts = [lines[index].text.strip()]
    for extra in (1, 2):
        if index + extra >= len(lines) or not lines[index + extra].text.strip():
            return None
        parts.append(lines[index + extra].text.strip())
        if _key(" ".join(parts)) in wanted:
            return " ".join(parts), extra + 1
    return None


def _read_contents(s: Structure) -> None:
    lines = s.doc.lines
    for index, line in enumerate(lines[:400]):
        if normalise_text(line.text).casefold() in ("contents", "table of contents", "contents page"):
            misses = 0
            for j in range(index + 1, min(len(lines), index + 200)):
                text = lines[j].text
                if not text.strip():
                    if s.contents:
                        misses += 1
                        if misses > 1:
                            break
                    continue
                match = _CONTENTS_ENTRY.match(text)
                if not match:
                    break
                misses = 0
                s.contents.append(match.group("title").strip())
                s.contents_lines.add(j)
            s.contents_lines.add(index)
            return


def _layout_heading(lines: list[Line], index: int) -> bool:
    text = lines[index].text.strip()
    words = text.split()
    if not (1 <= len(words) <= 10) or len(text) > 90 or "\t" in lines[index].text:
        return False
    if not (text[0].isupper() or text[0].isdigit()) or text[-1] in ".,;!?\"”'’)" or text.startswith(("-", "•", "*", "<")):
        return False
    if text.endswith(":") and len(words) <= 8 and not text.endswith("::"):
        return True  # a label line ('Safeguarding Adults Board:'), also where extraction keeps no blank lines (PDF)
    before = lines[index - 1].text.strip() if index > 0 else ""
    after = lines[index + 1].text.strip() if index + 1 < len(lines) else ""
    return not before and not after


def _paragraphs(s: Structure):
    """Runs of consecutive text lines, as (first line index, lines). A table row or contents entry is
    a paragraph of its own; a heading ends a paragraph."""
    heading_lines = {h.index for h in s.headings} | s.continuation_lines
    run: list[int] = []
    for index, line in enumerate(s.doc.lines):
        text = line.text.strip()
        breaks = (not text or index in heading_lines or index in s.contents_lines or "\t" in line.text
                  or text.startswith(("-", "•", "*", "·")) or re.match(r"^\(?[0-9ivx]{1,3}[.)]\*?\*?\s", text))
        if breaks and run:
            yield run
            run = []
        if not text or index in heading_lines or index in s.contents_lines:
            continue
        run.append(index)
        if "\t" in line.text:
            yield run
            run = []
    if run:
        yield run


def _sentences(s: Structure):
    """Every sentence, with the heading it is under; a heading's own text is a sentence too (an
    appendix title, a heading naming a period). Markup left in the text (``<p>``, a tab between
    table cells) splits sentences, so each quote is a verbatim run of the text."""
    lines = s.doc.lines
    heading_starts = {h.index for h in s.headings}
    runs = [(run[0], run) for run in _paragraphs(s)] + [(h.index, [h.index]) for h in s.headings]
    for first, run in sorted(runs):
        # Spaces made single, tabs kept: a tab separates table cells, which are quoted one by one.
        parts = [re.sub(r"[^\S\t]+", " ", lines[i].text.replace("**", "")).strip() for i in run]
        text = " ".join(parts)
        starts, offset = [], 0   # where each line of the run starts in ``text``
        for part in parts:
            starts.append(offset)
            offset += len(part) + 1
        heading = s.heading_at(first - 1) if first in heading_starts else s.heading_at(first)
        cursor = 0
        for chunk in _MARKUP.split(text):
            for part in _SENTENCE_END.split(chunk):
                found = text.find(part, cursor) if part else -1
                if found >= 0:
                    cursor = found + len(part)
                part = part.strip(" -•·*")
                if len(part) > 1:
                    at = bisect.bisect_right(starts, max(found, 0)) - 1
                    yield Sentence(_shorten(part), lines[run[at]], heading)


def _shorten(text: str) -> str:
    if len(text) <= MAX_QUOTE:
        return text
    cut = text[:MAX_QUOTE]
    return cut[: cut.rfind(" ")] if " " in cut else cut
