"""The ``thscp-kg`` command line. The only module that exits.

Exit codes: 0 nothing at or above --fail-on; 1 findings at or above it; 2 bad input or
configuration (one line: file, line, what is wrong, how to fix); 3 internal error.
"""
from __future__ import annotations

import argparse
import datetime as dt
import os
import sys
import textwrap
import traceback
from pathlib import Path

from . import __version__
from .errors import ConfigError, UserError

DEFAULT_DATA = Path("data/tower-hamlets/2023-24.yaml")
FILE_FORMATS = {"md": "gap-report.md", "json": "gap-report.json", "txt": "gap-report.txt",
                "ttl": "validation-report.ttl"}


def _date(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"'{text}' is not a date; use YYYY-MM-DD") from None


def _formats(text: str) -> list[str]:
    names = [t.strip() for t in text.split(",") if t.strip()]
    bad = [n for n in names if n not in FILE_FORMATS and n != "text"]
    if bad:
        raise argparse.ArgumentTypeError(f"unknown format {', '.join(bad)}; choose from text, "
                                         + ", ".join(FILE_FORMATS))
    return names


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # argparse's own errors are configuration errors: exit 2
        raise ConfigError(f"{self.prog}: {message}.", fix=f"see '{self.prog} --help'.")


def parser() -> argparse.ArgumentParser:
    p = _Parser(prog="thscp-kg", description="Check a Safeguarding Children Partnership's arrangements "
                "against the Children Act 2004, the 2018 Regulations and Working Together.")
    p.add_argument("--version", action="version", version=f"thscp-kg {__version__}")
    p.add_argument("--debug", action="store_true", help="show tracebacks for internal errors")
    sub = p.add_subparsers(dest="command", required=True, parser_class=_Parser)

    c = sub.add_parser("check", help="validate a partnership-year and write the gap report")
    c.add_argument("data", nargs="?", type=Path, default=DEFAULT_DATA,
                   help=f"partnership-year YAML (default: {DEFAULT_DATA})")
    c.add_argument("--as-of", type=_date, help="evaluation date (default: the file's as_of, else the period end)")
    c.add_argument("--format", type=_formats, action="append",
                   help="report files to write: md, json, txt, ttl (comma-separated or repeated; default md,json)")
    c.add_argument("--output-dir", type=Path, help="folder for reports (default reports/<partnership>/<period>)")
    c.add_argument("--fail-on", choices=["violation", "warning", "info", "never"], default="violation",
                   help="lowest severity that makes the exit code 1 (default violation)")
    c.add_argument("--profile", type=Path, help="edition profile YAML (default catalogue/profiles/default.yaml)")
    c.add_argument("--requirement", action="append", help="check only this requirement id (repeatable)")
    c.add_argument("-q", "--quiet", action="store_true", help="no terminal summary")

    b = sub.add_parser("build", help="write the RDF graph of a partnership-year as Turtle")
    b.add_argument("data", nargs="?", type=Path, default=DEFAULT_DATA)
    b.add_argument("-o", "--output", type=Path, help="Turtle file to write (default: standard output)")
    b.add_argument("--materialise", action="store_true",
                   help="include derived facts (editions, deadlines, day numbers)")
    b.add_argument("--as-of", type=_date)
    b.add_argument("--profile", type=Path)

    r = sub.add_parser("rules", help="list the requirement catalogue")
    r.add_argument("--area")
    r.add_argument("--edition")
    r.add_argument("--assessment", choices=["shacl", "graph", "manual"])

    e = sub.add_parser("explain", help="show one requirement in full")
    e.add_argument("id")

    s = sub.add_parser("schema", help="write the JSON Schema of the data format")
    s.add_argument("-o", "--output", type=Path, help="default: standard output")
    return p


def main(argv: list[str] | None = None) -> int:
    debug = "--debug" in (argv if argv is not None else sys.argv[1:]) or bool(os.environ.get("THSCP_KG_DEBUG"))
    try:
        args = parser().parse_args(argv)
        return COMMANDS[args.command](args)
    except UserError as exc:
        print(f"thscp-kg: error: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("thscp-kg: interrupted; nothing was written.", file=sys.stderr)
        return 130
    except Exception as exc:  # an internal error: say so plainly, keep the traceback for --debug
        if debug:
            traceback.print_exc()
        where = traceback.extract_tb(exc.__traceback__)[-1] if exc.__traceback__ else None
        at = f" at {Path(where.filename).name}:{where.lineno}" if where else ""
        print(f"thscp-kg: internal error: {type(exc).__name__}: {exc}{at}. Nothing was written. "
              "Please report this with the input file; rerun with --debug for the traceback.", file=sys.stderr)
        return 3


def _data_path(path: Path) -> Path:
    """The bundled default works from any folder: fall back to the checkout's copy."""
    if path == DEFAULT_DATA and not path.exists():
        from .resources import repo_root
        bundled = repo_root() / DEFAULT_DATA
        if bundled.exists():
            return bundled
    return path


def cmd_check(args: argparse.Namespace) -> int:
    from .output import safe_child, write_all
    from .pipeline import check_file
    from .report import render

    args.data = _data_path(args.data)
    formats = sorted({f for group in (args.format or [["md", "json"]]) for f in group})
    run = check_file(args.data, as_of=args.as_of, profile_path=args.profile, requirement_ids=args.requirement)
    a = run.assessment
    out_dir = args.output_dir or Path("reports") / a.partnership / a.period
    files: dict[Path, str | bytes] = {}
    for fmt in formats:
        if fmt == "text":
            continue
        name = FILE_FORMATS[fmt]
        if fmt == "ttl":
            from .namespaces import bind_all
            files[safe_child(out_dir, name)] = bind_all(run.results).serialize(format="longturtle")
        else:
            files[safe_child(out_dir, name)] = render(a, "txt" if fmt == "txt" else fmt).replace("\r", "") \
                if fmt != "txt" else render(a, "text")
    write_all(files)
    if not args.quiet:
        sys.stdout.write(render(a, "text"))
        for path in sorted(files):
            print(f"Wrote {path}")
    failing = a.failing(args.fail_on)
    if failing and not args.quiet:
        print(f"Exit 1: {len(failing)} finding(s) at or above '{args.fail_on}' "
              "(unverified requirements, status M or C, never fail the run).")
    return 1 if failing else 0


def cmd_build(args: argparse.Namespace) -> int:
    from .build import build_graph
    from .loader import load_partnership_year
    from .output import write_atomic
    from .pipeline import as_of_for, build_materialised
    from .profile import load_profile

    loaded = load_partnership_year(_data_path(args.data))
    if args.materialise:
        graph = build_materialised(loaded, load_profile(args.profile), as_of_for(loaded, args.as_of))
    else:
        graph = build_graph(loaded)
    text = graph.serialize(format="longturtle")
    if args.output:
        write_atomic(args.output, text)
        print(f"Wrote {args.output} ({len(graph)} triples)")
    else:
        sys.stdout.write(text)
    return 0


def cmd_rules(args: argparse.Namespace) -> int:
    from .catalogue import load_catalogue

    cat = load_catalogue()
    rows = [r for r in cat.active()
            if (not args.area or r.area == args.area) and (not args.edition or r.edition == args.edition)
            and (not args.assessment or r.assessment == args.assessment)]
    for r in rows:
        print(f"{r.id:13} {r.modality:8} {r.severity:9} {r.verification:4} {r.assessment:6} {r.title}")
    print(f"{len(rows)} requirement(s)")
    return 0


def cmd_explain(args: argparse.Namespace) -> int:
    from .catalogue import load_catalogue

    cat = load_catalogue()
    try:
        r = cat.get(args.id)
    except KeyError:
        raise ConfigError(f"no requirement '{args.id}' in the catalogue.",
                          fix="run 'thscp-kg rules' to list the ids.") from None
    wrap = lambda t: textwrap.fill(" ".join(t.split()), width=88, initial_indent="  ", subsequent_indent="  ")
    lines = [f"{r.id} — {r.title}", f"  slug: {r.slug}   area: {r.area}   edition: {r.edition}",
             f"  modality: {r.modality}   severity: {r.severity}   verification: {r.verification}"
             + ("  (UNVERIFIED: never fails CI by default)" if r.unverified else ""),
             "", "Statement (paraphrase):", wrap(r.statement), "", "Sources:"]
    lines += [f"  - {s.instrument} {s.provision} [{s.verification}] <{s.iri}>" for s in r.sources]
    lines += ["", f"Assessment: {r.assessment}"]
    if r.shapes:
        lines.append("Shapes: " + ", ".join(f"scp-sh:{s}" for s in r.shapes))
    fixtures = Path("tests/requirements") / r.id
    if fixtures.is_dir():
        lines.append(f"Fixtures: {fixtures}/pass.yaml, {fixtures}/fail.yaml, {fixtures}/expected.yaml")
    if r.question:
        lines += ["", "Question for the assessor:", wrap(r.question)]
    lines += ["", "What to do when it fails:", wrap(r.remediation)]
    if r.note:
        lines += ["", "Note:", wrap(r.note)]
    print("\n".join(lines))
    return 0


def cmd_schema(args: argparse.Namespace) -> int:
    from .output import write_atomic
    from .schema import schema_text

    text = schema_text()
    if args.output:
        write_atomic(args.output, text)
        print(f"Wrote {args.output}")
    else:
        sys.stdout.write(text)
    return 0


COMMANDS = {"check": cmd_check, "build": cmd_build, "rules": cmd_rules, "explain": cmd_explain,
            "schema": cmd_schema}
