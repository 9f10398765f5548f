"""SHACL engines behind one interface: each returns pySHACL's validation-report graph.

- ``reference`` — pySHACL 0.40.1, as ``validate.run_pyshacl`` has always called it. The
  yardstick: every other engine must give the same findings (tests/test_engine_parity.py).
- ``memoised`` — pySHACL with rdflib's SPARQL parse memoised by query text
  (the reference measurements' ``cache_sparql_parse`` idea). pySHACL hands rdflib the text of each
  SHACL-SPARQL constraint once per focus node and rdflib re-parses it every time; the patch is
  applied only for the duration of the call, so the reference engine stays stock.
- ``fast`` (``run_engine``'s default; ``check FILE``'s when it writes validation-report.ttl) —
  pyshacl-turbo, a Rust SHACL engine with pySHACL's API and report graph. Shapes are compiled
  once per process and reused for every partnership-year.
- ``shacl`` (the default of ``check --store``, and of ``check FILE`` otherwise: ``cli_default``) —
  the PyPI ``shacl`` package, a Rust engine with its own API; its results become a report graph
  with the fields findings read (``validate.shacl_engine``), not pySHACL's whole report graph.

Why: docs/decisions/0007-fast-path.md, 0017 and 0025 (measured with bench/run.py, bench/cold_engines.py).
The engine can be chosen per call, with ``thscp-kg check --engine``, or for a whole process
with the environment variable ``THSCP_KG_ENGINE``.
"""
from __future__ import annotations

import contextlib
import os
import threading
from dataclasses import dataclass
from typing import Iterable

from rdflib import Graph, URIRef

from ..errors import ConfigError

ENGINES = ("reference", "memoised", "fast", "shacl")
CLI_ENGINES = ("reference", "fast", "shacl")
DEFAULT_ENGINE = "fast"
# The store check (thscp-kg check --store) writes no report graph, only findings, so its default is
# the fastest engine with identical findings: docs/decisions/0017-national-scale-engine.md.
STORE_DEFAULT_ENGINE = "shacl"
ENV_VAR = "THSCP_KG_ENGINE"


def cli_default(report_graph: bool) -> str | None:
    """The engine ``thscp-kg check FILE`` uses when none is asked for (None: $THSCP_KG_ENGINE decides).
    A run that writes no validation-report.ttl needs only findings, so it takes the fastest engine with
    identical findings (``shacl``; tests/test_engine_parity.py on every fixture); the report graph must be
    pySHACL's, which ``fast`` gives (docs/decisions/0025-cold-check-engine-and-no-validators.md)."""
    if os.environ.get(ENV_VAR):
        return None
    return DEFAULT_ENGINE if report_graph else STORE_DEFAULT_ENGINE


def resolve(engine: str | None, default: str = DEFAULT_ENGINE) -> str:
    """The engine to use: the one asked for, else $THSCP_KG_ENGINE, else the default."""
    name = engine or os.environ.get(ENV_VAR) or default
    if name not in ENGINES:
        raise ConfigError(f"unknown SHACL engine '{name}'.", fix=f"choose one of {', '.join(ENGINES)} "
                          f"(--engine, or the {ENV_VAR} environment variable).")
    return name


@dataclass(frozen=True)
class NTriples:
    """A data graph as N-Triples text (e.g. dumped from the Oxigraph store): the fast engine
    parses it natively, without building an rdflib graph."""

    text: str


def run_engine(engine: str | None, data: Graph | NTriples, shapes: Graph,
               shape_iris: Iterable[URIRef] | None = None) -> Graph:
    """Validate ``data`` against ``shapes`` (only ``shape_iris`` when given); the report graph."""
    name = resolve(engine)
    if name == "fast":
        return _fast(data, shapes, shape_iris)
    if name == "shacl":
        from . import shacl_engine
        return shacl_engine.report_graph(shacl_engine.validate(data.text if isinstance(data, NTriples) else data,
                                                               shapes, shape_iris))
    graph = data if isinstance(data, Graph) else Graph().parse(data=data.text, format="nt")
    from .engines import run_pyshacl
    if name == "memoised":
        with memoised_sparql_parse():
            return run_pyshacl(graph, shapes, shape_iris, engine="reference")
    return run_pyshacl(graph, shapes, shape_iris, engine="reference")


# -- memoised: pySHACL with rdflib's SPARQL parse cached ------------------------------------------
_patch_lock = threading.Lock()
_parsed: dict = {}  # (query text, base, prefixes) -> rdflib's translated query; kept across runs


@contextlib.contextmanager
def memoised_sparql_parse():
    """Memoise rdflib's parse+translate of SPARQL text (same object ``prepareQuery`` returns)
    while the block runs; rdflib's own ``SPARQLProcessor.query`` is restored afterwards. The
    parsed queries are kept for the next run (pySHACL sends the same texts for every graph)."""
    from rdflib.plugins.sparql import processor

    with _patch_lock:
        original = processor.SPARQLProcessor.query
        cache = _parsed

        def query(self, str_or_query, initBindings=None, initNs=None, base=None, DEBUG=False):  # noqa: N803
            if isinstance(str_or_query, str):
                key = (str_or_query, base, tuple(sorted((initNs or {}).items())))
                if key not in cache:
                    cache[key] = processor.translateQuery(processor.parseQuery(str_or_query), base, initNs)
                str_or_query = cache[key]
            return processor.evalQuery(self.graph, str_or_query, initBindings or {}, base)

        processor.SPARQLProcessor.query = query
        try:
            yield
        finally:
            processor.SPARQLProcessor.query = original


# -- fast: pyshacl-turbo with shapes compiled once --------------------------------------------------
def compiled_shapes(shapes: Graph):
    """pyshacl-turbo's compiled form of ``shapes``, built once per shapes graph per process."""
    import pyshacl_turbo

    from .shapes import compiled_once

    return compiled_once("pyshacl-turbo", shapes, pyshacl_turbo.compile_shapes)


def compile_for(engine: str, shapes: Graph) -> None:
    """Compile ``shapes`` for ``engine`` now (once per process) rather than on its first validation."""
    if engine == "fast":
        try:
            compiled_shapes(shapes)
        except Exception:   # reported by the validation itself, where it always was
            pass
    elif engine == "shacl":
        from . import shacl_engine
        try:
            shacl_engine.compiled(shapes)
        except Exception:
            pass


def _fast(data: Graph | NTriples, shapes: Graph, shape_iris: Iterable[URIRef] | None) -> Graph:
    import pyshacl_turbo
    from pyshacl_turbo.rdf import Input

    try:
        program = compiled_shapes(shapes)
    except pyshacl_turbo.ValidationFailure as exc:
        raise _shapes_error(exc) from None
    source = Input(data.text, "nt", None, {}) if isinstance(data, NTriples) else data
    use = [str(s) for s in shape_iris] if shape_iris is not None else None
    try:
        _conforms, results, _text = program.validate(source, use_shapes=use)
    except pyshacl_turbo.ValidationFailure as exc:
        raise _shapes_error(exc) from None
    if not isinstance(results, Graph):
        raise _shapes_error(results)
    return results


def _shapes_error(detail) -> ConfigError:
    return ConfigError(f"the shapes could not be used: {detail}.", file="shapes/",
                       fix="correct the shape named in the message (run the test suite's shape meta-tests), "
                           "or rerun with --engine reference.")


def run_pyshacl(data: Graph, shapes: Graph, shape_iris: Iterable[URIRef] | None = None,
                engine: str | None = "reference") -> Graph:
    """Run pySHACL with explicit settings; return the results graph.

    ``engine`` other than "reference" (None: the default, see this module's docstring) hands the run to
    an engine that gives the same report faster; "reference" is pySHACL itself, below.
    """
    if engine != "reference":
        if resolve(engine) != "reference":
            return run_engine(engine, data, shapes, shape_iris)
    import pyshacl  # imported late: it is the slowest import, and --help should not pay for it

    kwargs = {}
    if shape_iris is not None:
        kwargs["use_shapes"] = [str(s) for s in shape_iris]
    from ..rdfio import context_aware

    conforms, results, _ = pyshacl.validate(
        context_aware(data), shacl_graph=shapes, inference="none", abort_on_first=False, allow_warnings=False,
        allow_infos=False, advanced=False, do_owl_imports=False, meta_shacl=False, **kwargs)
    if not isinstance(results, Graph):  # pySHACL reports a malformed shapes graph this way
        raise ConfigError(f"the shapes could not be used: {results}.", file="shapes/",
                          fix="correct the shape named in the message (run the test suite's shape meta-tests).")
    return results
