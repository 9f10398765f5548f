"""pySHACL as the tests' yardstick, with each SPARQL text parsed once per process and proven unchanged at
every later use (issue 16; docs/decisions/0028-suite-parsed-once-and-balanced.md).

pySHACL sends rdflib the same query texts for every data graph, and rdflib's ``SPARQLProcessor.query``
turns a text into a query with ``translateQuery(parseQuery(text), base, initNs)`` every time, then
evaluates it with ``evalQuery``; the parse is about 60% of a fixture's pySHACL run. Here the translated
query is made by those same calls the first time a text is seen, with ``pickle.dumps`` of it taken right
then (before it is ever evaluated), and kept. Before every evaluation the kept query is pickled again and
must give those bytes: so each evaluation is handed a query equal, down to every attribute of every node,
to the one rdflib made from the text, and the results are those of stock pySHACL. An evaluation that left
anything behind in a query (an attribute, a changed node) fails the test that ran it. (rdflib supports
evaluating one translated query many times: ``prepareQuery``.)

pySHACL also gathers the shapes again on every call: ``Validator`` wraps the shapes graph in a new
``ShapesGraph``, whose ``shapes_from_uris`` builds a ``Shape`` for every shape reachable from the
requested ones (about 40% of what is left of a fixture's run). The shapes are read from the shapes
graph alone, and a ``Shape`` keeps nothing from a validation (its constraint components are made anew
by each ``validate``). So within the block the ``Shape`` list first made for one shapes graph object
and one list of shape IRIs is handed to the later runs on that same object, as long as the graph still
has the triples it had then (same length, and the same object is held so its id is not reused); any
other graph, list or length is gathered by pySHACL as before. Its ``Shape`` objects refer to the
``ShapesGraph`` that made them, so nested shapes are looked up where they were gathered.
"""
from __future__ import annotations

import contextlib
import io
import pickle
import threading

_lock = threading.RLock()
_made: dict = {}  # (text, base, initNs) -> (translated query, its pickle before its first evaluation)
_gathered: dict = {}  # (id of shapes graph, shape IRIs) -> (that graph, its length then, the Shape list)


class _Snapshot(pickle.Pickler):
    """``pickle.dumps`` but for the one attribute rdflib's evaluation leaves behind: ``Expr.eval`` sets
    ``self.ctx`` and resets it to None, so an evaluated expression has ``ctx = None`` in its ``__dict__``
    where a new one has none. Both read as None (``CompValue.__getattr__`` returns None for a name that is
    neither attribute nor key), so an expression's ``ctx`` is left out of the bytes when it is None."""

    def reducer_override(self, obj):
        from rdflib.plugins.sparql.parserutils import Expr

        if type(obj) is Expr and "ctx" in vars(obj):
            assert "ctx" not in obj, "a query node with a key 'ctx' would not read as None without the attribute"
            if obj.ctx is None:
                cls, args, state, items, pairs = obj.__reduce_ex__(pickle.HIGHEST_PROTOCOL)[:5]
                return cls, args, {k: v for k, v in state.items() if k != "ctx"}, items, pairs
        return NotImplemented


def snapshot(query) -> bytes:
    out = io.BytesIO()
    _Snapshot(out, pickle.HIGHEST_PROTOCOL).dump(query)
    return out.getvalue()


@contextlib.contextmanager
def parsed_once():
    """rdflib's ``SPARQLProcessor.query`` with the parse kept and checked, and pySHACL's gathered shapes
    kept (both above), while the block runs."""
    from pyshacl.shapes_graph import ShapesGraph
    from rdflib.plugins.sparql import processor

    with _lock:
        stock = processor.SPARQLProcessor.query

        def query(self, strOrQuery, initBindings=None, initNs=None, base=None, DEBUG=False):  # noqa: N803
            if isinstance(strOrQuery, str):
                key = (strOrQuery, base, tuple(sorted((initNs or {}).items())))
                if key not in _made:
                    made = processor.translateQuery(processor.parseQuery(strOrQuery), base, initNs)
                    _made[key] = (made, snapshot(made))
                made, before = _made[key]
                assert snapshot(made) == before, f"an evaluation changed the parsed query {strOrQuery[:200]!r}"
                strOrQuery = made
            return processor.evalQuery(self.graph, strOrQuery, initBindings, base)

        processor.SPARQLProcessor.query = query
        gathering = ShapesGraph.shapes_from_uris
        ShapesGraph.shapes_from_uris = _shapes_gathered_once(gathering)
        try:
            yield
        finally:
            processor.SPARQLProcessor.query = stock
            ShapesGraph.shapes_from_uris = gathering


def _shapes_gathered_once(gathering):
    def shapes_from_uris(self, shapes_uris):
        key = (id(self.graph), tuple(shapes_uris))
        kept = _gathered.get(key)
        if kept is not None and kept[0] is self.graph and kept[1] == len(self.graph):
            return kept[2]
        shapes = gathering(self, shapes_uris)
        _gathered[key] = (self.graph, len(self.graph), shapes)
        return shapes
    return shapes_from_uris
