"""thscp-kg explain ID: one requirement in full."""
from __future__ import annotations

import argparse
import textwrap
from pathlib import Path

from ..errors import ConfigError

NAME = "explain"
HELP = "show one requirement in full"


def add_arguments(e: argparse.ArgumentParser) -> None:
    e.add_argument("id")


def run(args: argparse.Namespace) -> int:
    from ..catalogue import load_catalogue

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
