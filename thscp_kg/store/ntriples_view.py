"""A read-only view of one graph held as N-Triples text: what the store check's findings and graph checks read.

``check --store`` fetches each partnership-year from the embedded store as N-Triples in one call
(its snapshot, written by rdflib, or Oxigraph's dump of the graph). Its findings and graph checks
then look up a few hundred (subject, predicate) patterns in it. ``OxigraphView`` answered them by
loading the text into an in-memory Oxigraph store (~10 ms for a year's 2,300 triples) and
converting every answer to rdflib terms; with the graph checks that was most of a 1M-triple run
(issue 16). This view sorts the text's lines (in C, ~1 ms) and finds a (subject, predicate)'s
lines by binary search; a term becomes an rdflib term only when something asks for it.

It reads the form rdflib and Oxigraph write: one triple per line, ``S P O .`` with single spaces,
IRIs unescaped, no comments, each triple once. Text from elsewhere (an endpoint's CONSTRUCT answer)
goes to ``OxigraphView``, which parses any N-Triples.
"""
from __future__ import annotations

import bisect
import re
from typing import Iterator

from rdflib import BNode, Literal, URIRef
from rdflib.namespace import RDF, XSD

_XSD_STRING = str(XSD.string)
_ESCAPE = re.compile(r"\\(?:u([0-9A-Fa-f]{4})|U([0-9A-Fa-f]{8})|(.))")
_ECHAR = {"t": "\t", "b": "\b", "n": "\n", "r": "\r", "f": "\f", '"': '"', "'": "'", "\\": "\\"}
# Terms recur across years (predicates, classes, a partnership's labels, line numbers): each is made once
# per process, up to a bound; rdflib terms are immutable, so sharing them is safe.
_TERMS: dict[str, object] = {}
_MAX_TERMS = 200_000


def _unescape(text: str) -> str:
    if "\\" not in text:
        return text
    return _ESCAPE.sub(lambda m: _ECHAR[m.group(3)] if m.group(3) is not None
                       else chr(int(m.group(1) or m.group(2), 16)), text)


def _key(term) -> str | None:
    """The N-Triples form of an IRI or blank node; None for anything else (literals are compared as terms)."""
    if isinstance(term, URIRef):
        return f"<{term}>"
    if isinstance(term, BNode):
        return f"_:{term}"
    return None


class GraphReads:
    """rdflib ``Graph``'s derived read methods, answered from a view's ``triples``: shared by
    ``NTriplesView`` and ``graph_store.OxigraphView`` (each overrides what it answers faster)."""

    __slots__ = ()

    def triples(self, pattern) -> Iterator[tuple]:
        raise NotImplementedError

    def __iter__(self):
        return self.triples((None, None, None))

    def __contains__(self, triple) -> bool:
        return next(self.triples(triple), None) is not None

    def objects(self, subject=None, predicate=None, unique: bool = False):
        return _unique((t[2] for t in self.triples((subject, predicate, None))), unique)

    def subjects(self, predicate=None, object=None, unique: bool = False):  # noqa: A002
        return _unique((t[0] for t in self.triples((None, predicate, object))), unique)

    def predicates(self, subject=None, object=None, unique: bool = False):  # noqa: A002
        return _unique((t[1] for t in self.triples((subject, None, object))), unique)

    def predicate_objects(self, subject=None, unique: bool = False):
        return _unique(((t[1], t[2]) for t in self.triples((subject, None, None))), unique)

    def subject_objects(self, predicate=None, unique: bool = False):
        return _unique(((t[0], t[2]) for t in self.triples((None, predicate, None))), unique)

    def subject_predicates(self, object=None, unique: bool = False):  # noqa: A002
        return _unique(((t[0], t[1]) for t in self.triples((None, None, object))), unique)

    def value(self, subject=None, predicate=RDF.value, object=None, default=None, any=True):  # noqa: A002
        if (subject is None) + (predicate is None) + (object is None) != 1:
            return None
        if object is None:
            values = self.objects(subject, predicate)
        elif subject is None:
            values = self.subjects(predicate, object)
        else:
            values = self.predicates(subject, object)
        first = next(values, default)
        if not any and first is not default and next(values, None) is not None:
            from rdflib.exceptions import UniquenessError
            raise UniquenessError([first])
        return first


class NTriplesView(GraphReads):
    """The read methods of ``rdflib.Graph`` that findings and graph checks use (``value``, ``objects``,
    ``subjects``, ``predicates``, ``triples``, ``in``, iteration, ``len``), as ``OxigraphView`` answers
    them: the same rdflib terms (a literal typed xsd:string is a plain literal), literals matched by
    lexical form, datatype and language."""

    __slots__ = ("_text", "_lines", "_start", "_answers")

    def __init__(self, text: str, lines: list[str] | None = None) -> None:
        """``lines``: ``text.split("\n")`` when the caller has split it already (sorted here, in place)."""
        self._text = text
        if lines is None:
            lines = text.split("\n")  # not splitlines(): a literal may hold U+2028, which N-Triples leaves as is
        lines.sort()  # a stored snapshot's lines are in order already: ~0.1 ms (docs/decisions/0037)
        self._lines = lines
        self._start = bisect.bisect_right(lines, "")  # blank lines sort first
        self._answers: dict[tuple, list] = {}  # (subject, predicate) → objects: the graph is read-only

    # -- terms -----------------------------------------------------------------------------------
    @staticmethod
    def _term(text: str):
        hit = _TERMS.get(text)
        if hit is not None:
            return hit
        if text[0] == "<":
            hit = URIRef(text[1:-1])
        elif text[0] == "_":
            hit = BNode(text[2:])
        else:
            end = text.rfind('"')
            lexical, suffix = _unescape(text[1:end]), text[end + 1:]
            if not suffix:
                hit = Literal(lexical)
            elif suffix[0] == "@":
                hit = Literal(lexical, lang=suffix[1:].lower())  # as Oxigraph reads it
            elif suffix[3:-1] == _XSD_STRING:
                hit = Literal(lexical)
            else:
                hit = Literal(lexical, datatype=URIRef(suffix[3:-1]))
        if len(_TERMS) >= _MAX_TERMS:
            _TERMS.clear()
        _TERMS[text] = hit
        return hit

    def _literal_is(self, text: str, o) -> bool:
        return text[0] == '"' and _same_literal(self._term(text), o)

    # -- the lines of a pattern, as (subject, predicate, object) strings ------------------------------
    def _from(self, prefix: str) -> Iterator[str]:
        """The lines that start with ``prefix``, in order."""
        lines = self._lines
        i = bisect.bisect_left(lines, prefix, self._start)
        while i < len(lines) and lines[i].startswith(prefix):
            yield lines[i]
            i += 1

    def _raw(self, s, p, o) -> Iterator[tuple[str, str, str]]:
        if s is not None:
            skey = _key(s)
            if skey is None:
                return
            if p is not None:
                pkey = _key(p)
                if pkey is None:
                    return
                prefix = f"{skey} {pkey} "
                n = len(prefix)
                okey = _key(o) if o is not None else None
                for line in self._from(prefix):
                    obj = line[n:-2]
                    if o is None or obj == okey or (okey is None and self._literal_is(obj, o)):
                        yield skey, pkey, obj
                return
            n = len(skey) + 1
            for line in self._from(skey + " "):
                pkey, obj = line[n:-2].split(" ", 1)
                if o is None or obj == _key(o) or (_key(o) is None and self._literal_is(obj, o)):
                    yield skey, pkey, obj
            return
        pkey = _key(p) if p is not None else None
        if p is not None and pkey is None:
            return
        okey = _key(o) if o is not None else None
        # The quick test's needle: as much of the line's end as the pattern fixes (e.g. " rdf:type scp:X .").
        needle = (f" {pkey} {okey} ." if pkey is not None and okey is not None else f" {pkey} " if pkey is not None
                  else f" {okey} ." if okey is not None else "")
        for line in self._with(needle):
            if needle in line:  # a quick test; the split below decides
                skey, pk, obj = line[:-2].split(" ", 2)
                if (pkey is None or pk == pkey) and (o is None or obj == okey
                                                     or (okey is None and self._literal_is(obj, o))):
                    yield skey, pk, obj

    def _with(self, needle: str) -> list[str]:
        """The lines holding ``needle`` (every line if it is empty), in sorted order: found with
        str.find in the text (in C), not by testing each line in Python."""
        if not needle:
            return self._lines[self._start:]
        text, found = self._text, set()
        i = text.find(needle)
        while i >= 0:
            end = text.find("\n", i)
            end = len(text) if end < 0 else end
            found.add(text[text.rfind("\n", 0, i) + 1:end])
            i = text.find(needle, end)
        return sorted(found)

    # -- rdflib.Graph's read methods ----------------------------------------------------------------
    def triples(self, pattern) -> Iterator[tuple]:
        s, p, o = pattern
        term = self._term
        return iter([(term(a), term(b), term(c)) for a, b, c in self._raw(s, p, o)])

    def __len__(self) -> int:
        return len(self._lines) - self._start

    def __contains__(self, triple) -> bool:
        return next(self._raw(*triple), None) is not None

    def objects(self, subject=None, predicate=None, unique: bool = False):
        if subject is not None and predicate is not None:  # the common case, without making triples
            found = self._answers.get((subject, predicate))
            if found is None:
                found = self._objects_of(subject, predicate)
            return _unique(iter(found), unique)
        return _unique((t[2] for t in self.triples((subject, predicate, None))), unique)

    def _objects_of(self, subject, predicate) -> list:
        """The objects of (subject, predicate) in line order, kept: the graph is read-only."""
        # _key, inlined for the common case (IRIs): a few hundred calls a year
        skey = f"<{subject}>" if type(subject) is URIRef else _key(subject)
        pkey = f"<{predicate}>" if type(predicate) is URIRef else _key(predicate)
        found = []
        if skey is not None and pkey is not None:
            prefix = f"{skey} {pkey} "
            n, lines, term = len(prefix), self._lines, self._term
            i = bisect.bisect_left(lines, prefix, self._start)
            end = len(lines)
            while i < end and lines[i].startswith(prefix):
                found.append(term(lines[i][n:-2]))
                i += 1
        self._answers[(subject, predicate)] = found
        return found

    def value(self, subject=None, predicate=RDF.value, object=None, default=None, any=True):  # noqa: A002
        if object is None and subject is not None and predicate is not None and any:
            # The common case, answered here: the first of the objects, as GraphReads.value gives it.
            found = self._answers.get((subject, predicate))
            if found is None:
                found = self._objects_of(subject, predicate)
            return found[0] if found else default
        return super().value(subject, predicate, object, default, any)

def _same_literal(a, b) -> bool:
    """Oxigraph's identity of literals: the same lexical form, datatype and language (a plain literal
    is typed xsd:string, as in RDF 1.1)."""
    return isinstance(a, Literal) and isinstance(b, Literal) and str(a) == str(b) \
        and _datatype(a) == _datatype(b) and (a.language or "").lower() == (b.language or "").lower()


def _datatype(term: Literal) -> str | None:
    if term.language:
        return None
    return str(term.datatype) if term.datatype is not None else _XSD_STRING


def _unique(items: Iterator, unique: bool) -> Iterator:
    if not unique:
        return items
    return iter(dict.fromkeys(items))
