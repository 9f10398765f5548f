"""thscp-kg check: validate a partnership-year and write the gap report (and the CI outputs)."""
from __future__ import annotations

import argparse
import contextlib
import sys
from pathlib import Path

from .common import output_dir
from .common import DEFAULT_DATA, data_path, iso_date, terminal_width

NAME = "check"
HELP = "validate a partnership-year and write the gap report"
FILE_FORMATS = {"md": "gap-report.md", "json": "gap-report.json", "html": "gap-report.html",
                "sarif": "gap-report.sarif", "junit": "gap-report.junit.xml", "txt": "gap-report.txt",
                "ttl": "validation-report.ttl"}
DEFAULT_FORMATS = ["md", "json", "html", "sarif", "junit", "ttl"]


def _formats(text: str) -> list[str]:
    names = [t.strip() for t in text.split(",") if t.strip()]
    bad = [n for n in names if n not in FILE_FORMATS and n != "text"]
    if bad:
        raise argparse.ArgumentTypeError(f"unknown format {', '.join(bad)}; choose from text, "
                                         + ", ".join(FILE_FORMATS))
    return names


def add_arguments(c: argparse.ArgumentParser) -> None:
    c.add_argument("data", nargs="*", type=Path,
                   help=f"partnership-year YAML file(s) (default: {DEFAULT_DATA})")
    c.add_argument("--as-of", type=iso_date, help="evaluation date (default: the file's as_of, else the period end)")
    c.add_argument("--format", type=_formats, action="append",
                   help="report files to write: " + ", ".join(FILE_FORMATS) + " (comma-separated or repeated; "
                        f"default {','.join(DEFAULT_FORMATS)}); 'text' alone writes no file")
    c.add_argument("--output-dir", type=output_dir,
                   help="folder for reports (default reports/<partnership>/<period>; with several data files, "
                        "each goes to <output-dir>/<partnership>/<period>)")
    c.add_argument("--fail-on", choices=["violation", "warning", "info", "never"], default="violation",
                   help="lowest severity that makes the exit code 1 (default violation)")
    c.add_argument("--stage", choices=["sign-off", "published"],
                   help="the stage of the year the report is read at (default: from the data: sign-off until the "
                        "yearly report's recorded publication); at sign-off, publication duties are a dated "
                        "checklist, not findings (see 'thscp-kg explain stage')")
    c.add_argument("--profile", type=Path, help="edition profile YAML (default catalogue/profiles/default.yaml)")
    c.add_argument("--requirement", action="append", help="check only this requirement id (repeatable)")
    c.add_argument("--require-evidence", action="store_true",
                   help="a fact without evidence is a finding (EVID-02); also 'require_evidence: true' in the profile")
    waivers = c.add_mutually_exclusive_group()
    waivers.add_argument("--waivers", type=Path, metavar="FILE",
                         help="waiver file (default: waivers.yaml next to the data file, when it exists)")
    waivers.add_argument("--no-waivers", action="store_true", help="apply no waivers: show every finding as open")
    baseline = c.add_mutually_exclusive_group()
    baseline.add_argument("--baseline", type=Path, metavar="FILE",
                          help="an older version of the data to compare with (the previous year, or the base "
                               "branch's copy); default: <previous period>.yaml next to the data file, if it exists")
    baseline.add_argument("--baseline-git", metavar="REV",
                          help="compare each data file with its own copy committed at REV (e.g. HEAD: the "
                               "pre-commit hook), read with git; a file not at REV is compared with last year's")
    baseline.add_argument("--no-baseline", action="store_true", help="no year-on-year comparison")
    c.add_argument("--fail-on-new", choices=["violation", "warning", "info", "never"],
                   help="gate on NEW findings only: exit 1 when a finding at or above this severity is not in "
                        "the baseline (replaces --fail-on; without a baseline every finding is new)")
    c.add_argument("-q", "--quiet", action="store_true", help="no terminal summary")
    fast = c.add_argument_group("engine and store (docs/decisions/0007-fast-path.md, 0017, 0025)")
    fast.add_argument("--engine", choices=["reference", "fast", "shacl"],
                      help="SHACL engine: fast (pyshacl-turbo, the default for a data file when ttl is written), "
                           "shacl (the PyPI shacl package, the default otherwise and with --store) or reference "
                           "(pySHACL); all give the same findings (default: $THSCP_KG_ENGINE, else as said)")
    where = fast.add_mutually_exclusive_group()
    where.add_argument("--store", type=Path, nargs="?", const=Path(".thscp-store"), metavar="DIR",
                       help="check the partnership-years in the store (thscp-kg load) instead of data files "
                            "(DIR default .thscp-store); writes store-check.json")
    where.add_argument("--endpoint", metavar="URL",
                       help="check the partnership-years stored at a SPARQL 1.1 endpoint (its query URL)")
    fast.add_argument("--only", action="append", metavar="PARTNERSHIP[/PERIOD]",
                      help="with --store or --endpoint: check only these partnership-years (repeatable)")


def run(args: argparse.Namespace) -> int:
    from ..errors import ConfigError

    if args.store is not None or args.endpoint:  # the stored partnership-years (thscp_kg/store/)
        from ..store.graph_store import run_store_check
        if args.data:
            raise ConfigError("--store and --endpoint check what is stored, not data files.",
                              fix="drop the file names (select stored years with --only), or drop --store.")
        return run_store_check(args)
    files = args.data or [DEFAULT_DATA]
    if len(files) > 1 and args.baseline:
        raise ConfigError("--baseline compares one data file with one older version.",
                          fix="run check once per data file, or drop --baseline (the previous year is used).")
    if args.requirement:
        from ..rules.plain import plain_catalogue
        from .common import check_requirement_ids
        check_requirement_ids(args.requirement, [r.id for r in plain_catalogue().requirements])
    formats = sorted({f for group in (args.format or [DEFAULT_FORMATS]) for f in group})
    # Every file is checked before anything is written: a bad later file leaves no earlier reports.
    results = [_check_one(data_path(data), args, formats, several=len(files) > 1) for data in files]
    from ..output import write_all
    write_all({path: text for _, outputs, _ in results for path, text in outputs.items()})
    for _, _, summary in results:
        sys.stdout.write(summary)
    return max(code for code, _, _ in results)


def _read_first(data: Path):
    """Read and validate the data file before rdflib or an engine is imported, so bad input gets its
    one line at once: a YAML error before even the data model (pydantic) is loaded."""
    from ..yamlsafe import display_path, load_yaml

    document = load_yaml(data, display_path(data))
    from ..load.loader import load_partnership_year

    return load_partnership_year(data, document=document)


def _baseline_check(path: Path, previous, args: argparse.Namespace):
    """The baseline year's assessment (another year: judged on its own date)."""
    from ..pipeline import check_file
    from ..validate.engines import cli_default

    return check_file(path, requirement_ids=args.requirement, profile_path=args.profile, use_waivers=False,
                      engine=args.engine or cli_default(report_graph=False), loaded=previous).assessment


def _baseline_year(path: Path, period: str, args: argparse.Namespace):
    """In the child: the previous year's file read and checked, ``(loaded, assessment)``; None when the file
    is of the same period (a copy of this year is judged on --as-of: the in-process path does that)."""
    from ..load.loader import load_partnership_year

    previous = load_partnership_year(path)
    if previous.year.period.id == period:
        return None
    return previous, _baseline_check(path, previous, args)


def _baseline_in_child(data: Path, loaded, args: argparse.Namespace, engine: str | None):
    """The previous year's read and check, started in a child, when the baseline is the previous year's file
    and a child can be forked; else None. The file is read in the child (off this process's path); a file
    that cannot be read fails the child, and the in-process path then reads it and reports why."""
    from . import forked
    from ..years.diff import previous_year_path

    if args.no_baseline or args.baseline or getattr(args, "baseline_git", None) or not forked.can_fork():
        return None
    path = previous_year_path(data, loaded.year.period.id)
    if path is None:
        return None
    from ..pipeline import prepare
    from ..validate.engines import cli_default

    prepare({engine, args.engine or cli_default(report_graph=False)})   # this year's engine and the baseline's
    return forked.start(_baseline_year, path, loaded.year.period.id, args)


def _check_one(data: Path, args: argparse.Namespace, formats: list[str],
               several: bool) -> tuple[int, dict[Path, str | bytes], str]:
    """Check one file: its exit code, the report files to write and the terminal summary (nothing written yet)."""
    with contextlib.ExitStack() as children:   # child processes (forked.py): stopped and reaped on any exit
        return _check_in(data, args, formats, several, children)


def _report_turtle(graph, validate) -> str:
    """validation-report.ttl: pySHACL's report graph (pyshacl-turbo's), in canonical Turtle."""
    from ..rdfio import deterministic_turtle

    return deterministic_turtle(validate("fast"))


def _governance_files(loaded, graph, validate) -> tuple[dict[str, str], dict, str]:
    """The governance diagram and measures of this year (``thscp-kg graph``'s files), the measures as
    the reports embed them, and the layout that drew the diagram."""
    from ..analysis.outputs import governance_outputs
    from ..rules.plain import plain_catalogue

    gov = governance_outputs(loaded, graph, plain_catalogue())
    return gov.files, gov.measures.to_dict(), gov.layout


class _FromGraph:
    """``compute(*leading, graph, validate)`` in a child process started once this year's data graph is
    built (``check_file``'s ``on_graph``), so that it runs on the other core beside the validation:
    validation-report.ttl (pyshacl-turbo's import, shapes and validation, the canonical Turtle) and the
    governance files (networkx, the measures, the Graphviz layout) read nothing else. Computed in process,
    from the same graph, when no child could be started or it failed."""

    def __init__(self, stack: contextlib.ExitStack, compute, *leading) -> None:
        self.stack, self.compute, self.leading, self.job, self.given = stack, compute, leading, None, None

    def __call__(self, graph, validate) -> None:
        from . import forked

        self.given = (*self.leading, graph, validate)
        self.job = forked.start(self.compute, *self.given)
        if self.job is not None:
            self.stack.callback(self.job.close)

    def result(self):
        from .forked import FAILED

        value = self.job.result() if self.job is not None else FAILED
        return self.compute(*self.given) if value is FAILED else value


def _check_in(data: Path, args: argparse.Namespace, formats: list[str], several: bool,
              children: contextlib.ExitStack) -> tuple[int, dict[Path, str | bytes], str]:
    loaded = _read_first(data)
    from ..errors import UserError
    from ..load.loader import load_partnership_year
    from ..output import safe_child
    from ..pipeline import check_file
    from ..validate.engines import cli_default
    from ..years.diff import diff_runs, new_failing, previous_year_path
    from . import forked

    # Only this year's report graph is ever written (ttl); the baseline's gives findings only.
    engine = args.engine or cli_default(report_graph="ttl" in formats)
    # When nobody chose the engine and a child can be forked, this year's findings come from the
    # findings engine (identical findings, decision 0025) and the ttl's pySHACL report graph from
    # pyshacl-turbo in a child; otherwise one engine gives both, as before.
    split = "ttl" in formats and args.engine is None and engine == "fast" and forked.can_fork()
    if split:
        engine = cli_default(report_graph=False)
    turtle = _FromGraph(children, _report_turtle) if split else None
    governance = _FromGraph(children, _governance_files, loaded) if "html" in formats or "md" in formats else None
    started = [c for c in (turtle, governance) if c is not None]

    def on_graph(graph, validate) -> None:
        for start in started:
            start(graph, validate)

    with contextlib.ExitStack() as stack:
        # The baseline year in a child process on the other core while this year is checked (forked.py);
        # when that is not possible or fails, it is checked below, after this year, as it always was.
        early = _baseline_in_child(data, loaded, args, engine)
        if early is not None:
            children.callback(early.close)
        check = check_file(data, as_of=args.as_of, profile_path=args.profile, requirement_ids=args.requirement,
                           waivers=args.waivers, use_waivers=not args.no_waivers, engine=engine,
                           stage=args.stage, loaded=loaded, require_evidence=args.require_evidence,
                           on_graph=on_graph if started else None)
        a = check.assessment
        from ..report import prepare as prepare_renderers
        prepare_renderers(formats)   # the renderers' imports and the HTML template, also before the wait
        label = None
        if getattr(args, "baseline_git", None):
            from ..years.git_baseline import baseline_for
            baseline_path, label = stack.enter_context(baseline_for(data, args.baseline_git, a.period))
        else:
            baseline_path = None if args.no_baseline else (args.baseline or previous_year_path(data, a.period))
        old = None
        if early is not None:
            from ..pipeline import CheckRun
            value = early.result()
            if value is not forked.FAILED and value is not None:
                previous, assessment = value
                old = CheckRun(previous, None, None, assessment)   # the diff reads the file and the assessment
        if baseline_path is not None and old is None:
            try:
                # The same year's older copy (base branch) is judged on the same date; another year on its own.
                previous = load_partnership_year(baseline_path, label)   # read once: check_file is given it
                same_year = previous.year.period.id == a.period
                old = check_file(baseline_path, as_of=args.as_of if same_year else None, profile_path=args.profile,
                                 requirement_ids=args.requirement, use_waivers=False,
                                 engine=args.engine or cli_default(report_graph=False),
                                 loaded=previous, **({"display": label} if label else {}))
            except UserError as exc:
                if args.baseline:
                    raise
                what = f"the committed copy {label}" if label else f"previous year {baseline_path}"
                print(f"thscp-kg: note: {what} not compared ({exc})", file=sys.stderr)
    if old is not None:
        a.previous = diff_runs(old, check)

    if args.output_dir and not several:
        out_dir = args.output_dir
    else:
        # Ids are pattern-checked by the loader; safe_child refuses them again before they become folders.
        out_dir = safe_child(safe_child(args.output_dir or Path("reports"), a.partnership), a.period)
    files: dict[Path, str | bytes] = {}
    if governance is not None:
        # The governance diagram and measures: embedded in the reports and written beside them.
        gov_files, measures, layout = governance.result()
        a.governance = {"svg": gov_files["governance.svg"], "measures": measures, "layout": layout}
        for name, text in gov_files.items():
            files[safe_child(out_dir, name)] = text
    for fmt in formats:
        if fmt == "text":
            continue
        target = safe_child(out_dir, FILE_FORMATS[fmt])
        if fmt == "ttl":
            from ..rdfio import deterministic_turtle
            files[target] = turtle.result() if turtle is not None else deterministic_turtle(check.results)
        else:
            from ..report import render
            files[target] = render(a, "text" if fmt == "txt" else fmt)
    out: list[str] = []
    if not args.quiet:
        from ..report.text import render as summary
        out.append(summary(a, width=terminal_width()))
        out += [f"Wrote {path}\n" for path in sorted(files)]
    if args.fail_on_new:
        failing = new_failing(old.assessment.findings if old else [], a.findings, args.fail_on_new)
        if failing and not args.quiet:
            against = f"not in {old.assessment.data_file}" if old else "no baseline, so every finding is new"
            out.append(_wrapped(f"Exit 1: {len(failing)} new finding(s) at or above '{args.fail_on_new}' ({against})."))
        return (1 if failing else 0), files, "".join(out)
    failing = a.failing(args.fail_on)
    if failing and not args.quiet:
        out.append(_wrapped(f"Exit 1: {len(failing)} finding(s) at or above '{args.fail_on}' "
                            "(unverified requirements, status M or C, and waived findings never fail the run)."))
    return (1 if failing else 0), files, "".join(out)


def _wrapped(line: str) -> str:
    from ..report.text import wrap
    return "\n".join(wrap(line, terminal_width())) + "\n"
