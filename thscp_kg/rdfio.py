"""Deterministic Turtle: same graph, same bytes (blank nodes relabelled canonically first)."""
from __future__ import annotations

import hashlib

from rdflib import BNode, Graph, URIRef
from rdflib.namespace import RDF
from rdflib.plugins.stores.memory import SimpleMemory

from .namespaces import bind_all


def deterministic_turtle(graph: Graph) -> str:
    has_bnodes = any(isinstance(n, BNode) for t in graph for n in t)
    source = canonical_bnodes(graph) if has_bnodes else graph
    out = bind_all(DataGraph())   # the lean store (below): the same bytes, a third faster
    out += source
    return out.serialize(format="longturtle")


def canonical_bnodes(graph: Graph) -> Graph:
    """``graph`` with each blank node named by a hash of what it says (its outgoing triples, the blank
    nodes among them hashed the same way). A validation report is a tree of blank nodes, for which
    this is a canonical labelling in linear time; rdflib's general canonicaliser, kept for graphs
    where two blank nodes say the same thing or refer to each other in a cycle, took most of a
    second on a one-year report."""
    triples = list(graph)
    rename = canonical_renaming(triples)
    if rename is None:
        from rdflib.compare import to_canonical_graph
        return to_canonical_graph(graph)
    out = DataGraph()
    for t in triples:
        out.add(tuple(rename.get(n, n) for n in t))
    return out


def canonical_renaming(triples: list[tuple]) -> dict[BNode, BNode] | None:
    """The new name of each blank node of ``triples`` (``canonical_bnodes``'s labelling, read in one pass
    over them); None when blank nodes refer to each other in a cycle, where the labelling does not apply."""
    outgoing: dict[BNode, list] = {}
    parents: dict[BNode, list] = {}
    children: dict[BNode, list[BNode]] = {}
    for s, p, o in triples:
        if isinstance(s, BNode):
            outgoing.setdefault(s, []).append((p, o))
            parents.setdefault(s, [])
            children.setdefault(s, [])
        if isinstance(o, BNode):
            parents.setdefault(o, []).append((s, p))
            children.setdefault(o, [])
            if isinstance(s, BNode):
                children[s].append(o)
    labels: dict[BNode, str] = {}
    visiting: set[BNode] = set()

    def label(node: BNode) -> str | None:
        if node in labels:
            return labels[node]
        if node in visiting:
            return None  # a cycle
        visiting.add(node)
        parts = []
        for p, o in outgoing.get(node, ()):
            if isinstance(o, BNode):
                inner = label(o)
                if inner is None:
                    return None
                parts.append(f"{p.n3()} _:{inner}")
            else:
                parts.append(f"{p.n3()} {o.n3()}")
        visiting.discard(node)
        labels[node] = hashlib.sha256("\n".join(sorted(parts)).encode()).hexdigest()[:24]
        return labels[node]

    if any(label(node) is None for node in parents):
        return None
    # Blank nodes that say the same thing (e.g. the same path cloned into two results) are told
    # apart by who points at them, parents named first; any still tied have the same parents and
    # content, so they are interchangeable and the order of their numbering cannot show.
    waiting = {n: sum(isinstance(s, BNode) for s, _ in parents[n]) for n in parents}
    ready = sorted((n for n in parents if waiting[n] == 0), key=labels.__getitem__)
    final: dict[BNode, str] = {}
    used: dict[str, int] = {}
    while ready:
        node = ready.pop()
        said = sorted(f"{'_:' + final[s] if isinstance(s, BNode) else s.n3()} {p.n3()}" for s, p in parents[node])
        name = hashlib.sha256((labels[node] + "\n" + "\n".join(said)).encode()).hexdigest()[:24]
        used[name] = used.get(name, 0) + 1
        final[node] = name if used[name] == 1 else f"{name}x{used[name]}"
        for child in children[node]:
            waiting[child] -= 1
            if waiting[child] == 0:
                ready.append(child)
    if len(final) != len(parents):
        return None  # a node never reached (its parents in a cycle)
    return {n: BNode("c" + name) for n, name in final.items()}


def ntriples(graph: Graph) -> str:
    """``graph.serialize(format="nt")``, the same text (rdflib's rows, in its order), with the N-Triples form
    of each IRI and blank node made once: ``URIRef.n3`` checks every character of the IRI each time it is
    written, and a year's data graph writes its ~1,000 subjects and predicates ~8,000 times (decision 0030).
    Literals are quoted as rdflib quotes them, every time (their equality ignores the case of a language tag,
    so they are not memoised). Like rdflib, text that cannot be UTF-8 encoded raises UnicodeEncodeError."""
    from rdflib import Literal
    from rdflib.plugins.serializers.nt import _quoteLiteral

    memo: dict = {}

    def n3(term) -> str:
        if isinstance(term, Literal):
            return term.n3()
        key = (type(term), term)
        text = memo.get(key)
        if text is None:
            text = memo[key] = term.n3()
        return text

    spo = graph._spo if type(graph) is DataGraph else None
    if spo is not None:   # the same rows in the same order, read from the index: each subject and predicate once
        rows = []
        for s, by_p in spo.items():
            s3 = n3(s)
            for p, objects in by_p.items():
                sp = f"{s3} {n3(p)} "
                rows += [f"{sp}{_quoteLiteral(o) if isinstance(o, Literal) else n3(o)} .\n" for o in objects]
    else:
        rows = ["%s %s %s .\n" % (n3(s), n3(p), _quoteLiteral(o) if isinstance(o, Literal) else n3(o))
                for s, p, o in graph]
    text = "".join(rows)
    text.encode("utf-8")   # rdflib encodes each row: the same error for a lone surrogate
    return text


def data_graph() -> Graph:
    """A new, empty graph in a ``TripleIndex`` store: what a partnership-year's data graph is built in."""
    return DataGraph()


def context_aware(graph: Graph) -> Graph:
    """``graph`` itself when its store is context-aware (pySHACL needs one), else a copy in rdflib's
    default store with the same triples and namespace bindings."""
    if graph.store.context_aware:
        return graph
    copy = Graph(bind_namespaces="none")
    for prefix, namespace in graph.namespaces():
        copy.bind(prefix, namespace, override=True, replace=True)
    copy += graph
    return copy


class TripleIndex(SimpleMemory):
    """rdflib's in-memory store for one graph, without the default store's per-triple context
    bookkeeping and its add event (a data graph has one context and nobody listens): three indexes,
    subject→predicate→object, predicate→object→subject and object→subject→predicate, in the order the
    triples were added, and a count. The namespace bindings are rdflib's ``SimpleMemory``'s. Its own
    ``add`` and lookups catch nothing: ``SimpleMemory.add`` wraps its lookups in bare ``except:``,
    and a Ctrl-C delivered inside a term's ``__hash__`` would be taken for a missing key (decision
    0027). Each lookup lists the keys it walks first, as rdflib's default store does, so a caller may
    add to the graph while reading it. Not context-aware: pySHACL's reference engine is given a copy
    in rdflib's default store (``validate.engines``). Decision 0033."""

    def __init__(self, configuration=None, identifier=None) -> None:
        super().__init__(configuration, identifier)
        self._spo: dict = {}
        self._pos: dict = {}
        self._osp: dict = {}
        self._count = 0

    def add(self, triple, context=None, quoted: bool = False) -> None:
        s, p, o = triple
        by_p = self._spo.get(s)
        if by_p is None:
            by_p = self._spo[s] = {}
        objects = by_p.get(p)
        if objects is None:
            objects = by_p[p] = {}
        elif o in objects:
            return
        objects[o] = None
        by_o = self._pos.get(p)
        if by_o is None:
            by_o = self._pos[p] = {}
        subjects = by_o.get(o)
        if subjects is None:
            subjects = by_o[o] = {}
        subjects[s] = None
        by_s = self._osp.get(o)
        if by_s is None:
            by_s = self._osp[o] = {}
        predicates = by_s.get(s)
        if predicates is None:
            predicates = by_s[s] = {}
        predicates[p] = None
        self._count += 1

    def remove(self, triple_pattern, context=None) -> None:
        for (s, p, o), _ in list(self.triples(triple_pattern)):
            for index, a, b, c in ((self._spo, s, p, o), (self._pos, p, o, s), (self._osp, o, s, p)):
                inner = index[a]
                del inner[b][c]
                if not inner[b]:
                    del inner[b]
                    if not inner:
                        del index[a]
            self._count -= 1

    def triples(self, triple_pattern, context=None):
        s, p, o = triple_pattern
        none = ()
        if s is not None:
            by_p = self._spo.get(s)
            if by_p is None:
                return
            if p is not None:
                objects = by_p.get(p)
                if objects is None:
                    return
                if o is not None:
                    if o in objects:
                        yield (s, p, o), iter(none)
                    return
                for o in list(objects):
                    yield (s, p, o), iter(none)
                return
            for p, objects in list(by_p.items()):
                if o is not None:
                    if o in objects:
                        yield (s, p, o), iter(none)
                else:
                    for o2 in list(objects):
                        yield (s, p, o2), iter(none)
        elif p is not None:
            by_o = self._pos.get(p)
            if by_o is None:
                return
            if o is not None:
                for s in list(by_o.get(o, none)):
                    yield (s, p, o), iter(none)
                return
            for o, subjects in list(by_o.items()):
                for s in list(subjects):
                    yield (s, p, o), iter(none)
        elif o is not None:
            for s, predicates in list(self._osp.get(o, {}).items()):
                for p in list(predicates):
                    yield (s, p, o), iter(none)
        else:
            for s, by_p in list(self._spo.items()):
                for p, objects in list(by_p.items()):
                    for o in list(objects):
                        yield (s, p, o), iter(none)

    def __len__(self, context=None) -> int:
        return self._count


_NOTHING: dict = {}


class DataGraph(Graph):
    """An rdflib ``Graph`` in a ``TripleIndex`` store (the default here) that answers its most frequent
    questions from the store's indexes directly: ``value(s, p)``, ``objects(s, p)``, ``subjects(p, o)`` and
    ``(s, p, o) in graph`` with every term given and ``p`` an IRI (not a path). Each gives what rdflib's
    ``Graph`` gives (the same terms, in the same order: the first object added is the ``value``), without
    the four generator layers between the call and the index; every other question is rdflib's. A year's
    check asks ~5,000 such questions (findings, outcomes, materialise). Decision 0033."""

    def __init__(self, store=None, *args, **kwargs) -> None:
        super().__init__(TripleIndex() if store is None else store, *args, **kwargs)
        index = self.store
        self._spo, self._pos = (index._spo, index._pos) if isinstance(index, TripleIndex) else (None, None)

    def __reduce__(self):   # rdflib's Graph pickles as a plain Graph
        return (DataGraph, (self.store, self.identifier))

    def value(self, subject=None, predicate=RDF.value, object=None, default=None, any=True):
        if object is None and subject is not None and any is True and type(predicate) is URIRef \
                and self._spo is not None:
            for o in self._spo.get(subject, _NOTHING).get(predicate, ()):
                return o
            return default
        return super().value(subject, predicate, object, default, any)

    def objects(self, subject=None, predicate=None, unique=False):
        if subject is not None and type(predicate) is URIRef and not unique and self._spo is not None \
                and not isinstance(subject, list):
            yield from list(self._spo.get(subject, _NOTHING).get(predicate, ()))
            return
        yield from super().objects(subject, predicate, unique)

    def subjects(self, predicate=None, object=None, unique=False):
        if object is not None and type(predicate) is URIRef and not unique and self._pos is not None \
                and not isinstance(object, list):
            yield from list(self._pos.get(predicate, _NOTHING).get(object, ()))
            return
        yield from super().subjects(predicate, object, unique)

    def __contains__(self, triple) -> bool:
        s, p, o = triple
        if s is not None and o is not None and type(p) is URIRef and self._spo is not None:
            return o in self._spo.get(s, _NOTHING).get(p, ())
        return super().__contains__(triple)
