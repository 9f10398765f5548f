"""What a document states about itself and the world, read from its sentences by rule.

Shared by ``scan`` (which judges the statements, DOC-01...06) and ``draft`` (which records them
as ``statements:`` so that ``check`` judges them again from the data). Each reader returns the
sentence it read, so the evidence quote is always verbatim text of the document.
"""
from __future__ import annotations

import calendar
import datetime as dt
import re
from dataclasses import dataclass

from ..materialise.documents import read_period
from .structure import Sentence, Structure

MONTHS = {m.lower(): i for i, m in enumerate(calendar.month_name) if m}
_MONTH = "(?:" + "|".join(calendar.month_name[1:]) + ")"
# A year pair as a period (not an ISO date '2024-07-24' nor a day/month '18/04/2024').
PAIR = r"(?<![\d/.\-])(\d{4}|\d{2})\s?[-/\u2010-\u2015]\s?(\d{4}|\d{2})(?!\d|[/\-.]\d)"
PAIR_RE = re.compile(PAIR)
_TITLE_LINES = 6
_PERIOD_CONTEXT = re.compile(
    r"(?:(?:annual|yearly)\s+report\s+(?:for\s+)?(?P<a>" + PAIR + r"))"
    r"|(?:(?P<b>" + PAIR + r")\s+(?:annual|yearly)\s+report)"
    r"|(?:over\s+the\s+(?:financial\s+|reporting\s+)?(?:year|period)s?\s+(?P<c>" + PAIR + r"))"
    r"|(?:covering\s+(?:the\s+)?(?:financial\s+|reporting\s+)?(?:year\s+)?(?P<d>" + PAIR + r"))",
    re.IGNORECASE)
_PAIR_CONTEXT = re.compile(r"(?:\b(?:in|during|for|year|years|report|fy|from|between|since|of)\s+)$", re.IGNORECASE)
_INSTRUMENT_YEAR = re.compile(
    r"\b(?:Act|Regulations|Order|Rules|Working\s+Together(?:\s+to\s+Safeguard(?:ing)?\s+Children)?|Children)"
    r"\s*,?\s*\(?(?:19|20)\d\d\)?", re.IGNORECASE)
_DMY = re.compile(r"(?<!\d)(\d{1,2})/(\d{1,2})/((?:19|20)\d\d)(?!\d)")
_DAY_MONTH_YEAR = re.compile(r"(?<!\d)(\d{1,2})(?:st|nd|rd|th)?\s+(" + _MONTH + r")\s+((?:19|20)\d\d)(?!\d)", re.IGNORECASE)
_MONTH_YEAR = re.compile(r"\b(" + _MONTH + r")\s+((?:19|20)\d\d)(?!\d)", re.IGNORECASE)
_YEAR = re.compile(r"(?<![\d£,.])((?:19|20)\d\d)(?![\d,])")
_NUMBER = re.compile(r"(?<![\w.,])£?\d[\d,]*(?:\.\d+)?(?:%|bn|m|k|st|nd|rd|th)?(?![\w])")
# Words that make a dated sentence a statistic even without a number ('life expectancy ... was the
# same as in the UK').
_MEASURE = re.compile(r"\b(?:life\s+expectancy|rates?\s+of|the\s+rate|average|proportion|per\s+cent|percentage|"
                      r"median|population|employment|unemployment|deprivation|offences|estimated?)\b", re.IGNORECASE)
_REFERENCE_NUMBER = re.compile(r"\b(?:paragraph|para|section|s|item|page|appendix|figure|table|version|v)\.?\s*\d[\d.]*",
                               re.IGNORECASE)


@dataclass(frozen=True)
class Stated:
    kind: str                    # stated-period, presents-period, cites-guidance, names-body, figure
    value: str                   # as written
    sentence: Sentence
    as_at: dt.date | None = None
    problem: str | None = None   # what is wrong, when the reader can tell on its own


def pair_text(match: re.Match) -> str:
    return f"{match.group(1)}-{match.group(2)}" if "-" in match.group(0) else match.group(0).replace(" ", "")


def _title_lines(s: Structure):
    """The document's first _TITLE_LINES lines that are not blank: where its title and date stand."""
    return [line for line in s.doc.lines if line.text.strip()][:_TITLE_LINES]


def title_period(s: Structure) -> tuple[str, Sentence | None] | None:
    """The period the document's title names ('2023-24'), if its first lines name exactly one."""
    found: dict[str, object] = {}
    for line in _title_lines(s):
        for match in PAIR_RE.finditer(line.text):
            reading = read_period(match.group(0))
            if reading.normalised:
                found.setdefault(reading.normalised, line)
    if len(found) != 1:
        return None
    period = next(iter(found))
    line = found[period]
    sentence = next((x for x in s.sentences if x.line.number >= line.number), None)  # type: ignore[union-attr]
    return period, sentence


def document_date(s: Structure) -> tuple[dt.date, str] | None:
    """The date the document's header gives (a meeting or publication date): the first date in its
    first lines, with the line it is on."""
    for line in _title_lines(s):
        dates = _dates_in(line.text)
        if dates:
            return dates[0][0], line.text.strip()
    return None


def _dates_in(text: str) -> list[tuple[dt.date, str]]:
    out = []
    for m in _DAY_MONTH_YEAR.finditer(text):
        out.append((_safe_date(int(m.group(3)), MONTHS[m.group(2).lower()], int(m.group(1))), m.group(0)))
    for m in _DMY.finditer(text):
        out.append((_safe_date(int(m.group(3)), int(m.group(2)), int(m.group(1))), m.group(0)))
    return [(d, t) for d, t in out if d]


def _safe_date(year: int, month: int, day: int) -> dt.date | None:
    try:
        return dt.date(year, month, day)
    except ValueError:
        return None


def period_bounds(label: str) -> tuple[dt.date, dt.date]:
    """'2023-24' → 1 April 2023 to 31 March 2024 (the English reporting and financial year)."""
    first = int(label[:4])
    return dt.date(first, 4, 1), dt.date(first + 1, 3, 31)


def stated_periods(s: Structure) -> list[Stated]:
    """Periods the document states for the report it is, presents or appends, or the work it reports."""
    out = []
    for sentence in s.sentences:
        for m in _PERIOD_CONTEXT.finditer(sentence.text):
            group = next(g for g in ("a", "b", "c", "d") if m.group(g))
            text = m.group(group).replace(" ", "")
            appendix = "append" in sentence.section.lower()
            kind = "presents-period" if appendix else "stated-period"
            out.append(Stated(kind, text, sentence, problem=read_period(text).problem))
    return out


def impossible_periods(s: Structure) -> list[Stated]:
    """Year pairs written as a period that cannot be a reporting year: the same year twice or
    running backwards ('23-23', '24-23'); a multi-year span only where it names a report's year."""
    out = []
    spans = {(x.sentence, x.value) for x in stated_periods(s) if x.problem}
    for sentence in s.sentences:
        for m in PAIR_RE.finditer(sentence.text):
            text = m.group(0).replace(" ", "")
            reading = read_period(text)
            if reading.problem is None:
                continue
            backwards_or_same = reading.problem.startswith(("the same year", "the second year"))
            first = m.group(1)
            plausible_year = len(first) == 4 or int(first) >= 10
            in_context = bool(_PAIR_CONTEXT.search(sentence.text[: m.start()]))
            if (backwards_or_same and plausible_year and in_context) or (sentence, text) in spans:
                out.append(Stated("stated-period", text, sentence, problem=reading.problem))
    return out


def guidance_citations(s: Structure, pattern: str) -> list[Stated]:
    regex = re.compile(r"(?:" + pattern + r")(?:\s+to\s+Safeguard(?:ing)?\s+Children)?\s*,?\s*\(?((?:19|20)\d\d)(?!\d)",
                       re.IGNORECASE)
    out = []
    for sentence in s.sentences:
        for m in regex.finditer(sentence.text):
            out.append(Stated("cites-guidance", " ".join(m.group(0).split()).rstrip("(").strip(), sentence))
    return out


_HISTORICAL = re.compile(r"\b(?:cease[ds]?|replac\w+|former(?:ly)?|previous(?:ly)?|wound\s+down|abolish\w*|"
                         r"until|transition|final\s+report|annual\s+report|last)\b", re.IGNORECASE)


def named_bodies(s: Structure, former_bodies) -> list[tuple[Stated, object]]:
    """Former bodies (profile documents.former_bodies) the document names, as written with the
    capitalised words before the match ('NHS North East London Clinical Commissioning Group');
    mentions that are plainly historical (the body's own report, 'would cease to exist') are left out."""
    out = []
    for sentence in s.sentences:
        for body in former_bodies:
            for pattern in body.names:
                m = re.search(pattern, sentence.text, re.IGNORECASE)
                if not m:
                    continue
                if any(re.search(p, sentence.text, re.IGNORECASE) for p in body.except_names):
                    break
                if _HISTORICAL.search(sentence.text) or _mentions_date_before(sentence.text, body.ceased_after):
                    break
                out.append((Stated("names-body", _with_name_before(sentence.text, m.start(), m.end()), sentence), body))
                break
    return out


def _with_name_before(text: str, start: int, end: int) -> str:
    words = text[:start].split()
    kept: list[str] = []
    for word in reversed(words):
        if re.fullmatch(r"[A-Z][\w'&-]*", word) and word not in ("The", "A", "An"):
            kept.insert(0, word)
        else:
            break
    return " ".join(kept + [text[start:end]])


def _mentions_date_before(text: str, day: dt.date) -> bool:
    return any(d <= day for d in _figure_dates(text))


def _figure_dates(text: str) -> list[dt.date]:
    """Dates a sentence gives its figures for: month and year → its last day; a year pair → the end
    of the reporting year (one year apart) or of the last year; a year → 31 December."""
    text = _INSTRUMENT_YEAR.sub(" ", text)
    dates = [d for d, _ in _dates_in(text)]
    text = _DMY.sub(" ", _DAY_MONTH_YEAR.sub(" ", text))
    for m in _MONTH_YEAR.finditer(text):
        year, month = int(m.group(2)), MONTHS[m.group(1).lower()]
        dates.append(dt.date(year, month, calendar.monthrange(year, month)[1]))
    text = _MONTH_YEAR.sub(lambda m: " " * len(m.group(0)), text)
    for m in PAIR_RE.finditer(text):
        if len(m.group(1)) == 2 and not _PAIR_CONTEXT.search(text[: m.start()]):
            continue  # '15-17 age group', not years
        first = int(m.group(1)) if len(m.group(1)) == 4 else 2000 + int(m.group(1))
        second = int(m.group(2)) if len(m.group(2)) == 4 else first // 100 * 100 + int(m.group(2))
        if second == first + 1:
            dates.append(dt.date(second, 3, 31))
        elif second > first:
            dates.append(dt.date(second, 12, 31))
    text = PAIR_RE.sub(" ", text)
    dates += [dt.date(int(m.group(1)), 12, 31) for m in _YEAR.finditer(text)]
    return dates


def dated_figures(s: Structure) -> list[Stated]:
    """Sentences that give a figure (a number that is not a date or a reference) and the date it is
    for: the latest date the sentence names, so a figure is never made older than it is."""
    out = []
    for sentence in s.sentences:
        dates = _figure_dates(sentence.text)
        if not dates:
            continue
        rest = _INSTRUMENT_YEAR.sub(" ", sentence.text)
        rest = _REFERENCE_NUMBER.sub(" ", rest)
        rest = _DMY.sub(" ", _DAY_MONTH_YEAR.sub(" ", _MONTH_YEAR.sub(" ", PAIR_RE.sub(" ", rest))))
        rest = _YEAR.sub(" ", rest)
        rest = re.sub(r"^\s*\(?[0-9ivx]{1,3}[.)]\s", " ", rest)
        if not (_NUMBER.search(rest) or _MEASURE.search(rest)):
            continue
        out.append(Stated("figure", sentence.text, sentence, as_at=max(dates)))
    return out
