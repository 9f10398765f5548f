"""thscp-kg query: SPARQL across the stored partnership-years (table, CSV or JSON)."""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

NAME = "query"
HELP = "run a SPARQL query across the stored partnership-years"
DEFAULT_TIMEOUT = 30.0
EPILOG = """\
The store's prefixes (scp:, scp-id:, org:, dcterms:, time:, prov:, skos:, rdfs:, xsd:, sh: ...) are
predeclared. Patterns match across every stored partnership-year (the default graph is their
union); GRAPH ?g { ... } names the partnership-year each answer comes from. Example:
  thscp-kg query 'SELECT ?g ?issued WHERE { GRAPH ?g { ?r a scp:YearlyReport ; dcterms:issued ?issued } } ORDER BY ?g'
"""


def add_arguments(c: argparse.ArgumentParser) -> None:
    c.epilog = EPILOG
    c.formatter_class = argparse.RawDescriptionHelpFormatter
    c.add_argument("sparql", nargs="?", help="the query (or -f FILE)")
    c.add_argument("-f", "--file", type=Path, help="read the query from FILE ('-' for standard input)")
    where = c.add_mutually_exclusive_group()
    where.add_argument("--store", type=Path, metavar="DIR", help="the store's folder (default .thscp-store)")
    where.add_argument("--endpoint", metavar="URL", help="query a SPARQL 1.1 endpoint instead")
    c.add_argument("--format", choices=["table", "csv", "json"], default="table",
                   help="answer format (default table; CONSTRUCT and DESCRIBE always give N-Triples)")
    c.add_argument("--allow-service", action="store_true",
                   help="allow SPARQL SERVICE clauses, which send part of the query to another server (refused by default)")
    c.add_argument("--no-union", action="store_true",
                   help="the default graph is the store's own default graph, not the union of all graphs")
    c.add_argument("--timeout", type=_seconds, default=DEFAULT_TIMEOUT, metavar="SECONDS",
                   help=f"stop a query that runs longer, exit 2 (default {DEFAULT_TIMEOUT:g}; 0: no limit); "
                        "Ctrl-C stops a query at once (exit 130)")


def _seconds(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        value = -1.0
    if not (0 <= value <= 86_400):  # also refuses nan
        raise argparse.ArgumentTypeError(f"'{text}' is not a number of seconds from 0 to 86400")
    return value


def run(args: argparse.Namespace) -> int:
    from ..errors import ConfigError
    from ..store.graph_store import open_backend

    if (args.sparql is None) == (args.file is None):
        raise ConfigError("give the query either as an argument or with -f FILE (not both).",
                          fix="thscp-kg query 'SELECT ...' or thscp-kg query -f query.rq")
    if args.file is not None:
        try:
            text = sys.stdin.read() if str(args.file) == "-" else args.file.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            raise ConfigError(f"{args.file} could not be read ({exc}).", file=str(args.file),
                              fix="name a readable UTF-8 text file holding the query.") from None
    else:
        text = args.sparql
    from ..store.bounded import run_bounded

    def work() -> str:
        with open_backend(args.store, args.endpoint, read_only=True, timeout=args.timeout or None) as backend:
            return answer(backend, text, args.format, union=not args.no_union, allow_service=args.allow_service)

    # In a child process: the store evaluates a query where no timer or Ctrl-C reaches it (store/bounded.py).
    # An endpoint's own total deadline (the same --timeout) goes first, with its clearer message.
    bound = args.timeout + 2 if args.endpoint and args.timeout else args.timeout
    sys.stdout.write(run_bounded(work, bound, fix="narrow the query (patterns that share no variable "
                                 "multiply: every match of one with every match of the other), or allow "
                                 "longer with --timeout SECONDS (0: no limit)."))
    return 0


def answer(backend, text: str, fmt: str, union: bool = True, allow_service: bool = False) -> str:
    """The query's answer rendered as ``fmt`` (table, csv, json); triples as N-Triples."""
    from ..store.query_safety import refuse_service

    if not allow_service:
        refuse_service(text)  # "nothing remote" unless asked for
    kind = _kind(text)
    if kind in ("CONSTRUCT", "DESCRIBE"):
        return backend.construct(text, union=union)
    rows = backend.select(text, union=union)
    if rows.boolean is not None:
        return render_boolean(rows.boolean, fmt)
    return {"table": render_table, "csv": render_csv, "json": render_json}[fmt](rows)


def _kind(text: str) -> str:
    import re

    body = re.sub(r"#[^\n]*", " ", text)  # comments
    body = re.sub(r"(?is)\b(PREFIX\s+\S*:\s*<[^>]*>|BASE\s*<[^>]*>)", " ", body)
    match = re.search(r"(?i)\b(SELECT|ASK|CONSTRUCT|DESCRIBE)\b", body)
    return match.group(1).upper() if match else "SELECT"


def _cell(term) -> str:
    from rdflib import Literal, URIRef

    from ..namespaces import PREFIXES
    from ..store.graph_store import STORE

    if term is None:
        return ""
    if isinstance(term, URIRef):
        text = str(term)
        for prefix, ns in sorted({**PREFIXES, "scp-store": STORE}.items(), key=lambda kv: -len(str(kv[1]))):
            if text.startswith(str(ns)) and len(text) > len(str(ns)):
                return f"{prefix}:{text[len(str(ns)):]}"
        return f"<{text}>"
    if isinstance(term, Literal):
        return str(term)
    return f"_:{term}"


def render_table(rows) -> str:
    header = rows.variables
    body = [[_cell(c) for c in row] for row in rows.rows]
    widths = [min(60, max([len(h)] + [len(r[i]) for r in body])) for i, h in enumerate(header)]

    def line(cells: list[str]) -> str:
        return "  ".join((c if len(c) <= w else c[: w - 1] + "…").ljust(w) for c, w in zip(cells, widths)).rstrip()

    out = [line(header), line(["-" * w for w in widths])] + [line(r) for r in body]
    out.append(f"({len(body)} row{'s' if len(body) != 1 else ''})")
    return "\n".join(out) + "\n"


def render_csv(rows) -> str:
    import csv
    import io

    from ..store.query_safety import csv_cell

    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\r\n")  # SPARQL 1.1 CSV results: RFC 4180
    writer.writerow(rows.variables)
    for row in rows.rows:
        writer.writerow(["" if c is None else csv_cell(str(c)) for c in row])
    return buf.getvalue()


def render_json(rows) -> str:
    """SPARQL 1.1 Query Results JSON."""
    import json

    from rdflib import BNode, Literal, URIRef

    def term(t) -> dict:
        if isinstance(t, URIRef):
            return {"type": "uri", "value": str(t)}
        if isinstance(t, BNode):
            return {"type": "bnode", "value": str(t)}
        out = {"type": "literal", "value": str(t)}
        if isinstance(t, Literal) and t.language:
            out["xml:lang"] = t.language
        elif isinstance(t, Literal) and t.datatype is not None:
            out["datatype"] = str(t.datatype)
        return out

    bindings = [{v: term(c) for v, c in zip(rows.variables, row) if c is not None} for row in rows.rows]
    return json.dumps({"head": {"vars": rows.variables}, "results": {"bindings": bindings}}, indent=1) + "\n"


def render_boolean(value: bool, fmt: str) -> str:
    import json

    if fmt == "json":
        return json.dumps({"head": {}, "boolean": value}) + "\n"
    return ("true" if value else "false") + "\n"
