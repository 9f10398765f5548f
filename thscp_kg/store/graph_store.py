"""The store: materialised partnership-years, one named graph each, in Oxigraph or at any endpoint.

Layout (the same in the embedded store and at a SPARQL 1.1 endpoint):

- each partnership-year's materialised graph (what ``thscp-kg build --materialise`` writes) is
  the named graph whose name is the partnership-year IRI, ``scp-id:<partnership>/year/<period>``;
- the named graph ``scp-id:store/contents`` says what is stored: per partnership-year graph its
  partnership, period, as-of date, profile, triple count, source file and the file's SHA-256;
- in the embedded store, the named graph ``scp-id:store/ntriples`` holds each partnership-year
  graph's N-Triples text as one literal (``scp-store:ntriples``), its lines in sorted order,
  written with the graph and dropped with it. Reading a graph term by term out of the on-disk store costs ~10 µs of CPU
  per triple (every IRI and literal is a separate key lookup): 10 s at 1M triples, twice the
  national-scale budget; the literal is one lookup. The check uses it when its line count is the
  stored triple count and reads the graph itself otherwise (docs/decisions/0017).

- the named graph ``scp-id:store/manifest`` says what the store is meant to hold: each file a
  ``load`` set out to store (``scp-store:PendingFile``, written before anything is built) until
  its year is stored, then the year's graph (``scp-store:ExpectedYear``), in the same
  transaction as the graph itself. ``check --store`` compares it with what is there and refuses
  (exit 2) a store missing an expected year: a graph dropped or cleared behind the store's
  back, a contents entry gone, or a load that stopped part-way (docs/decisions/0021).

A partnership-year is written with one SPARQL 1.1 UPDATE (drop the old graph, insert the new, and
replace its contents entry), so it is replaced whole or not at all, and loading again replaces
it. The same update text goes to the embedded store (``pyoxigraph.Store(path)``, by default
``.thscp-store/``) and over HTTP to an endpoint (``--endpoint URL``; updates go to
``--update-endpoint``, by default the URL with a final ``/query`` or ``/sparql`` replaced by
``/update``).

Checking what is stored validates each partnership-year on its own (never the union, where the
years of one partnership would share posts and people): its graph is fetched as N-Triples in one
call (the snapshot literal; CONSTRUCT at an endpoint) and validated by the chosen engine, on
both cores; the findings read the graph through ``OxigraphView``, a read-only stand-in for the
rdflib graph, built only for a year that has results, so no rdflib graph of the data is ever
built on the fast path.
"""
from __future__ import annotations

import datetime as dt
import hashlib
import http.client
import json
import os
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterable, Iterator

from rdflib import BNode, Literal, Namespace, URIRef
from rdflib.namespace import RDF, XSD

from ..errors import ConfigError, UserError
from ..namespaces import BASE, PREFIXES, SCP_ID
from .ntriples_view import GraphReads

DEFAULT_DIR = Path(".thscp-store")
CONTENTS = SCP_ID["store/contents"]
SNAPSHOTS = SCP_ID["store/ntriples"]  # one N-Triples literal per partnership-year graph (embedded store)
MANIFEST = SCP_ID["store/manifest"]  # what the store is meant to hold (issue 14 #4; decision 0021)
STORE = Namespace(BASE + "store#")
PREFIX_LINES = "".join(f"PREFIX {p}: <{ns}>\n" for p, ns in {**PREFIXES, "scp-store": STORE}.items())
HTTP_TIMEOUT = 60.0
MAX_RESPONSE_BYTES = 256 * 1024 * 1024  # an endpoint's answer (issue 14 #8)
BATCH_TRIPLES = 200_000  # partnership-years written to the embedded store per bulk load


@dataclass(frozen=True)
class StoredYear:
    """One stored partnership-year (a row of the contents graph)."""

    graph: str
    partnership: str
    period: str
    as_of: str
    profile: str
    triples: int
    file: str
    sha256: str

    @property
    def key(self) -> str:
        return f"{self.partnership}/{self.period}"


# -- backends -----------------------------------------------------------------------------------------
@dataclass
class Rows:
    """A SELECT or ASK answer: variable names and rows of rdflib terms (None: unbound)."""

    variables: list[str]
    rows: list[list] = field(default_factory=list)
    boolean: bool | None = None


class Backend:
    """Where partnership-years are stored: the embedded Oxigraph store or a SPARQL endpoint."""

    description = ""

    def update(self, sparql: str) -> None:
        raise NotImplementedError

    def select(self, sparql: str, union: bool = True) -> Rows:
        raise NotImplementedError

    def construct(self, sparql: str, union: bool = True) -> str:
        """A CONSTRUCT or DESCRIBE answer as N-Triples text."""
        raise NotImplementedError

    def graph_ntriples(self, graph: str) -> str:
        return self.construct(f"CONSTRUCT {{ ?s ?p ?o }} WHERE {{ GRAPH <{graph}> {{ ?s ?p ?o }} }}", union=False)

    def year_ntriples(self, year: "StoredYear") -> str:
        """A stored partnership-year's graph as N-Triples, in one call."""
        return self.graph_ntriples(year.graph)

    def graphs_with_triples(self, graphs: list[str]) -> set[str]:
        """Those of ``graphs`` that hold at least one triple (one query; each test stops at the first)."""
        if not graphs:
            return set()
        values = " ".join(f"<{g}>" for g in graphs)
        rows = self.select(f"SELECT ?g WHERE {{ VALUES ?g {{ {values} }} FILTER EXISTS {{ GRAPH ?g {{ ?s ?p ?o }} }} }}",
                           union=False)
        return {str(r[0]) for r in rows.rows}

    def put_many(self, built: list["Built"]) -> None:
        """Write partnership-years, each replaced whole by one SPARQL UPDATE."""
        for item in built:
            self.update(year_update(item.year, item.ntriples))

    def view(self, graph: str, ntriples: str | None = None):
        """Read access to one stored graph for building findings (see ``OxigraphView``): an
        in-memory copy, made only when something is first looked up (a clean graph needs none)."""
        return OxigraphView.of_ntriples(ntriples if ntriples is not None else self.graph_ntriples(graph))

    def close(self) -> None:
        pass

    def __enter__(self):
        return self

    def __exit__(self, *exc) -> None:
        self.close()


class LocalStore(Backend):
    """The embedded, persistent Oxigraph store in a project folder (default ``.thscp-store/``)."""

    def __init__(self, path: Path | str = DEFAULT_DIR, *, read_only: bool = False, create: bool = True) -> None:
        import pyoxigraph as ox

        self.path = Path(path)
        self.read_only = read_only
        self.description = str(self.path)
        if not (self.path / "CURRENT").exists():
            if read_only or not create:
                raise ConfigError(f"no store at {self.path}.", file=str(self.path),
                                  fix="load partnership-years first: thscp-kg load DATA... "
                                      "(or name the store folder with --store DIR).")
            if self.path.exists() and any(self.path.iterdir()):
                raise ConfigError(f"{self.path} exists and is not an Oxigraph store; refusing to write into it.",
                                  file=str(self.path), fix="choose an empty or new folder with --store DIR.")
        try:
            self.store = ox.Store.read_only(str(self.path)) if read_only else ox.Store(str(self.path))
        except RuntimeError as exc:  # RocksDB's "Corruption: ..." (truncated or overwritten files)
            raise damaged_store(self.path, exc) from None
        except OSError as exc:
            if "orrupt" in str(exc):
                raise damaged_store(self.path, exc) from None
            raise ConfigError(f"the store {self.path} could not be opened ({exc}).", file=str(self.path),
                              fix="another thscp-kg process may be writing to it: wait for it to finish, "
                                  "or use another --store folder.") from None

    def update(self, sparql: str) -> None:
        self.store.update(sparql)

    def select(self, sparql: str, union: bool = True) -> Rows:
        import pyoxigraph as ox

        answer = self._query(sparql, union)
        if isinstance(answer, ox.QueryBoolean):
            return Rows([], [], bool(answer))
        if isinstance(answer, ox.QueryTriples):
            raise ConfigError("this query returns triples, not rows.", fix="use SELECT or ASK here.")
        names = [v.value for v in answer.variables]
        return Rows(names, [[from_ox(s[n]) if s[n] is not None else None for n in names] for s in answer])

    def construct(self, sparql: str, union: bool = True) -> str:
        import pyoxigraph as ox

        answer = self._query(sparql, union)
        if not isinstance(answer, ox.QueryTriples):
            raise ConfigError("this query does not return triples.", fix="use CONSTRUCT or DESCRIBE here.")
        return answer.serialize(format=ox.RdfFormat.N_TRIPLES).decode("utf-8")

    def query(self, sparql: str, union: bool = True):
        """The raw pyoxigraph answer (QuerySolutions, QueryBoolean or QueryTriples)."""
        return self._query(sparql, union)

    def _query(self, sparql: str, union: bool):
        try:
            return self.store.query(sparql, prefixes=_prefix_map(), use_default_graph_as_union=union)
        except SyntaxError as exc:
            raise ConfigError(f"the SPARQL query is not valid: {exc}.", fix="correct the query.") from None
        except (RuntimeError, OSError) as exc:  # a file of the store is damaged (found on reading it)
            raise damaged_store(self.path, exc) from None

    def graph_ntriples(self, graph: str) -> str:
        import pyoxigraph as ox

        try:
            return self.store.dump(format=ox.RdfFormat.N_TRIPLES, from_graph=ox.NamedNode(graph)).decode("utf-8")
        except (RuntimeError, OSError) as exc:
            raise damaged_store(self.path, exc) from None


    def year_ntriples(self, year: "StoredYear") -> str:
        """The graph's snapshot literal when it is there and whole (one line per stored triple);
        otherwise the graph itself, read out of the store."""
        text = self._snapshot(year)
        if text is not None and _lines(text) == year.triples:
            return text
        return self.graph_ntriples(year.graph)

    def year_lines(self, year: "StoredYear") -> tuple[str, list[str]]:
        """``year_ntriples`` and its lines, split once: the check's view reads the lines, and their count
        tells whether the snapshot is whole without a second pass over the text (~0.4 ms a year)."""
        text = self._snapshot(year)
        if text is not None:
            lines = text.split("\n")  # a literal's line break is escaped: one line per triple
            if len(lines) == year.triples + 1 and not lines[-1] and (not text or text.endswith(" .\n")):
                return text, lines
        text = self.graph_ntriples(year.graph)
        return text, text.split("\n")

    def _snapshot(self, year: "StoredYear") -> str | None:
        """The year's N-Triples snapshot literal, None when there is none."""
        import pyoxigraph as ox

        for quad in self.store.quads_for_pattern(ox.NamedNode(year.graph), _SNAPSHOT_PREDICATE(),
                                                 None, ox.NamedNode(str(SNAPSHOTS))):
            if isinstance(quad.object, ox.Literal):
                return quad.object.value
        return None

    def put_many(self, built: list["Built"]) -> None:
        """Write several partnership-years at once, each replaced whole or not at all: the new graphs
        are bulk-loaded under temporary names (bulk loading is fast but not transactional), then one
        update (a transaction) moves each into place and replaces its contents entry. A run that
        dies before the move leaves every stored year as it was, plus temporary graphs that the
        next load of that year drops."""
        import pyoxigraph as ox

        if not built:
            return
        self.store.update(" ;\n".join(f"DROP SILENT GRAPH <{loading_graph(b.year.graph)}> ;\n"
                                       f"DROP SILENT GRAPH <{loading_graph(b.year.graph)}-snapshot>" for b in built))
        # The year's graph and its N-Triples snapshot (one literal, see the module) are both bulk-loaded
        # under temporary names and moved into place in the transaction below.
        quads = "".join(_as_quads(b.ntriples, loading_graph(b.year.graph))
                        + _snapshot_quad(b, loading_graph(b.year.graph) + "-snapshot") for b in built)
        self.store.bulk_load(quads, format=ox.RdfFormat.N_QUADS)
        self.store.update(" ;\n".join(
            f"{_manifest_year(b.year)} ;\n"
            f"DELETE WHERE {{ GRAPH <{CONTENTS}> {{ <{b.year.graph}> ?p ?o }} }} ;\n"
            f"MOVE SILENT GRAPH <{loading_graph(b.year.graph)}> TO <{b.year.graph}> ;\n"
            f"{_drop_snapshot(b.year.graph)} ;\n"
            f"ADD SILENT GRAPH <{loading_graph(b.year.graph)}-snapshot> TO <{SNAPSHOTS}> ;\n"
            f"DROP SILENT GRAPH <{loading_graph(b.year.graph)}-snapshot> ;\n"
            f"INSERT DATA {{\n{_contents_data(b.year)}\n}}" for b in built))

    def flush(self) -> None:
        if not self.read_only and self.store is not None:
            self.store.flush()

    def close(self) -> None:
        self.flush()
        self.store = None


class Endpoint(Backend):
    """Any SPARQL 1.1 endpoint, over HTTP (SPARQL 1.1 Protocol: query and update)."""

    def __init__(self, url: str, update_url: str | None = None, timeout: float = HTTP_TIMEOUT) -> None:
        parsed = urllib.parse.urlsplit(url)
        if parsed.scheme not in ("http", "https") or not parsed.netloc:
            raise ConfigError(f"'{url}' is not an http(s) URL of a SPARQL endpoint.",
                              fix="give the endpoint's query URL, e.g. http://127.0.0.1:7878/query.")
        self.url = url
        self.update_url = update_url or _default_update_url(url)
        self.timeout = timeout
        self.description = url

    def update(self, sparql: str) -> None:
        self._post(self.update_url, {"update": sparql}, "*/*")

    def select(self, sparql: str, union: bool = True) -> Rows:
        body, ctype = self._post(self.url, {"query": PREFIX_LINES + sparql}, "application/sparql-results+json")
        if "json" not in ctype:
            raise ConfigError(f"the endpoint answered with {ctype or 'no content type'}, not SPARQL JSON results.",
                              fix="use SELECT or ASK here.")
        try:
            data = json.loads(body)
            if "boolean" in data:
                return Rows([], [], bool(data["boolean"]))
            names = data["head"].get("vars", [])
            rows = [[_from_json(b.get(n)) for n in names] for b in data["results"]["bindings"]]
        except (ValueError, TypeError, KeyError, AttributeError) as exc:  # not SPARQL JSON results
            raise ConfigError(f"the endpoint {self.url} answered with something that is not SPARQL JSON "
                              f"results ({type(exc).__name__}).",
                              fix="check the URL is the endpoint's SPARQL query URL.") from None
        return Rows(names, rows)

    def construct(self, sparql: str, union: bool = True) -> str:
        body, ctype = self._post(self.url, {"query": PREFIX_LINES + sparql}, "application/n-triples")
        if "n-triples" not in ctype and "plain" not in ctype:
            raise ConfigError(f"the endpoint answered with {ctype or 'no content type'}, not N-Triples.",
                              fix="use CONSTRUCT or DESCRIBE here.")
        return body.decode("utf-8")

    def raw(self, sparql: str, accept: str) -> tuple[bytes, str]:
        return self._post(self.url, {"query": PREFIX_LINES + sparql}, accept)

    def _post(self, url: str, form: dict, accept: str) -> tuple[bytes, str]:
        """POST ``form``; the body (at most MAX_RESPONSE_BYTES) and its content type.

        ``self.timeout`` is a total deadline for the whole request, redirects included: a watchdog
        shuts the connection's socket down when it passes, so a server that answers one byte a
        second is cut off there (a per-read timeout never fires). Redirects are followed only to
        the same scheme, host and port, with the same POST; any other is refused (exit 2)."""
        data = urllib.parse.urlencode(form).encode("utf-8")
        request = urllib.request.Request(url, data=data, method="POST", headers={
            "Accept": accept, "Content-Type": "application/x-www-form-urlencoded; charset=utf-8",
            "User-Agent": "thscp-kg"})
        watch = _Watchdog(self.timeout)
        opener = urllib.request.build_opener(_WatchedHTTPHandler(watch), _WatchedHTTPSHandler(watch),
                                             _SameOriginRedirects(url))
        too_slow = ConfigError(f"the endpoint {url} did not answer in full within {self.timeout:g} s.",
                               fix="check the endpoint is running normally; a slow or dripping answer is cut "
                                   "off at this deadline (query --timeout SECONDS sets it).")
        try:
            with watch, opener.open(request, timeout=self.timeout) as response:
                body = response.read(MAX_RESPONSE_BYTES + 1)  # never more: a huge answer must not fill memory
                if watch.expired:
                    raise too_slow
                if len(body) > MAX_RESPONSE_BYTES:
                    raise ConfigError(f"the endpoint {url} answered with more than {MAX_RESPONSE_BYTES:,} bytes.",
                                      fix="check the URL; a partnership-year's graph is a few MB at most.")
                return body, response.headers.get("Content-Type", "")
        except urllib.error.HTTPError as exc:
            if watch.expired:
                raise too_slow from None
            detail = exc.read()[:300].decode("utf-8", "replace").strip()
            raise ConfigError(f"the endpoint {url} refused the request: HTTP {exc.code} {detail}.",
                              fix="check the query, and that the endpoint accepts SPARQL 1.1 updates.") from None
        except (urllib.error.URLError, OSError, http.client.HTTPException) as exc:
            if watch.expired:
                raise too_slow from None
            raise ConfigError(f"the endpoint {url} could not be reached ({getattr(exc, 'reason', exc)}).",
                              fix="check the URL and that the SPARQL server is running.") from None


class _Watchdog:
    """Shuts down every socket of one request when its total deadline passes (see ``Endpoint._post``)."""

    def __init__(self, seconds: float) -> None:
        import threading

        self.expired = False
        self.sockets: list = []
        self._lock = threading.Lock()
        self._timer = threading.Timer(seconds, self._expire)
        self._timer.daemon = True

    def __enter__(self):
        self._timer.start()
        return self

    def __exit__(self, *exc) -> None:
        self._timer.cancel()

    def watch(self, sock) -> None:
        with self._lock:
            self.sockets.append(sock)
            late = self.expired
        if late:
            self._shut(sock)

    def _expire(self) -> None:
        with self._lock:
            self.expired = True
            sockets = list(self.sockets)
        for sock in sockets:
            self._shut(sock)

    @staticmethod
    def _shut(sock) -> None:
        import socket

        try:
            sock.shutdown(socket.SHUT_RDWR)  # a blocked read returns at once
        except OSError:
            pass


def _watched(base, watch: _Watchdog):
    class Watched(base):
        def connect(self):
            super().connect()
            watch.watch(self.sock)

    return Watched


class _WatchedHTTPHandler(urllib.request.HTTPHandler):
    def __init__(self, watch: _Watchdog) -> None:
        super().__init__()
        self._class = _watched(http.client.HTTPConnection, watch)

    def http_open(self, req):
        return self.do_open(self._class, req)


class _WatchedHTTPSHandler(urllib.request.HTTPSHandler):
    def __init__(self, watch: _Watchdog) -> None:
        super().__init__()
        self._class = _watched(http.client.HTTPSConnection, watch)

    def https_open(self, req):
        return self.do_open(self._class, req, context=self._context)


class _SameOriginRedirects(urllib.request.HTTPRedirectHandler):
    """Follow a redirect only to the endpoint's own scheme, host and port, re-sending the same POST
    (urllib would turn a 302 into a GET without the query, and follow one to ftp://)."""

    MAX = 5

    def __init__(self, url: str) -> None:
        super().__init__()
        self.url = url
        self.origin = _origin(url)

    def http_error_302(self, req, fp, code, msg, headers):
        location = headers.get("Location") or headers.get("URI")
        if not location:
            return None  # urllib then raises HTTPError: "refused the request"
        target = urllib.parse.urljoin(req.full_url, location)
        parts = urllib.parse.urlsplit(target)
        fix = "give the endpoint's final http(s) URL (where it answers SPARQL without a redirect)."
        if parts.scheme not in ("http", "https"):
            raise ConfigError(f"the endpoint {self.url} redirected to another scheme ({parts.scheme or 'none'}:); "
                              "refusing to follow it.", fix=fix)
        if _origin(target) != self.origin:
            raise ConfigError(f"the endpoint {self.url} redirected to another server ({parts.netloc}); "
                              "refusing to follow it.", fix=fix)
        hops = getattr(req, "thscp_redirects", 0) + 1
        if hops > self.MAX:
            raise ConfigError(f"the endpoint {self.url} redirected more than {self.MAX} times.", fix=fix)
        fp.read(64 * 1024)
        fp.close()
        again = urllib.request.Request(target, data=req.data, method=req.get_method(),
                                       headers=dict(req.header_items()))
        again.thscp_redirects = hops
        return self.parent.open(again, timeout=req.timeout)

    http_error_301 = http_error_303 = http_error_307 = http_error_308 = http_error_302


def _origin(url: str) -> tuple[str, str, int | None]:
    parts = urllib.parse.urlsplit(url)
    port = parts.port or {"http": 80, "https": 443}.get(parts.scheme)
    return parts.scheme, (parts.hostname or "").lower(), port


def damaged_store(path: Path, exc: Exception) -> ConfigError:
    detail = " ".join(str(exc).split())[:160]
    return ConfigError(f"the store is damaged; delete it and load again ({detail}).", file=str(path),
                       fix=f"delete the folder {path} and run 'thscp-kg load' on the data files again.")


def _default_update_url(url: str) -> str:
    for tail in ("/query", "/sparql"):
        if url.endswith(tail):
            return url[: -len(tail)] + "/update"
    return url


def open_backend(store: Path | str | None = None, endpoint: str | None = None, *,
                 read_only: bool = False, update_endpoint: str | None = None,
                 timeout: float | None = None) -> Backend:
    """``timeout``: an endpoint request's total deadline, seconds (default ``HTTP_TIMEOUT``)."""
    if endpoint:
        return Endpoint(endpoint, update_endpoint, timeout=timeout or HTTP_TIMEOUT)
    return LocalStore(Path(store) if store else DEFAULT_DIR, read_only=read_only)


# -- writing -----------------------------------------------------------------------------------------
def year_update(year: StoredYear, ntriples: str) -> str:
    """One SPARQL UPDATE that replaces a partnership-year's graph and its contents entry."""
    g = f"<{year.graph}>"
    return (f"{_manifest_year(year)} ;\n"
            f"DROP SILENT GRAPH {g} ;\n"
            f"{_drop_snapshot(year.graph)} ;\n"
            f"DELETE WHERE {{ GRAPH <{CONTENTS}> {{ {g} ?p ?o }} }} ;\n"
            f"INSERT DATA {{\n{_contents_data(year)}\n  GRAPH {g} {{\n{ntriples}\n  }}\n}}")


def _contents_data(year: StoredYear) -> str:
    g = f"<{year.graph}>"
    meta = [(RDF.type, STORE.PartnershipYearGraph), (STORE.partnership, Literal(year.partnership)),
            (STORE.period, Literal(year.period)), (STORE.asOf, Literal(year.as_of, datatype=XSD.date)),
            (STORE.profile, Literal(year.profile)), (STORE.triples, Literal(year.triples)),
            (STORE.sourceFile, Literal(year.file)), (STORE.sha256, Literal(year.sha256))]
    rows = "\n".join(f"    {g} {p.n3()} {o.n3()} ." for p, o in meta)
    return f"  GRAPH <{CONTENTS}> {{\n{rows}\n  }}"


def _file_key(file: str) -> str:
    return os.path.normpath(file)


def _pending_iri(file: str) -> str:
    return str(SCP_ID[f"store/pending/{hashlib.sha256(_file_key(file).encode('utf-8')).hexdigest()[:32]}"])


def _manifest_year(year: StoredYear) -> str:
    """The update that records ``year`` as expected and its file as no longer pending (run in the
    transaction that stores it)."""
    return (f"DELETE WHERE {{ GRAPH <{MANIFEST}> {{ <{_pending_iri(year.file)}> ?p ?o }} }} ;\n"
            f"INSERT DATA {{ GRAPH <{MANIFEST}> {{ <{year.graph}> a <{STORE.ExpectedYear}> }} }}")


def expect_files(backend: "Backend", paths: list[Path]) -> None:
    """Before a load builds anything: record every file it sets out to store (see the module)."""
    if not paths:
        return
    rows = "\n".join(f"    <{_pending_iri(str(p))}> a <{STORE.PendingFile}> ; "
                     f"<{STORE.sourceFile}> {Literal(_file_key(str(p))).n3()} ." for p in paths)
    backend.update(f"INSERT DATA {{ GRAPH <{MANIFEST}> {{\n{rows}\n}} }}")


def _key_of_graph(graph: str) -> str:
    tail = graph.removeprefix(str(SCP_ID))
    partnership, _, period = tail.partition("/year/")
    return f"{partnership}/{period}" if period else graph


def _key_of_file(file: str) -> str:
    import re

    path = Path(file)
    if re.fullmatch(r"[0-9]{4}-[0-9]{2}", path.stem) and path.parent.name:
        return f"{path.parent.name}/{path.stem}"
    return file


@dataclass(frozen=True)
class Completeness:
    """What the store is meant to hold against what it holds (``store_completeness``)."""

    expected: list[str]                 # partnership-year keys (or file names, never stored)
    missing: list[tuple[str, str]]      # (key, why)

    @property
    def found(self) -> int:
        return len(self.expected) - len(self.missing)


def store_completeness(backend: "Backend", years: list[StoredYear], only: list[str] | None = None) -> Completeness:
    """Compare the manifest with the contents graph and the graphs themselves. A store written
    before the manifest existed expects what its contents graph lists."""
    rows = backend.select(f"""
        SELECT ?g ?f WHERE {{ GRAPH <{MANIFEST}> {{
          {{ ?g a <{STORE.ExpectedYear}> }} UNION {{ ?p a <{STORE.PendingFile}> ; <{STORE.sourceFile}> ?f }}
        }} }}""", union=False)
    by_graph = {y.graph: y for y in years}
    expected_graphs = {str(g) for g, _ in rows.rows if g is not None} | set(by_graph)
    pending = sorted({str(f) for _, f in rows.rows if f is not None})
    present = backend.graphs_with_triples(sorted(expected_graphs))
    entries: dict[str, str | None] = {}  # key -> why it is missing (None: there)
    for graph in sorted(expected_graphs):
        year = by_graph.get(graph)
        key = year.key if year else _key_of_graph(graph)
        if year is None:
            entries[key] = "its entry in the store's contents is gone"
        elif graph not in present:
            entries[key] = "its graph is gone from the store"
        else:
            entries[key] = None
    stored_files = {_file_key(y.file) for y in years}
    for file in pending:
        key = _key_of_file(file)
        if file in stored_files or key in entries:  # an older copy of that year is stored whole
            continue
        entries[key] = f"the load of {file} did not finish"

    def chosen(key: str) -> bool:
        return not only or any(sel in (key.split("/")[0], key) for sel in only)

    keys = sorted(k for k in entries if chosen(k))
    return Completeness(keys, [(k, entries[k]) for k in keys if entries[k] is not None])


def loading_graph(graph: str) -> str:
    """Where a partnership-year's new graph is bulk-loaded before it is moved into place."""
    return graph + "#loading"


def _drop_snapshot(graph: str) -> str:
    return f"DELETE WHERE {{ GRAPH <{SNAPSHOTS}> {{ <{graph}> ?p ?o }} }}"


def _SNAPSHOT_PREDICATE():  # noqa: N802
    import pyoxigraph as ox

    return ox.NamedNode(str(STORE.ntriples))


def _snapshot_quad(built: "Built", graph: str = SNAPSHOTS) -> str:
    """The N-Quads line that keeps ``built``'s N-Triples as one literal (see the module), in ``graph``."""
    import pyoxigraph as ox

    return f"<{built.year.graph}> <{STORE.ntriples}> {ox.Literal(built.ntriples)} <{graph}> .\n"


def _lines(ntriples: str) -> int:
    """The triples in N-Triples text: each line ends " .\n" (a literal's line break is escaped)."""
    return ntriples.count(" .\n")


def _as_quads(ntriples: str, graph: str) -> str:
    """N-Triples lines (one triple each, ending " .") as N-Quads lines in ``graph``.

    Split on line feeds only: str.splitlines() would also cut a literal holding U+2028, U+2029
    or U+0085 in two (N-Triples does not escape them)."""
    suffix = f" <{graph}> .\n"
    return "".join(line.rstrip("\r")[:-1].rstrip() + suffix for line in ntriples.split("\n") if line.strip())


@dataclass(frozen=True)
class Built:
    year: StoredYear
    ntriples: str


def build_year(path: Path | str, as_of: dt.date | None = None, profile_path: Path | None = None) -> Built:
    """Load, build and materialise one partnership-year file: what the store holds for it."""
    from ..load.loader import load_partnership_year
    from ..pipeline import as_of_for, build_materialised
    from ..rules.profile import load_profile

    path = Path(path)
    loaded = load_partnership_year(path)
    profile = load_profile(profile_path)
    when = as_of_for(loaded, as_of)
    graph = build_materialised(loaded, profile, when)
    if any(isinstance(n, BNode) for t in graph for n in t):  # decision 0001: built graphs have none
        raise ConfigError(f"{path}: the built graph has blank nodes, which the store cannot key.",
                          fix="report this: built graphs are meant to have IRIs only.")
    y = loaded.year
    year = StoredYear(graph=str(SCP_ID[f"{y.partnership.id}/year/{y.period.id}"]), partnership=y.partnership.id,
                      period=y.period.id, as_of=when.isoformat(), profile=profile.profile.id, triples=len(graph),
                      file=str(path), sha256=hashlib.sha256(path.read_bytes()).hexdigest())
    return Built(year, sorted_lines(graph.serialize(format="nt")))


def sorted_lines(ntriples: str) -> str:
    """N-Triples text with its lines in sorted order: the check's view binary-searches the lines, and
    sorts them first (docs/decisions/0037); lines already in order sort ~7× faster than rdflib's.
    Split on line feeds only, as ``_as_quads`` does."""
    lines = [line for line in ntriples.split("\n") if line]
    lines.sort()
    return "\n".join(lines) + "\n" if lines else ""


def put(backend: Backend, built: Built) -> None:
    backend.update(year_update(built.year, built.ntriples))


def _die_with_parent(parent: int | None = None) -> None:
    """A worker ends when the command that started it is killed (Linux: PR_SET_PDEATHSIG), even by
    kill -9 (tests/test_store_faults.py). ``parent``: the pid that forked it; a parent already gone
    before the call (the signal would never come) ends the worker at once."""
    import ctypes
    import signal

    try:
        ctypes.CDLL(None, use_errno=True).prctl(1, signal.SIGKILL)  # 1 = PR_SET_PDEATHSIG
    except (OSError, AttributeError):  # not Linux: the pool's own shutdown is all there is
        return
    if parent is not None and os.getppid() != parent:
        os._exit(1)


def _build_job(args) -> Built | UserError:
    path, as_of, profile = args
    try:
        return build_year(path, as_of, profile)
    except UserError as exc:
        return exc


def load_files(backend: Backend, paths: list[Path], *, as_of: dt.date | None = None,
               profile_path: Path | None = None, jobs: int = 1, progress=None) -> list[StoredYear]:
    """Build each file and store it (replacing what was stored for that partnership-year).

    With ``jobs`` > 1 files are built in worker processes (building is pure Python); the store
    is written by this process only. A bad file stops the run with its error; the files stored
    before it stay stored (each is complete).
    """
    out: list[StoredYear] = []
    batch: list[Built] = []
    work = [(p, as_of, profile_path) for p in paths]
    expect_files(backend, paths)  # a load that stops part-way is then seen by check --store

    def flush_batch() -> None:
        backend.put_many(batch)
        out.extend(b.year for b in batch)
        batch.clear()

    def take(built: Built | UserError) -> None:
        if isinstance(built, UserError):
            flush_batch()  # what was built before the bad file is stored; then stop on its error
            raise built
        batch.append(built)
        if progress is not None:
            progress.advance(note=built.year.key)
        if sum(b.year.triples for b in batch) >= BATCH_TRIPLES:
            flush_batch()

    if jobs > 1 and len(paths) > 1:
        import concurrent.futures as cf
        import multiprocessing as mp

        with cf.ProcessPoolExecutor(max_workers=jobs, mp_context=mp.get_context("fork"),
                                    initializer=_die_with_parent, initargs=(os.getpid(),)) as pool:
            for built in pool.map(_build_job, work, chunksize=2):
                take(built)
    else:
        for item in work:
            take(_build_job(item))
    flush_batch()
    if isinstance(backend, LocalStore):
        backend.flush()
    return out


def data_files(paths: Iterable[Path]) -> list[Path]:
    """The partnership-year files named, or found (``*/<yyyy-yy>.yaml``) under folders named."""
    import re

    period_file = re.compile(r"^[0-9]{4}-[0-9]{2}\.ya?ml$")
    out: list[Path] = []
    for path in paths:
        if path.is_dir():
            out.extend(sorted(p for p in path.rglob("*.y*ml") if period_file.match(p.name)))
        elif path.exists():
            out.append(path)
        else:
            raise ConfigError(f"{path} does not exist.", file=str(path), fix="name a partnership-year YAML file "
                              "or a folder of them (data/<partnership>/<period>.yaml).")
    if not out:
        raise ConfigError("no partnership-year files were found.",
                          fix="name YAML files, or folders holding <partnership>/<yyyy-yy>.yaml files.")
    return out


# -- reading -----------------------------------------------------------------------------------------
def stored_years(backend: Backend) -> list[StoredYear]:
    if isinstance(backend, LocalStore):
        # The embedded store's contents graph, dumped in one call and read line by line: the query below
        # joins eight patterns per year, ~1 s at 1,500 years, the run's serial part (decision 0034).
        years = _years_from_contents(backend.graph_ntriples(str(CONTENTS)))
        if years is not None:
            return years
    return _stored_years_by_query(backend)


def _stored_years_by_query(backend: Backend) -> list[StoredYear]:
    rows = backend.select(f"""
        SELECT ?g ?partnership ?period ?asOf ?profile ?triples ?file ?sha WHERE {{
          GRAPH <{CONTENTS}> {{
            ?g a <{STORE.PartnershipYearGraph}> ; <{STORE.partnership}> ?partnership ; <{STORE.period}> ?period ;
               <{STORE.asOf}> ?asOf ; <{STORE.profile}> ?profile ; <{STORE.triples}> ?triples ;
               <{STORE.sourceFile}> ?file ; <{STORE.sha256}> ?sha .
          }}
        }} ORDER BY ?partnership ?period""", union=False)
    return [StoredYear(str(g), str(p), str(per), str(a), str(prof), int(t), str(f), str(s))
            for g, p, per, a, prof, t, f, s in rows.rows]


_YEAR_FIELDS = tuple(f"<{STORE[name]}>" for name in ("partnership", "period", "asOf", "profile", "triples",
                                                      "sourceFile", "sha256"))
_YEAR_TYPE = f"<{RDF.type}> <{STORE.PartnershipYearGraph}>"


def _years_from_contents(text: str) -> list[StoredYear] | None:
    """The rows ``stored_years``'s query gives, read from the contents graph's N-Triples: each entry typed
    as a year graph with every field, ordered by partnership and period. None (the query decides) for
    anything whose answer the query would give otherwise or in no fixed order: an entry that is not an
    IRI or has a field twice, a partnership or period that is not a plain string, two entries for one year."""
    from .ntriples_view import NTriplesView

    term, fields = NTriplesView._term, set(_YEAR_FIELDS)
    typed: set[str] = set()
    entries: dict[str, dict[str, str]] = {}
    for line in text.split("\n"):  # one triple per line, "S P O ." (Oxigraph's N-Triples)
        if not line:
            continue
        subject, predicate, obj = line[:-2].split(" ", 2)
        if predicate not in fields and f"{predicate} {obj}" != _YEAR_TYPE:
            continue
        if subject[0] != "<":
            return None
        if predicate not in fields:
            typed.add(subject)
            continue
        entry = entries.setdefault(subject, {})
        if predicate in entry:
            return None
        entry[predicate] = obj
    rows = []
    for subject in typed:
        entry = entries.get(subject, {})
        if len(entry) < len(_YEAR_FIELDS):
            continue  # the query's join leaves out an entry without every field
        values = [entry[f] for f in _YEAR_FIELDS]
        if not all(_plain_string(values[i]) for i in (0, 1)):
            return None
        partnership, period, as_of, profile, triples, file, sha = (str(term(v)) for v in values)
        rows.append(StoredYear(subject[1:-1], partnership, period, as_of, profile, int(term(values[4])), file, sha))
    rows.sort(key=lambda y: (y.partnership, y.period))
    if any(a.key == b.key for a, b in zip(rows, rows[1:])):
        return None
    return rows


def _plain_string(obj: str) -> bool:
    return obj[0] == '"' and (obj.endswith('"') or obj.endswith(f'"^^<{XSD.string}>'))


def select_years(years: list[StoredYear], only: list[str] | None) -> list[StoredYear]:
    """``only``: "partnership" or "partnership/period" selectors (all when empty)."""
    if not only:
        return years
    chosen = [y for y in years if any(sel in (y.partnership, y.key) for sel in only)]
    missing = [sel for sel in only if not any(sel in (y.partnership, y.key) for y in years)]
    if missing:
        known = ", ".join(sorted({y.key for y in years})[:8]) or "none"
        raise ConfigError(f"nothing stored for {', '.join(missing)} (stored: {known}).",
                          fix="give PARTNERSHIP or PARTNERSHIP/PERIOD as stored, or load the data first.")
    return chosen


# -- checking ---------------------------------------------------------------------------------------
@dataclass
class YearCheck:
    year: StoredYear
    findings: list


@dataclass
class CheckPlan:
    """What checking a stored year needs, made once per run (and inherited by forked workers)."""

    engine: str
    catalogue: object
    shapes: object
    profile: object
    shape_iris: list
    graph_ids: list

    def check(self, backend: Backend, year: StoredYear) -> list:
        """The findings of one stored partnership-year."""
        from ..validate.engines import NTriples

        # one call: no term-by-term read of the store; split into lines here when a view will read them
        lines = None
        if self.graph_ids and isinstance(backend, LocalStore):
            text, lines = backend.year_lines(year)
        else:
            text = backend.year_ntriples(year)
        if self.engine == "shacl":
            from ..validate import shacl_engine

            # No result and no graph check, no finding: a clean year is never copied into a view.
            results = shacl_engine.validate(text, self.shapes, self.shape_iris) if self.shape_iris else []
            if not results and not self.graph_ids:
                return []
            report = shacl_engine.report_graph(results) if results else None
            return findings_for(_view_of(backend, year, text, lines), None, self.shapes, self.shape_iris,
                                self.graph_ids, self.catalogue, self.engine, results=report, profile=self.profile)
        return findings_for(_view_of(backend, year, text, lines), NTriples(text), self.shapes, self.shape_iris,
                            self.graph_ids, self.catalogue, self.engine, profile=self.profile)


def _view_of(backend: Backend, year: StoredYear, text: str, lines: list[str] | None = None):
    # The embedded store's text is rdflib's or Oxigraph's N-Triples, which NTriplesView reads directly
    # (``lines``: the text split already); an endpoint's answer may be any N-Triples, which OxigraphView parses.
    if isinstance(backend, LocalStore):
        from .ntriples_view import NTriplesView
        return NTriplesView(text, lines)
    return backend.view(year.graph, text)


def check_plan(engine: str | None = None, requirement_ids: list[str] | None = None, catalogue=None) -> CheckPlan:
    """Read the catalogue, shapes and profile and compile the shapes: once, before any worker starts."""
    from ..namespaces import SCP_SH
    from ..rules.plain import plain_catalogue
    from ..rules.profile import load_profile
    from ..validate.engines import STORE_DEFAULT_ENGINE, resolve
    from ..validate.shapes import shapes_graph

    catalogue = catalogue or plain_catalogue()
    engine = resolve(engine, STORE_DEFAULT_ENGINE)
    shapes = shapes_graph()
    profile = load_profile(None)  # once, not once a year (it is read from YAML)
    selected = [r for r in catalogue.active() if not requirement_ids or r.id in requirement_ids]
    shape_iris = [SCP_SH[s] for r in selected if r.assessment == "shacl" for s in r.shapes]
    graph_ids = [r.id for r in selected if r.assessment == "graph"]
    if engine == "fast" and shape_iris:
        from ..validate.engines import compiled_shapes
        compiled_shapes(shapes)  # compile once, before any worker starts
    if engine == "shacl" and shape_iris:
        from ..validate import shacl_engine
        shacl_engine.compiled(shapes)
    if graph_ids:
        from ..analysis import registered
        registered()  # imports the built-in checks: before the first year, not in it
    # What a year with findings imports (its stage, the empty report): here, so a worker, which
    # makes its plan while the command reads the store's contents, does not import it in its first year.
    from ..report.stage import stage_from_graph  # noqa: F401
    from ..validate.engines import NTriples  # noqa: F401
    from ..validate.results import empty_results  # noqa: F401
    from .ntriples_view import NTriplesView  # noqa: F401
    return CheckPlan(engine, catalogue, shapes, profile, shape_iris, graph_ids)


def check_stored(backend: Backend, *, only: list[str] | None = None, engine: str | None = None,
                 requirement_ids: list[str] | None = None, catalogue=None, progress=None,
                 workers: int | None = None, years: list[StoredYear] | None = None,
                 plan: CheckPlan | None = None, processes=None, meanwhile=None) -> list[YearCheck]:
    """Validate each stored partnership-year on its own; its findings (SHACL and graph checks).
    ``years``: the stored years when the caller has read them already (one contents query, not two).
    ``plan``: a ``check_plan`` already made; ``processes``: a ``processes.YearProcesses`` forked from
    it, to check the years in (else threads, or this thread). ``meanwhile()``: run once the years are
    being checked (in the workers), else before."""
    years = select_years(years if years is not None else stored_years(backend), only)
    if processes is not None and len(processes):
        found = processes.map(years, progress, meanwhile)
        return [YearCheck(year, findings) for year, findings in zip(years, found)]
    if meanwhile is not None:
        meanwhile()
    plan = plan or check_plan(engine, requirement_ids, catalogue)

    def one(year: StoredYear) -> YearCheck:
        return YearCheck(year, plan.check(backend, year))

    workers = workers if workers is not None else _default_workers(backend, plan.engine, len(years))
    out: list[YearCheck] = []
    if workers > 1:
        import concurrent.futures as cf

        with cf.ThreadPoolExecutor(max_workers=workers) as pool:
            for result in pool.map(one, years):
                out.append(result)
                if progress is not None:
                    progress.advance(note=result.year.key)
    else:
        for year in years:
            out.append(one(year))
            if progress is not None:
                progress.advance(note=year.key)
    return out


def _default_workers(backend: Backend, engine: str, n: int) -> int:
    # Threads for the Rust engines only. shacl 0.3.4 turned out to hold the GIL for most of each call
    # (bench/gil_probe.py, decision 0024), so they overlap little; processes would be the next step.
    # pySHACL holds the GIL throughout, so threads would only add contention.
    if engine not in ("fast", "shacl") or n < 4:
        return 1
    return max(1, min(4, os.cpu_count() or 1))


def findings_for(view, data, shapes, shape_iris, graph_ids, catalogue, engine: str, results=None,
                 profile=None) -> list:
    """The findings for one partnership-year read through ``view``; the same as ``check_file`` gives
    for the file it came from, except ``location`` (the store keeps no file lines) and waivers.
    ``results``: the engine's report when it has already been run (``data`` is then not used; None with
    ``data`` None: the engine found nothing). ``profile``: the loaded default profile (read if None)."""
    from ..findings import Finding
    from ..validate.engines import run_engine
    from ..validate.results import empty_results, findings_from_results

    if results is None and data is not None:
        results = run_engine(engine, data, shapes, shape_iris) if shape_iris else empty_results()
    # No result gives no finding (findings_from_results would look up nothing): skip building them.
    findings = findings_from_results(results, view, shapes, catalogue, None) if results is not None else []
    if graph_ids:
        from ..analysis import run_graph_checks
        findings = sorted(findings + run_graph_checks(view, catalogue, None, graph_ids).findings,
                          key=Finding.sort_key)
    if not findings:
        return findings  # the stage below only changes findings: a year without any needs none
    # The stage of the year, as check_file applies it: before publication, publication duties are not yet due.
    from ..report.stage import defer_publication_checks, stage_from_graph
    from ..rules.profile import load_profile
    stage = stage_from_graph(view, profile if profile is not None else load_profile(None))
    return defer_publication_checks(findings, stage) if stage is not None else findings


# -- a read-only rdflib-like view of one graph in an Oxigraph store --------------------------------
_XSD_STRING = str(XSD.string)


def from_ox(term):
    import pyoxigraph as ox

    if isinstance(term, ox.NamedNode):
        return URIRef(term.value)
    if isinstance(term, ox.Literal):
        if term.language:
            return Literal(term.value, lang=term.language)
        datatype = term.datatype.value
        return Literal(term.value) if datatype == _XSD_STRING else Literal(term.value, datatype=URIRef(datatype))
    if isinstance(term, ox.BlankNode):
        return BNode(term.value)
    if isinstance(term, ox.DefaultGraph):
        return None
    raise TypeError(f"unsupported term {term!r}")


def to_ox(term):
    import pyoxigraph as ox

    if term is None:
        return None
    if isinstance(term, URIRef):
        return ox.NamedNode(str(term))
    if isinstance(term, Literal):
        if term.language:
            return ox.Literal(str(term), language=term.language)
        if term.datatype is not None:
            return ox.Literal(str(term), datatype=ox.NamedNode(str(term.datatype)))
        return ox.Literal(str(term))
    if isinstance(term, BNode):
        return ox.BlankNode(str(term))
    raise TypeError(f"unsupported term {term!r}")


class OxigraphView(GraphReads):
    """The read methods of ``rdflib.Graph`` that findings and graph checks use (``value``,
    ``objects``, ``subjects``, ``predicates``, ``triples``, ``in``, iteration), answered from one
    graph of a pyoxigraph store. Terms come back as rdflib terms."""

    def __init__(self, store, graph, ntriples: str | None = None) -> None:
        self._store = store
        self._text = ntriples
        self.graph = graph
        self._cache: dict = {}
        self._answers: dict = {}

    @classmethod
    def of_ntriples(cls, text: str) -> "OxigraphView":
        import pyoxigraph as ox

        return cls(None, ox.DefaultGraph(), text)

    @property
    def store(self):
        if self._store is None:
            import pyoxigraph as ox

            self._store = ox.Store()
            self._store.load(self._text, format=ox.RdfFormat.N_TRIPLES)
            self._text = None
        return self._store

    def _quads(self, s, p, o):
        return self.store.quads_for_pattern(_ox_or_none(s, self), _ox_or_none(p, self), _ox_or_none(o, self),
                                            self.graph)

    def triples(self, pattern) -> Iterator[tuple]:
        key = tuple(pattern)
        hit = self._answers.get(key)
        if hit is None:  # the graph is read-only: an answer, once converted, is kept
            hit = self._answers[key] = [(from_ox(q.subject), from_ox(q.predicate), from_ox(q.object))
                                        for q in self._quads(*key)]
        return iter(hit)

    def __len__(self) -> int:
        return sum(1 for _ in self._quads(None, None, None))

def _ox_or_none(term, view: OxigraphView):
    if term is None:
        return None
    hit = view._cache.get(term)
    if hit is None:
        hit = view._cache[term] = to_ox(term)
    return hit


def _prefix_map() -> dict[str, str]:
    return {p: str(ns) for p, ns in {**PREFIXES, "scp-store": STORE}.items()}


def _from_json(binding: dict | None):
    if binding is None:
        return None
    kind, value = binding["type"], binding["value"]
    if kind == "uri":
        return URIRef(value)
    if kind == "bnode":
        return BNode(value)
    if "xml:lang" in binding:
        return Literal(value, lang=binding["xml:lang"])
    datatype = binding.get("datatype")
    return Literal(value) if datatype in (None, _XSD_STRING) else Literal(value, datatype=URIRef(datatype))



# -- the check --store / --endpoint command ------------------------------------------------------------
def store_check_json(backend: Backend, checks: list[YearCheck], engine: str) -> dict:
    from ..findings import Severity

    def counts(findings) -> dict:
        return {s.value: sum(1 for f in findings if f.severity is s) for s in Severity}

    every = [f for c in checks for f in c.findings]
    return {
        "store": backend.description, "engine": engine, "checked": len(checks), "summary": counts(every),
        "years": [{"graph": c.year.graph, "partnership": c.year.partnership, "period": c.year.period,
                   "as_of": c.year.as_of, "profile": c.year.profile, "data_file": c.year.file,
                   "sha256": c.year.sha256, "triples": c.year.triples, "summary": counts(c.findings),
                   "findings": [f.to_json() for f in c.findings]} for c in checks],
    }


def run_store_check(args) -> int:
    """``thscp-kg check --store [DIR]`` / ``--endpoint URL``: check every stored partnership-year (or
    those named with --only), print a table of counts and write ``store-check.json``."""
    from ..validate.engines import STORE_DEFAULT_ENGINE, resolve

    if getattr(args, "as_of", None) is not None:
        raise ConfigError("--as-of cannot change stored partnership-years: their dates were fixed when loaded.",
                          fix="load them again with thscp-kg load --as-of DATE, then check --store.")
    if getattr(args, "fail_on_new", None):
        raise ConfigError("--fail-on-new compares a data file with its baseline; the store keeps no baseline.",
                          fix="use --fail-on with --store, or check the data files.")
    engine = resolve(args.engine, STORE_DEFAULT_ENGINE)
    workers = None
    if not args.endpoint:
        from . import processes

        store = Path(args.store) if args.store else DEFAULT_DIR
        n = processes.wanted(store, engine)
        if n:
            # Forked now, before this process opens the store (see store/processes.py); each worker reads
            # the catalogue and compiles the shapes itself at once, while this process reads the store's
            # contents, and this process never needs them.
            import functools

            workers = processes.YearProcesses(n, functools.partial(LocalStore, store, read_only=True),
                                              functools.partial(_checker, engine, args.requirement),
                                              on_start=functools.partial(_die_with_parent, os.getpid()))
    try:
        return _store_check(args, engine, workers)
    finally:
        if workers is not None:
            workers.close()


def _holds_at_least(backend: LocalStore, n: int) -> bool:
    """Whether the store's contents list at least ``n`` partnership-years: counted from the type
    triples alone (stored_years reads every field of every year, ~0.2 s at 480)."""
    import itertools

    import pyoxigraph as ox

    entries = backend.store.quads_for_pattern(None, ox.NamedNode(str(RDF.type)),
                                              ox.NamedNode(str(STORE.PartnershipYearGraph)), ox.NamedNode(str(CONTENTS)))
    return sum(1 for _ in itertools.islice(entries, n)) >= n


def _checker(engine: str, requirement_ids: list[str] | None):
    """A worker's ``check(backend, year)`` (store/processes.py)."""
    return check_plan(engine, requirement_ids).check


def _store_check(args, engine: str, workers) -> int:
    from ..findings import FAIL_ON, Severity
    from ..output import safe_child, write_all
    from .processes import MIN_YEARS, forced
    from .progress import Progress

    with open_backend(args.store, args.endpoint, read_only=True) as backend:
        if workers is not None:
            if forced() or _holds_at_least(backend, MIN_YEARS):
                workers.start()  # they make their plans while this process reads the contents below
            else:
                workers.close()  # a small store: checked here, faster than in the workers
        every = stored_years(backend)
        years = select_years(every, args.only)
        if workers is not None and len(years) < MIN_YEARS and not forced():
            workers.close()  # few years selected (--only): checked here, faster than in the workers
        found: list[Completeness] = []

        def completeness() -> None:
            """Whether every expected year is stored (a store whose load stopped part-way is refused);
            with workers, asked while they check their first years."""
            whole = store_completeness(backend, every, args.only)
            if whole.missing:
                shown = ", ".join(f"{key} ({why})" for key, why in whole.missing[:10])
                more = f" and {len(whole.missing) - 10} more" if len(whole.missing) > 10 else ""
                raise ConfigError(f"the store holds {whole.found} of {len(whole.expected)} expected "
                                  f"partnership-years; missing: {shown}{more}.", file=backend.description,
                                  fix="load the missing years again (thscp-kg load FILE...); a load that stops "
                                      "part-way keeps the years it stored, and check --store names the rest.")
            found.append(whole)

        if workers is None or not len(workers):
            completeness()
        with Progress(len(years), "Checking") as bar:
            checks = check_stored(backend, only=[y.key for y in years] if args.only else None, engine=engine,
                                  requirement_ids=args.requirement, progress=bar, years=every,
                                  processes=workers, meanwhile=completeness if not found else None)
        whole = found[0]
        report = store_check_json(backend, checks, engine)
        report["expected"] = len(whole.expected)
        report["missing"] = []
    formats = {f for group in (args.format or [["json"]]) for f in group}
    written = []
    if formats != {"text"}:
        target = safe_child(args.output_dir or Path("reports") / "store", "store-check.json")
        target.parent.mkdir(parents=True, exist_ok=True)
        write_all({target: json.dumps(report, indent=1, ensure_ascii=False) + "\n"})
        written.append(target)
    level = FAIL_ON[args.fail_on]
    failing = [f for c in checks for f in c.findings
               if level >= 0 and f.fails_ci and not f.waived and f.severity.rank <= level]
    if not args.quiet:
        width = max([len("partnership-year")] + [len(c.year.key) for c in checks])
        print(f"Checked {len(checks)} of {report['expected']} expected partnership-year(s) in {report['store']} "
              f"(engine {engine})")
        print(f"{'partnership-year'.ljust(width)}  violation  warning  info")
        for c in checks:
            n = {s: sum(1 for f in c.findings if f.severity is s) for s in Severity}
            print(f"{c.year.key.ljust(width)}  {n[Severity.violation]:9d}  {n[Severity.warning]:7d}  "
                  f"{n[Severity.info]:4d}")
        total = report["summary"]
        print(f"Findings: {total['violation']} violation, {total['warning']} warning, {total['info']} info")
        for path in written:
            print(f"Wrote {path}")
        if failing:
            print(f"Exit 1: {len(failing)} finding(s) at or above '{args.fail_on}' "
                  "(unverified requirements, status M or C, never fail the run).")
    return 1 if failing else 0
