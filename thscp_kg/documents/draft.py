"""``thscp-kg draft``: a proposed partnership-year data file, read by rule from the documents.

Every fact is read from a sentence, a table row or a heading of a document, and carries that
text as its evidence quote, verified against the extracted text before it is kept (a fact
whose quote cannot be found is dropped, never written). Every evidence item is marked
``proposed: true`` until a person confirms it (docs/decisions/0012). Nothing is inferred that
the text does not state: roles such as "delegated safeguarding partner", reporting lines and
purposes are left for the person encoding the year.

Only documents about the year drafted are read for facts: the year is the period of the most
recent yearly report (or ``--period``); a document whose title names another period, or several,
is listed in the notes and skipped.
"""
from __future__ import annotations

from pathlib import Path

import re
from dataclasses import dataclass, field

from ..errors import DataError
from .extract import SourceDocument
from .normalise import normalise_text
from .reading import (PAIR, PAIR_RE, Stated, dated_figures, guidance_citations, named_bodies, period_bounds,
                      stated_periods, title_period)
from .scan import DocumentView, view_of
from .structure import Heading, Sentence, Structure

MAX_EVIDENCE = 3
NATIONAL = [  # names documents use → ids of the predefined national bodies (catalogue/national-bodies.yaml)
    (r"National\s+(?:Child\s+)?Safeguarding\s+Practice\s+Review\s+Panel|Child\s+Safeguarding\s+Practice\s+Review\s+Panel"
     r"|(?:The\s+)?National\s+Panel", "national-panel"),
    (r"Foundations", "foundations"),
    (r"What\s+Works\s+(?:Centre\s+)?for\s+Children", "wwcsc"),
    (r"Department\s+for\s+Education|\bDfE\b", "dfe"),
    (r"\bOfsted\b", "ofsted"),
    (r"\bMOPAC\b|Mayor's\s+Office\s+for\s+Policing", "mopac"),
]
_NOT_ORGANISATIONS = re.compile(r"\b(?:team|teams|services?|early\s+help|department|unit)\b", re.IGNORECASE)
_STOP = {"of", "for", "and", "the", "&", "a", "an", "in", "to", "on"}


def slug(text: str) -> str:
    s = re.sub(r"[^a-z0-9]+", "-", normalise_text(text).lower().replace("'", "")).strip("-")
    return (s or "item")[:63].strip("-")


def _tokens(text: str) -> set[str]:
    """Significant words, lower case: possessives and 'co-ordinator' spellings made one."""
    text = normalise_text(text).lower().replace("'s", "").replace("'", "").replace("co-ordinator", "coordinator")
    return {re.sub(r"^childrens$", "children", w) for w in re.findall(r"[a-z0-9]+", text) if w not in _STOP}


def acronyms(name: str) -> set[str]:
    words = [w for w in re.findall(r"[A-Za-z][\w'’-]*", name) if w.lower() not in _STOP]
    out = set()
    variants = [words, words[1:]]
    if words and words[-1].lower() in ("group", "board", "panel", "forum", "sub-group"):
        variants += [words[:-1], words[1:-1]]
    for variant in variants:
        if len(variant) >= 2:
            out.add("".join(w[0] for w in variant).upper())
    return out


def kind_of(name: str) -> str:
    n = name.lower()
    if "integrated care board" in n or re.search(r"\bicb\b", n):
        return "integrated-care-board"
    if "clinical commissioning" in n or re.search(r"\bccgs?\b", n):
        return "clinical-commissioning-group"
    if "police" in n:
        return "police"
    if re.search(r"local authority|council|borough|children'?s services", normalise_text(n)):
        return "local-authority"
    if re.search(r"school|education|college|academ", n):
        return "education"
    if "voluntary" in n or "charit" in n:
        return "voluntary-sector"
    if re.search(r"nhs|trust|health|\bgp\b|hospital|cafcass|probation|youth justice|prison|elft", n):
        return "relevant-agency"
    return "other"


def schedule_category(name: str) -> str | None:
    n = name.lower()
    if re.search(r"nhs|trust|health|\bgp\b|hospital|elft", n):
        return "health-and-social-care"
    if "cafcass" in n:
        return "miscellaneous"
    if re.search(r"probation|youth justice|prison", n):
        return "criminal-justice"
    return None


@dataclass
class Fact:
    kind: str                     # organisations, people, posts, groups, ...
    key: str
    data: dict
    evidence: list[dict] = field(default_factory=list)


class Drafter:
    def __init__(self, docs: list[SourceDocument], period: str | None = None, former_bodies=(),
                 guidance_pattern: str = r"Working\s+Together", stale_years: int = 3,
                 base: Path | None = None) -> None:
        self.base = base  # the folder the drafted file goes to: source paths are written relative to it
        self.views = [view_of(d) for d in docs]
        self.stale_years = stale_years
        self.notes: list[str] = []
        self.former_bodies = former_bodies
        self.guidance_pattern = guidance_pattern
        self.period = period or self._latest_report_period()
        self.used: list[DocumentView] = []
        for view in self.views:
            if view.period == self.period:
                self.used.append(view)
            else:
                said = f"it is about {view.period}" if view.period else "its title names no single period"
                self.notes.append(f"{view.structure.doc.display}: not read for {self.period} ({said}).")
        self.source_ids = {id(v): self._source_id(v) for v in self.used}
        self.facts: dict[str, dict[str, Fact]] = {}
        self.short_name: str | None = None
        self.area: str | None = None

    # -- the year ---------------------------------------------------------------------------------
    def _latest_report_period(self) -> str:
        periods = sorted({v.period for v in self.views if v.period and _is_report(v)}
                         or {v.period for v in self.views if v.period})
        if not periods:
            names = ", ".join(v.structure.doc.display for v in self.views)
            raise DataError("no document names the year it is about in its title lines.", file=names,
                            fix="give the yearly report (its title says e.g. 'Annual Report 2023-24'), or name the "
                                "year with --period 2023-24.")
        return periods[-1]

    def _source_id(self, view: DocumentView) -> str:
        if _is_cover(view) and view.date:
            return f"cover-report-{view.date.isoformat()}"
        if _is_report(view):
            return f"report-{view.period}"
        return slug(view.structure.doc.path.stem)

    # -- evidence ---------------------------------------------------------------------------------
    def evidence(self, view: DocumentView, sentence: Sentence, quote: str | None = None) -> dict | None:
        """Evidence for a fact: the quote must be found in the document's extracted text."""
        quote = normalise_text(quote or sentence.text)[:480]
        where = view.structure.doc.find_quote(quote)
        if where is None:
            return None
        section = sentence.section
        place = view.structure.where(sentence.line)
        return {"source": self.source_ids[id(view)], "section": f"{section} ({place})", "quote": quote,
                "proposed": True}

    def add(self, kind: str, key: str, data: dict, ev: dict | None, merge: bool = True) -> Fact | None:
        if ev is None:
            return None  # nothing proposed without a quote found in the text
        bucket = self.facts.setdefault(kind, {})
        fact = bucket.get(key)
        if fact is None:
            fact = bucket[key] = Fact(kind, key, dict(data))
        elif merge:
            for k, v in data.items():
                better = k == "name" and isinstance(v, str) and not _NOT_ORGANISATIONS.search(v) and (
                    len(v) > len(fact.data[k]) or _NOT_ORGANISATIONS.search(fact.data[k]))
                if k not in fact.data or better:
                    fact.data[k] = v
        if ev not in fact.evidence and len(fact.evidence) < MAX_EVIDENCE:
            fact.evidence.append(ev)
        return fact

    # -- reading ----------------------------------------------------------------------------------
    def run(self) -> dict:
        for view in self.used:
            self._partnership(view)
        for view in self.used:
            self._organisations(view)
            self._people_and_posts(view)
            self._groups(view)
            self._linked_boards(view)
            self._funding(view)
            self._counts(view)
            self._practice_reviews(view)
        for view in self.used:
            self._documents(view)
        return self._assemble()

    def _partnership(self, view: DocumentView) -> None:
        pattern = re.compile(r"(?:The\s+)?((?:[A-Z][\w'’-]+\s+){1,4}(?:Safeguarding\s+Children(?:['’]s)?|Children(?:['’]s)?"
                             r"\s+Safeguarding)\s+Partnership)(?:\s+\((?P<short>[A-Z]{3,8})\))?")
        for sentence in view.structure.sentences:
            m = pattern.search(sentence.text)
            if not m:
                continue
            name = " ".join(m.group(1).split())
            if "partnership" in self.facts and (not m.group("short") or self.short_name):
                continue
            ev = self.evidence(view, sentence)
            fact = self.add("partnership", "partnership", {"name": name}, ev, merge=False)
            if fact and m.group("short"):
                self.short_name = m.group("short")
                fact.data["short_name"] = m.group("short")
                fact.data["name"] = name
                fact.evidence = [ev]
            area = re.sub(r"\s+(?:Safeguarding\s+Children(?:['’]s)?|Children(?:['’]s)?\s+Safeguarding)\s+Partnership$",
                          "", name)
            if fact and area != name:
                self.area = area
                fact.data["area"] = area

    def _org(self, view: DocumentView, name: str, sentence: Sentence, quote: str | None = None,
             kind: str | None = None) -> str | None:
        """Add an organisation by name (merged with one of the same statutory kind, or with the same
        name or acronym); return its id."""
        name = re.sub(r"^(?:the|an?)\s+", "", " ".join(name.split()), flags=re.IGNORECASE).strip(" .,:;")
        if not name or any(re.fullmatch(p, name, re.IGNORECASE) for p, _ in NATIONAL):
            return None
        kind = kind or kind_of(name)
        key = kind if kind in ("local-authority", "integrated-care-board", "police", "clinical-commissioning-group") \
            else self._org_key(name)
        data = {"name": name, "kind": kind}
        category = schedule_category(name)
        if category and kind == "relevant-agency":
            data["schedule_category"] = category
        fact = self.add("organisations", key, data, self.evidence(view, sentence, quote))
        return key if fact else None

    def _org_key(self, name: str) -> str:
        tokens = _tokens(name)
        for key, fact in self.facts.get("organisations", {}).items():
            other = fact.data["name"]
            if tokens == _tokens(other) or name.upper() in acronyms(other) or other.upper() in acronyms(name):
                return key
        return slug(name)

    def _organisations(self, view: DocumentView) -> None:
        s = view.structure
        partners = [(r"\(a\)\s*the\s+local\s+authority", "Local Authority", "local-authority"),
                    (r"\(b\)\s*an?\s+integrated\s+care\s+board", "Integrated Care Board", "integrated-care-board"),
                    (r"\(c\)\s*the\s+chief\s+officer\s+of\s+police", "Police", "police")]
        for sentence in s.sentences:
            found = [(n, k) for p, n, k in partners if re.search(p, sentence.text, re.IGNORECASE)]
            for (pattern, name, kind) in partners:
                m = re.search(pattern, sentence.text, re.IGNORECASE)
                if m and len(found) >= 2:
                    key = self._org(view, name, sentence, m.group(0), kind)
                    if key:
                        self.add("safeguarding_partners", key, {"organisation": key}, self.evidence(view, sentence, m.group(0)))
        # Members listed as a table under a membership heading.
        for heading in s.headings:
            if not re.search(r"\bmembership\b|\bmembers\b|partners\s+include", heading.text, re.IGNORECASE):
                continue
            for line in _lines_under(s, heading):
                if "\t" not in line.text:
                    continue
                for cell in (c.strip() for c in line.text.split("\t")):
                    if cell and len(cell.split()) <= 6 and not _NOT_ORGANISATIONS.search(cell) and cell[0].isupper():
                        self._org(view, cell, Sentence(cell, line, heading), cell)

    def _people_and_posts(self, view: DocumentView) -> None:
        s = view.structure
        lines = s.doc.lines
        area = re.escape(self.area) if self.area else r"(?!)"
        title_end = rf"(?=,|\.|;|\s+with\s|\s+who\s|\s+responsible\s|\s+for\s+(?:the\s+)?(?:London\s+Borough\s+of\s+)?{area}\b|$)"
        for sentence in s.sentences:
            text = sentence.text
            # "Steve Reddy is the Interim Statutory Director of Children's Services for Tower Hamlets"
            m = re.match(r"(?P<subject>(?:[A-Z][\w'’-]+\s+){0,4}[A-Z][\w'’-]+)\s+is\s+the\s+(?P<interim>[Ii]nterim\s+)?"
                         rf"(?P<title>[A-Za-z][\w'’ -]*?){title_end}", text)
            if m and not m.group("subject").startswith(("The ", "This ", "It ", "There ")):
                person, prefix, org = self._card(lines, sentence, m.group("subject"))
                if person:
                    title = prefix or m.group("title").strip()
                    self._post(view, sentence, title, person, interim=bool(m.group("interim")), org_name=org)
                continue
            # "The THSCP Independent Scrutineer is Laurelle Brown"
            m = re.search(r"(?:The\s+)?(?P<title>(?:[A-Z][\w-]*\s+){0,3}(?:Independent\s+Scrutineer|Chair|Manager|Director|"
                          r"Officer|Co-?ordinator))\s+is\s+(?P<name>[A-Z][a-z]+\s+[A-Z][a-z'’-]+)\b", text)
            if m:
                self._post(view, sentence, m.group("title"), m.group("name"), quote=text[m.start():])
                continue
            # "Report of: Steve Reddy, Corporate Director Childrens Services"
            m = re.search(r"Report\s+of:\s*(?P<name>[A-Z][a-z]+\s+[A-Z][a-z'’-]+),\s*(?P<title>[^,.;]+)", text)
            if m:
                self._post(view, sentence, m.group("title"), m.group("name"), quote=text[m.start():])
                continue
            # "Louise Griffiths – Partnership and Strategy Manager"
            m = re.search(r"(?P<name>[A-Z][a-z]+\s+[A-Z][a-z'’-]+)\s+[–—-]\s+(?P<title>[A-Z][\w ]*?(?:Manager|Director|"
                          r"Officer|Lead|Co-?ordinator|Scrutineer|Chair))\b", text)
            if m:
                self._post(view, sentence, m.group("title"), m.group("name"), quote=text[m.start():])
                continue
        for sentence in s.sentences:
            self._signatories(view, sentence)
            self._business_unit(view, sentence)
            if re.search(r"\bintroduced\s+['‘]?Young\s+Scrutineers", sentence.text):
                self._post(view, sentence, "Young Scrutineer", None, role="young-scrutineer")

    def _card(self, lines, sentence: Sentence, subject: str) -> tuple[str | None, str | None, str | None]:
        """A profile card: a name line, an organisation line, then 'Korkor is the ...'. Returns the full
        name, a title written before the surname ('Detective Chief Superintendent') and the organisation."""
        words = subject.split()
        index = sentence.line.number
        position = next((i for i, ln in enumerate(lines) if ln.number == index), None)
        if position is not None:
            for back in range(position - 1, max(-1, position - 6), -1):
                text = lines[back].text.strip()
                if re.fullmatch(r"[A-Z][a-z'’-]+(?:\s+[A-Z][a-z'’-]+){1,2}", text) and (
                        words[-1] in text.split() or words[0] in text.split()):
                    org = next((lines[j].text.strip() for j in range(back + 1, position) if lines[j].text.strip()), None)
                    name_words = set(text.split())
                    prefix = " ".join(w for w in words if w not in name_words) or None
                    return text, prefix, org
        if len(words) in (2, 3) and all(w[0].isupper() for w in words):
            return subject, None, None
        return None, None, None

    def _post(self, view: DocumentView, sentence: Sentence, title: str, person: str | None, *, interim: bool = False,
              org_name: str | None = None, role: str | None = None, quote: str | None = None) -> str | None:
        title = re.sub(r"^(?:the\s+)", "", " ".join(title.split()), flags=re.IGNORECASE)
        role = role or _role_of(title)
        if self.short_name and role != "business-unit":  # "THSCP Independent Scrutineer" → "Independent Scrutineer"
            title = re.sub(rf"^{re.escape(self.short_name)}\s+", "", title)
        ev = self.evidence(view, sentence, quote)
        if ev is None:
            return None
        person_id = None
        if person and role != "young-scrutineer":  # young people are never named (no child-identifying data)
            person_id = slug(person)
            self.add("people", person_id, {"name": person}, ev)
        key = self._post_key(title, person_id)
        data: dict = {"title": title, "role": role}
        org = org_name or _org_in_title(title)
        if org:
            org_key = self._org(view, org, sentence, quote or sentence.text) if view.structure.doc.find_quote(org) else None
            if org_key:
                data["organisation"] = org_key
        fact = self.add("posts", key, data, ev)
        if fact is not None and person_id:
            holders = fact.data.setdefault("holders", [])
            holder = next((h for h in holders if h["person"] == person_id), None)
            if holder is None:
                holder = {"person": person_id, "evidence": []}
                if interim:
                    holder["interim"] = True
                holders.append(holder)
            if ev not in holder["evidence"] and len(holder["evidence"]) < MAX_EVIDENCE:
                holder["evidence"].append(ev)
        return key

    def _post_key(self, title: str, person_id: str | None) -> str:
        tokens = _tokens(title)
        for key, fact in self.facts.get("posts", {}).items():
            held = {h["person"] for h in fact.data.get("holders", [])}
            other = fact.data["title"]
            same_holder = person_id is not None and person_id in held
            if _tokens(other) == tokens or (same_holder and len(_tokens(other) & tokens) >= 2) \
                    or title.upper() in acronyms(other) or other.upper() in acronyms(title):
                return key
        return slug(title)

    def _signatories(self, view: DocumentView, sentence: Sentence) -> None:
        m = re.search(r"(?P<planned>will\s+be|was|has\s+been|were)\s+signed\s+off\s+by\s+(?:the\s+)?(?:\w+\s+)?partners?"
                      r"(?:\s+including)?\s+(?P<list>.+?)\.?$", sentence.text)
        if not m:
            return
        for item in re.split(r",\s*(?:and\s+)?|\s+and\s+(?=the\s)|\s+as\s+well\s+as\s+", m.group("list")):
            part = re.match(r"(?:the\s+)?(?P<title>[A-Z][\w ]*?)(?:\s+(?:for|of)\s+(?:the\s+)?(?:local\s+)?(?P<org>[A-Z][\w ]+))?$",
                            item.strip())
            if not part:
                continue
            key = self._post(view, sentence, part.group("title"), None,
                             org_name=part.group("org"), quote=sentence.text)
            if key and m.group("planned").startswith("will"):
                self.add("sign_offs", key, {"post": key, "planned": True}, self.evidence(view, sentence))

    def _business_unit(self, view: DocumentView, sentence: Sentence) -> None:
        m = re.search(r"Business\s+Unit\s+consists\s+of\s+(?:\w+\s+)(?:employees|staff|posts|people),\s+(?P<list>.+?)\.?$",
                      sentence.text)
        if not m:
            return
        for item in re.split(r",\s*(?:and\s+)?|\s+and\s+", m.group("list")):
            item = item.strip()
            if item:
                title = f"{self.short_name} {item}" if self.short_name else f"Business Unit {item}"
                self._post(view, sentence, title, None, role="business-unit")

    def _groups(self, view: DocumentView) -> None:
        kinds = r"(?:Group|Panel|Forum|group|Sub-Group|Sub-group|Subgroup)"
        definition = re.compile(r"^The\s+(?P<name>(?:[A-Z][\w&'’-]*\s+)(?:(?:and|&)\s+[A-Z][\w'’-]*\s+|[A-Z][\w&'’-]*\s+)*?"
                                + kinds + r")\s+(?:oversees|joins|has|is|was|meets|reviews|supports|brings|leads|works|"
                                          r"holds|aims|sets|consists)\b")
        named = re.compile(r"(?:an?|the)\s+(?P<name>(?:[A-Z][\w-]*\s+){1,4}(?:Sub-Group|Sub-group|Subgroup))\b")
        task = re.compile(r"(?P<lead>[A-Z][\w ]*?)-led\s+Task\s+and\s+Finish\s+group\s+to\s+(?P<purpose>[^.;]+)")
        setup = re.compile(r"(?:Development|Set\s+up|Establishment|Formation)\s+of\s+(?:an?\s+|the\s+)?['‘]?"
                           r"(?P<name>[a-z][a-z ]+?\s+group)['’]?(?:$|\s)")
        for sentence in view.structure.sentences:
            for regex in (definition, named, setup):
                for m in regex.finditer(sentence.text):
                    self._group(view, sentence, m.group("name"))
            m = task.search(sentence.text)
            if m:
                key = self._group(view, sentence, f"Task and finish group to {m.group('purpose').strip()}",
                                  kind="task-and-finish")
                chair = self._post_key(m.group("lead"), None)
                if key and chair in self.facts.get("posts", {}):
                    self.facts["groups"][key].data["chair"] = chair

    def _group(self, view: DocumentView, sentence: Sentence, name: str, kind: str | None = None) -> str | None:
        name = " ".join(name.split())
        name = re.sub(rf"^{re.escape(self.short_name)}\s+", "", name) if self.short_name else name
        name = name[0].upper() + name[1:]
        if kind is None:
            lower = name.lower()
            kind = ("panel" if lower.endswith("panel") else "forum" if lower.endswith("forum")
                    else "executive" if re.fullmatch(r"executive(?: board| group)?", lower) else "sub-group")
        tokens = _tokens(name) - {"group", "sub", "subgroup"}
        key = slug(name)
        for other_key, fact in self.facts.get("groups", {}).items():
            other = _tokens(fact.data["name"]) - {"group", "sub", "subgroup"}
            short = re.sub(r"\s*(?:sub-?)?group$|[&\s]", "", name, flags=re.IGNORECASE).upper()
            if (tokens and other and (tokens <= other or other <= tokens)) or short in acronyms(fact.data["name"]):
                key = other_key
                break
        fact = self.add("groups", key, {"name": name, "kind": kind}, self.evidence(view, sentence), merge=False)
        return key if fact else None

    def _linked_boards(self, view: DocumentView) -> None:
        s = view.structure
        for i, heading in enumerate(s.headings):
            if not (heading.stated and re.search(r"boards?.*\blinked|linked\s+to|other\s+(?:strategic\s+)?(?:boards|partnerships)",
                                                 heading.text, re.IGNORECASE)):
                continue
            for sub in s.headings[i + 1:]:
                if sub.stated and sub.level <= heading.level:
                    break
                name = re.sub(r"^The\s+", "", sub.text).strip(" :")
                body = [x for x in s.sentences if x.heading is sub and x.text != sub.text]
                if not body:
                    continue
                first = body[0]
                fuller = re.match(r"The\s+((?:[A-Z][\w'’-]*\s+)+" + re.escape(name.split()[-1]) + r")\b", first.text)
                if fuller and fuller.group(1).endswith(name.split()[-1]):
                    name = fuller.group(1).strip()
                paragraph = " ".join(x.text for x in body[:3])
                data: dict = {"name": name, "kind": _board_kind(name)}
                if re.search(r"\bstatutory\b|required\s+by\s+law", paragraph, re.IGNORECASE):
                    data["statutory"] = True
                self.add("linked_boards", slug(name), data, self.evidence(view, first))

    def _funding(self, view: DocumentView) -> None:
        s = view.structure
        for heading in s.headings:
            if not re.search(r"funding|budget", heading.text, re.IGNORECASE):
                continue
            columns, header_cells, label, turn = None, [], None, 0
            for line in _lines_under(s, heading):
                text = line.text
                if re.fullmatch(r"\s*(?:income|expenditure)\s*", text, re.IGNORECASE):
                    columns = columns or ["income", "expenditure"]  # the header's cells on lines of their own
                    continue
                if columns and "\t" not in text:
                    # A table whose cells the extraction put on lines of their own (PDF): a label line,
                    # then its amount; columns by order (income, expenditure, per row).
                    amount = _MONEY.fullmatch(text.strip())
                    if amount and label:
                        quote = normalise_text(f"{label.split('>')[-1]} {text.strip()}")
                        if re.fullmatch(r"total", label.strip(), re.IGNORECASE):
                            turn = 0 if f"stated_{columns[0]}_total" not in self.facts.get("funding", {}).get(
                                "funding", Fact("", "", {})).data else 1
                        self._money(view, Sentence(quote, line, heading), columns[turn % 2], label,
                                    amount.group("amount"), quote)
                        turn, label = turn + 1, None
                        continue
                    if text.strip() and len(text) <= 120 and not re.search(r"[.;]\s", text):
                        label = text.strip()
                        continue
                if re.search(r"\bincome\b", text, re.IGNORECASE) and re.search(r"\bexpenditure\b", text, re.IGNORECASE):
                    columns = ["income", "expenditure"]
                    header_cells = [(i, c.strip().lower()) for i, c in enumerate(text.split("\t"))
                                    if c.strip().lower() in columns] if "\t" in text else []
                    continue
                pairs = _money_pairs(text)
                if not pairs or columns is None:
                    continue
                for position, (label_raw, amount_text, quote, cell) in enumerate(pairs):
                    if cell is not None and header_cells:  # a table row: the column its label sits under
                        column = max((c for c in header_cells if c[0] <= cell), default=header_cells[0])[1]
                    elif position < len(columns):
                        column = columns[position]
                    else:
                        continue
                    self._money(view, Sentence(quote, line, heading), column, label_raw, amount_text, quote)
            if "funding" in self.facts:
                body = [x for x in s.sentences if x.heading is heading and not x.text.startswith(('"', "“"))]
                if body:
                    self.add("funding", "funding", {}, self.evidence(view, body[0]))

    def _money(self, view, sentence: Sentence, column: str, label_raw: str, amount_text: str, quote: str) -> None:
        amount = int(round(float(amount_text.replace(",", ""))))
        label = re.sub(r"<[^>]*>.*", "", label_raw).split(":")[0].strip(" :•")  # 'Salaries and oncosts: • Manager ...'
        ev = self.evidence(view, sentence, quote)
        if ev is None:
            return
        if re.fullmatch(r"total", label, re.IGNORECASE):
            self.add("funding", "funding", {f"stated_{column}_total": {"amount": amount, "currency": "GBP"}}, ev)
            return
        extra = []
        if label_raw.strip() != label and label:
            label_ev = self.evidence(view, sentence, label + (":" if ":" in label_raw else ""))
            if label_ev and label_ev["quote"] in ev["quote"]:
                label_ev = None  # the amount's quote already names the item
            extra = [label_ev] if label_ev else []
        if column == "expenditure":
            fact = self.add("expenditure", slug(label), {"item": label, "amount": {"amount": amount, "currency": "GBP"}}, ev)
            if fact:
                fact.evidence.extend(e for e in extra if e not in fact.evidence)
            return
        contributor = next((i for p, i in NATIONAL if re.search(p, label)), None)
        if contributor is None:
            clean = re.sub(r"\s*\(.*?\)|\s+grant\b", "", label, flags=re.IGNORECASE)
            if kind_of(clean) == "other":
                return  # not an organisation (an expenditure line read in the wrong column, say)
            contributor = self._org(view, clean, sentence, quote)
        if contributor is None:
            return
        data: dict = {"contributor": contributor, "amount": {"amount": amount, "currency": "GBP"}}
        if re.search(r"\bgrant\b", label, re.IGNORECASE):
            data["kind"] = "grant"
        if re.search(r"one[-\s]off", label, re.IGNORECASE):
            data["one_off"] = True
        self.add("contributions", f"{contributor}-{amount}", data, ev)

    def _counts(self, view: DocumentView) -> None:
        patterns = [
            ("rapid-reviews", "Rapid Reviews", r"(?P<n>\d+)\s+(?:of\s+)?Rapid\s+Reviews?\b"),
            ("practice-reviews", "Child Safeguarding Practice Reviews",
             r"(?P<n>\d+)\s+(?:Local\s+)?Child\s+Safeguarding\s+Practice\s+Reviews?\b|(?P<n2>\d+)\s+CSPRs?\b"),
            ("other", "Serious incident notifications", r"(?P<n>\d+)\s+(?:serious\s+incident\s+)?notifications\b"),
            ("training-sessions", None, r"(?P<n>\d+)\s+(?P<label>(?:[\w-]+\s+){0,3}(?:[Tt]raining)(?:\s+and\s+\w+)?\s+[Ss]essions)"),
            ("contacts", "Contacts received", r"(?P<n>\d[\d,]*)\s+contacts\s+in\s+(?P<p>" + PAIR + r")"),
            ("referral-rate-per-10k", "Rate of referrals per 10,000 children",
             r"referral\s+rate\s+(?:is|was|of)\s+(?P<n>\d[\d,]*)"),
            ("child-in-need-rate-per-10k", "Rate of Children in Need per 10,000",
             r"Children\s+in\s+Need\s+per\s+10,000.*?rate\s+of\s+(?P<n>\d+)\s+in\s+(?P<p>" + PAIR + r")"),
        ]
        from ..materialise.documents import read_period
        for sentence in view.structure.sentences:
            for measure, label, pattern in patterns:
                for m in re.finditer(pattern, sentence.text):
                    value = int((m.group("n") or m.groupdict().get("n2") or "0").replace(",", ""))
                    stated = m.groupdict().get("p")
                    if stated is None:
                        pair = next((p for p in PAIR_RE.finditer(sentence.text)
                                     if re.search(r"\b(?:in|during|for)\s+$", sentence.text[: p.start()], re.IGNORECASE)), None)
                        stated = pair.group(0) if pair else None
                    reading = read_period(stated) if stated else None
                    if reading and reading.normalised and reading.normalised != self.period:
                        continue  # another year's figure (last year's, for comparison)
                    if reading is None and measure in ("contacts", "referral-rate-per-10k", "child-in-need-rate-per-10k"):
                        continue
                    data = {"measure": measure, "value": value,
                            "label": label or " ".join(m.group("label").split())}
                    if stated:
                        data["stated_period"] = stated.replace(" ", "")
                    self.add("activity_counts", f"{measure}-{slug(data['label'])}", data, self.evidence(view, sentence),
                             merge=False)

    def _practice_reviews(self, view: DocumentView) -> None:
        sentences = view.structure.sentences
        for i, sentence in enumerate(sentences):
            m = re.search(r"(?:Review|CSPR)\s+was\s+named\s+['‘](?P<title>[^'’]+)['’]", sentence.text)
            if m:
                context = " ".join(x.text for x in sentences[max(0, i - 1): i + 1])
                status = "published" if re.search(r"\bwas\s+published\b", context) else (
                    "completed" if re.search(r"finali[sz]ed|completed", context) else "in-progress")
                ev = [self.evidence(view, x) for x in sentences[max(0, i - 1): i + 1]]
                fact = self.add("practice_reviews", slug(m.group("title")), {"title": m.group("title"), "status": status},
                                ev[-1])
                if fact and ev[0] and ev[0] not in fact.evidence:
                    fact.evidence.insert(0, ev[0])
            for m in re.finditer(r"\b(?P<title>CSPR\s+[A-Z][a-z]+)\s+published\s+in\s+(?P<year>(?:19|20)\d\d)", sentence.text):
                self.add("practice_reviews", slug(m.group("title")),
                         {"title": m.group("title"), "status": "published", "published_year": int(m.group("year"))},
                         self.evidence(view, sentence, m.group(0)))

    def _documents(self, view: DocumentView) -> None:
        s = view.structure
        doc_id = self.source_ids[id(view)]
        title_sentence = next((x for x in s.sentences if re.search(r"annual\s+report", x.text, re.IGNORECASE)), None)
        if title_sentence is None:
            return
        data: dict = {"id": doc_id, "kind": "yearly-report" if _is_report(view) and not _is_cover(view) else
                      "cover-report" if _is_cover(view) else "other",
                      "title": _title(s)}
        if data["kind"] == "yearly-report":
            start, end = period_bounds(self.period)
            data["covers"] = {"start": start, "end": end}
            data["sections"] = self._sections(view)
        if data["kind"] == "cover-report":
            report = next((self.source_ids[id(v)] for v in self.used if _is_report(v) and not _is_cover(v)), None)
            if report:
                data["presents"] = report
            first = next((ln.text.strip() for ln in s.doc.lines if ln.text.strip()), "")
            if re.fullmatch(r"(?:[A-Z][\w']*\s*){1,5}", first) and re.search(r"Cabinet|Board|Committee|Council|Panel|Executive", first):
                data["presented_to"] = first
            if view.date:
                data["presented_on"] = view.date
        statements = self._statements(view)
        if statements:
            data["statements"] = statements
        self.add("documents", doc_id, data, self.evidence(view, title_sentence))

    def _sections(self, view: DocumentView) -> list[dict]:
        s = view.structure
        empty = {h.index for h in s.empty_headings()}
        out: list[dict] = []
        seen: set[tuple[str, str]] = set()
        for heading in s.headings:
            if not heading.stated and (":" in heading.text or re.match(r"(?:Figure|Table|Chart|Graph|Data\s+Source)\b",
                                                                        heading.text)):
                continue
            for topic in _topics(heading.text):
                if (topic, heading.text) in seen:
                    continue
                body = [x for x in s.sentences if x.heading is heading and x.text != heading.text]
                has_content = heading.index not in empty and bool(body)
                if not heading.stated and not body:
                    continue
                ev = self.evidence(view, body[0] if body else Sentence(heading.text, heading.line, heading))
                if ev:
                    seen.add((topic, heading.text))
                    entry = {"topic": topic, "heading": heading.text}
                    if not has_content:
                        entry["has_content"] = False
                    out.append(entry | {"evidence": [ev]})
        for sentence in s.sentences:  # gaps the document acknowledges, under the heading they are in
            if re.search(r"acknowledged\s+as\s+requiring|requir\w+\s+further\s+attention|not\s+progressed|gaps?\s+identified",
                         sentence.text, re.IGNORECASE) and sentence.heading is not None:
                key = ("progress-gaps", sentence.heading.text)
                ev = self.evidence(view, sentence)
                if key not in seen and ev:
                    seen.add(key)
                    out.append({"topic": "progress-gaps", "heading": sentence.heading.text, "evidence": [ev]})
        return out

    def _statements(self, view: DocumentView) -> list[dict]:
        s = view.structure
        titled = title_period(s)
        found: list[Stated] = []
        if titled and titled[1] is not None:  # the period its title states, quoting the title
            title = _title(s)
            pair = next((m.group(0) for m in PAIR_RE.finditer(title)), None)
            if pair:
                found.append(Stated("stated-period", pair, Sentence(title, titled[1].line, None)))
        found += list(stated_periods(s)) + guidance_citations(s, self.guidance_pattern)
        found += [st for st, _ in named_bodies(s, self.former_bodies)] + dated_figures(s)
        out, seen = [], set()
        for st in found:
            start = period_bounds(self.period)[0]
            if st.kind == "figure" and not (st.as_at and st.as_at < start.replace(year=start.year - self.stale_years)):
                continue  # only figures older than the profile allows: the ones the staleness check is for
            key = (st.kind, st.value)
            ev = self.evidence(view, st.sentence)
            if key in seen or ev is None:
                continue
            seen.add(key)
            entry: dict = {"kind": st.kind, "value": st.value[:480]}
            if st.as_at:
                entry["as_at"] = st.as_at
            out.append(entry | {"evidence": [ev]})
        return out

    # -- the file -----------------------------------------------------------------------------------
    def _assemble(self) -> dict:
        facts = {k: list(v.values()) for k, v in self.facts.items()}
        partnership = facts.get("partnership", [None])[0]
        if partnership is None:
            names = ", ".join(v.structure.doc.display for v in self.used)
            raise DataError("no sentence names the partnership ('The X Safeguarding Children Partnership').", file=names,
                            fix="give the yearly report or arrangements, which name the partnership.")
        area = partnership.data.get("area") or partnership.data["name"]
        start, end = period_bounds(self.period)
        sources = []
        for view in self.used:
            src: dict = {"id": self.source_ids[id(view)], "title": _title(view.structure)}
            declared = source_path(view.structure.doc.path, self.base)
            if declared is not None:
                src["file"] = declared
            else:
                self.notes.append(f"{view.structure.doc.display}: not inside the data file's folder, so no 'file:' "
                                  "is proposed; copy it into the partnership's sources/ folder and add "
                                  "'file: sources/<name>' to check its quotes.")
            if view.date:
                src["date"] = view.date
            sources.append(src)
        data: dict = {
            "schema_version": 1,
            "partnership": {"id": slug(area), "name": partnership.data["name"],
                            **({"short_name": partnership.data["short_name"]} if "short_name" in partnership.data else {}),
                            "areas": [{"id": slug(area), "name": area, "evidence": partnership.evidence[:1]}],
                            "evidence": partnership.evidence},
            "period": {"id": self.period, "start": start, "end": end},
        }
        dates = sorted(v.date for v in self.used if v.date)
        if dates:
            data["as_of"] = dates[-1]
        data["sources"] = sources
        data["organisations"] = [{"id": f.key, **f.data, "evidence": f.evidence} for f in facts.get("organisations", [])]
        partners = facts.get("safeguarding_partners", [])
        if len(partners) >= 2:
            data["safeguarding_partners"] = [{**f.data, "evidence": f.evidence} for f in partners]
        data["people"] = [{"id": f.key, **f.data, "evidence": f.evidence} for f in facts.get("people", [])]
        data["posts"] = [{"id": f.key, **{k: v for k, v in f.data.items() if k != "holders"},
                          "holders": f.data.get("holders", []), "evidence": f.evidence} for f in facts.get("posts", [])]
        data["groups"] = [{"id": f.key, **f.data, "evidence": f.evidence} for f in facts.get("groups", [])]
        self._rotating_chair(data)
        for key in ("linked_boards", "practice_reviews"):
            data[key] = [{"id": f.key, **f.data, "evidence": f.evidence} for f in facts.get(key, [])]
        documents = [{**f.data, "evidence": f.evidence} for f in facts.get("documents", [])]
        sign_offs = [{**f.data, "evidence": f.evidence} for f in facts.get("sign_offs", [])]
        submissions = self._submissions()
        for doc in documents:
            if doc["kind"] == "yearly-report":
                if sign_offs:
                    doc["sign_offs"] = sign_offs
                if submissions:
                    doc["submissions"] = submissions
        data["documents"] = documents
        funding = facts.get("funding", [None])[0]
        contributions = facts.get("contributions", [])
        expenditure = facts.get("expenditure", [])
        if funding or contributions or expenditure:
            block: dict = {"financial_year": self.period}
            if contributions:
                block["contributions"] = [{**f.data, "evidence": f.evidence} for f in contributions]
            if expenditure:
                block["expenditure"] = [{**f.data, "evidence": f.evidence} for f in expenditure]
            if funding:
                block.update({k: v for k, v in funding.data.items() if k.startswith("stated_")})
                block["evidence"] = funding.evidence
            data["funding"] = block
        data["activity_counts"] = [{**f.data, "evidence": f.evidence} for f in facts.get("activity_counts", [])]
        return {k: v for k, v in data.items() if v not in ([], None)}

    def _rotating_chair(self, data: dict) -> None:
        partners = [p["organisation"] for p in data.get("safeguarding_partners", [])]
        executive = next((g for g in data["groups"] if g["kind"] == "executive"), None)
        if not partners or executive is None:
            return
        for view in self.used:
            for sentence in view.structure.sentences:
                if re.search(r"rotational\s+chair|chair\s+rotates|rotating\s+chair", sentence.text, re.IGNORECASE):
                    ev = self.evidence(view, sentence)
                    if ev:
                        executive["chair_rotates_between"] = partners
                        executive["evidence"] = executive["evidence"] + [ev]
                        return

    def _submissions(self) -> list[dict]:
        out = []
        for view in self.used:
            for sentence in view.structure.sentences:
                m = re.search(r"(?P<will>will|shall|is\s+to)\s+(?:also\s+)?(?:go|be\s+sent|be\s+submitted)\s+to\s+(?P<list>.+?)"
                              r"\s+within\s+(?P<days>\d+)\s+(?:working\s+)?days", sentence.text)
                if not m:
                    continue
                ev = self.evidence(view, sentence)
                for pattern, body in NATIONAL:
                    if re.search(pattern, m.group("list")) and ev and body not in {o["recipient"] for o in out}:
                        out.append({"recipient": body, "planned": True, "within_days": int(m.group("days")),
                                    "evidence": [ev]})
        return out


# -- helpers ------------------------------------------------------------------------------------------
def _is_report(view: DocumentView) -> bool:
    head = " ".join(ln.text for ln in view.structure.doc.lines[:40])
    return bool(re.search(r"annual\s+report|yearly\s+report", head, re.IGNORECASE))


def _is_cover(view: DocumentView) -> bool:
    head = " ".join(ln.text for ln in view.structure.doc.lines[:60])
    return bool(re.search(r"Report\s+of:|recommended\s+to|Recommendations", head))


def _title(s: Structure) -> str:
    for line in s.doc.lines[:40]:
        if re.search(r"annual\s+report|yearly\s+report", line.text, re.IGNORECASE):
            title = " ".join(line.text.replace("#", " ").split())
            if not PAIR_RE.search(title):  # the period on the next non-empty line, as on a title page
                nxt = next((x.text.strip() for x in s.doc.lines[s.doc.lines.index(line) + 1:] if x.text.strip()), "")
                if PAIR_RE.fullmatch(nxt):
                    title = f"{title} {nxt}"
            return title[:200]
    return s.doc.name


def _lines_under(s: Structure, heading: Heading):
    stated_after = [h.index for h in s.headings if h.stated and h.index > heading.index]
    end = stated_after[0] if stated_after else len(s.doc.lines)
    return s.doc.lines[heading.index + 1:end]


_MONEY = re.compile(r"£\s?(?P<amount>\d[\d,]*(?:\.\d{2})?)(?![\d,])")


def _money_pairs(text: str) -> list[tuple[str, str, str, int | None]]:
    """(label as written, amount, verbatim quote, label's cell) for each 'label £amount' on a table
    row: cells split by tabs (Word, HTML, text), else by position on the line (PDF). A line of prose
    (a label longer than a table cell) is not a row."""
    out: list[tuple[str, str, str, int | None]] = []
    if "\t" in text:
        label, label_cell = "", None
        for index, cell in enumerate(text.split("\t")):
            m = _MONEY.fullmatch(cell.strip())
            if m:
                if label.strip():
                    tail = label.split(">")[-1].strip()
                    out.append((label, m.group("amount"), normalise_text(f"{tail} {cell.strip()}"), label_cell))
                label = ""
            elif cell.strip():
                label, label_cell = cell, index
        return out
    position = 0
    for m in _MONEY.finditer(text):
        label = text[position:m.start()].strip()
        if label and len(label) <= 60 and not re.search(r"[.;]\s", label):
            out.append((label, m.group("amount"), normalise_text(text[position:m.end()]), None))
        position = m.end()
    return out


def _role_of(title: str) -> str:
    t = title.lower()
    if "young scrutineer" in t:
        return "young-scrutineer"
    if "scrutineer" in t:
        return "independent-scrutineer"
    if "lead safeguarding partner" in t:
        return "lead-safeguarding-partner"
    if "delegated safeguarding partner" in t:
        return "delegated-safeguarding-partner"
    if re.search(r"(?:partnership|independent)\s+chair", t):
        return "partnership-chair"
    return "other"


def _org_in_title(title: str) -> str | None:
    m = re.search(r"Children'?s\s+Services|Integrated\s+Care\s+Board|Police", title)
    return m.group(0) if m else None


def _board_kind(name: str) -> str:
    n = name.lower()
    if "adult" in n:
        return "safeguarding-adults-board"
    if "health and wellbeing" in n:
        return "health-and-wellbeing-board"
    if "community safety" in n:
        return "community-safety-partnership"
    if "children" in n and "famil" in n:
        return "children-and-families-partnership"
    return "other"


_TOPICS = [
    (r"key\s+achievements|\bachievements\b", ["activity", "impact-evidence"]),
    (r"key\s+challenges|\bchallenges\b", ["effectiveness", "progress-gaps"]),
    (r"rapid\s+reviews?|practice\s+reviews?|case\s+reviews?", ["practice-reviews", "learning"]),
    (r"young\s+scrutineers?|voice\s+of|engagement|feedback\s+from\s+children", ["child-family-feedback"]),
    (r"\bpriorit", ["priorities"]),
    (r"quality\s+assurance", ["improvement"]),
    (r"funding|budget", ["funding"]),
    (r"scrutineer['’]?s|scrutiny\s+(?:report|findings)|reflections", ["scrutiny-findings"]),
    (r"independent\s+scrutiny", ["independent-scrutiny"]),
    (r"training|learning\s+events", ["training"]),
    (r"year\s+ahead|next\s+year|strategic\s+plan|plan\s+for\s+20", ["plan-for-next-year"]),
    (r"^(?:multi-agency\s+)?data\b", ["data-and-intelligence"]),
    (r"\bmembership\b|relevant\s+agencies", ["relevant-agencies"]),
]


def _topics(heading: str) -> list[str]:
    for pattern, topics in _TOPICS:
        if re.search(pattern, heading, re.IGNORECASE):
            return topics
    return []


def source_path(document: Path, base: Path | None) -> str | None:
    """``document`` as a data file in ``base`` declares it (``sources/x.pdf``), or None when it lies
    outside that folder (the loader refuses paths that climb out of the partnership's folder)."""
    try:
        relative = Path(document).resolve().relative_to((base or Path.cwd()).resolve())
    except ValueError:
        return None
    text = relative.as_posix()
    return text if re.fullmatch(r"[A-Za-z0-9_./-]{1,200}", text) else None


def draft_year(docs: list[SourceDocument], profile=None, period: str | None = None,
               base: Path | None = None) -> tuple[dict, list[str]]:
    rules = profile.documents if profile is not None else None
    drafter = Drafter(docs, period, former_bodies=rules.former_bodies if rules else (),
                      guidance_pattern=rules.guidance_pattern if rules else r"Working\s+Together",
                      stale_years=rules.stale_figure_years if rules else 3, base=base)
    return drafter.run(), drafter.notes


HEADER = """\
# Proposed by `thscp-kg draft` from {sources}.
#
# Every fact below was read by rule from the documents and carries its evidence: the source,
# the section (with the page or line) and a quotation found verbatim in the extracted text.
# Each evidence item says `proposed: true` until a person has confirmed it: read the quote,
# correct the fact if needed (names, kinds, roles and ids are the draft's reading), then delete
# the `proposed: true` line. Facts the documents do not state are absent, not guessed: add
# roles (lead or delegated safeguarding partner), reporting lines, dates and purposes by hand.
# The period is taken as April to March (the reporting and financial year).
"""


def render_yaml(data: dict, sources: list[str]) -> str:
    import yaml

    class _Dumper(yaml.SafeDumper):
        def ignore_aliases(self, data) -> bool:  # the loader refuses anchors: write shared evidence out in full
            return True

    def _str(dumper, value: str):
        style = '"' if (":" in value or value[:1] in "'\"#&*!|>%@`-?{}[],") or value != value.strip() else None
        return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=style)

    _Dumper.add_representer(str, _str)
    body = yaml.dump(data, Dumper=_Dumper, sort_keys=False, allow_unicode=True, width=110, default_flow_style=False)
    return HEADER.format(sources=", ".join(sources)) + "\n" + body
