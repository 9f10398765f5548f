"""thscp-kg explain ID: one requirement in full, with a passing and a failing data example."""
from __future__ import annotations

import argparse
import difflib
import textwrap
from pathlib import Path

from ..errors import ConfigError
from .common import terminal_width

NAME = "explain"
HELP = "show one requirement in full"


def add_arguments(e: argparse.ArgumentParser) -> None:
    e.add_argument("id", help="a requirement id, or 'verdict' (how page one's verdict is reached) or 'stage'")


def _wrap(text: str, width: int = 88) -> str:
    return textwrap.fill(" ".join(text.split()), width=width, initial_indent="  ", subsequent_indent="  ")


def fixture_folder(req_id: str) -> Path | None:
    from ..resources import repo_root

    folder = repo_root() / "tests" / "requirements" / req_id
    return folder if folder.is_dir() else None


def example(folder: Path) -> list[str]:
    """The difference between the passing and the first failing fixture: what breaks the rule."""
    import yaml

    cases = yaml.safe_load((folder / "expected.yaml").read_text())["cases"]
    passes = sorted((c for c, v in cases.items() if not v), key=lambda c: (c != "pass.yaml", c))
    fails = [c for c, v in cases.items() if v]
    if not passes or not fails:
        return []
    passing = passes[0]
    a = (folder / passing).read_text().splitlines()[1:]

    def diff_with(case: str) -> list[str]:
        b = (folder / case).read_text().splitlines()[1:]
        return list(difflib.unified_diff(a, b, passing, case, n=1, lineterm=""))
    # The failing case closest to the passing one shows most plainly what breaks the rule.
    failing = min(sorted(fails), key=lambda c: len(diff_with(c)))
    diff = diff_with(failing)
    shown = diff[:40] + (["  ..."] if len(diff) > 40 else [])
    expected = [f"    {e['focus']} ({e['shape']})" for e in cases[failing]]
    return ["", f"Example: {passing} passes; {failing} fails on", *expected,
            "", "  What changes between them:", *[f"  {line}" for line in shown]]


def _explain_topic(topic: str) -> int:
    from ..report.decision import VERDICT_RULE
    from ..report.stage import AFTER_PUBLICATION

    if topic == "verdict":
        lines = ["The verdict on page one of the gap report, in this order:"]
        lines += [f"  {label}: when {text}" for _key, label, text in VERDICT_RULE]
        lines += ["", "Top items: at most 7 open duty- and guidance-level findings, one per requirement and",
                  "entity, breaches (not met: a practice action) before missing data (not evidenced: a",
                  "data action), each with an owner and a due date."]
    else:
        lines = ["The stage of the year: 'sign-off' until the yearly report's recorded publication date",
                 "(compared with the as-of date), then 'published'. Force it with check --stage.",
                 "At sign-off these checks are a dated checklist (status not-yet-due), not findings:"]
        lines += [f"  {shape}: {text.format(value='each recipient', days='N')}"
                  for shape, (text, _when) in AFTER_PUBLICATION.items()]
    print("\n".join(lines))
    return 0


def run(args: argparse.Namespace) -> int:
    # The plain copies of the validated catalogue and changelog: no pydantic import (rules/plain.py).
    from ..rules.plain import plain_catalogue, plain_changelog

    if args.id in ("verdict", "stage"):
        return _explain_topic(args.id)
    try:
        r = plain_catalogue().get(args.id)
    except KeyError:
        raise ConfigError(f"no requirement '{args.id}' in the catalogue.",
                          fix="run 'thscp-kg rules' to list the ids.") from None
    print(explanation(r, plain_changelog().for_requirement(r.id), width=terminal_width()))
    return 0


def explanation(r, history: list, width: int | None = None) -> str:
    """The text of ``explain`` for requirement ``r`` and its changelog lines ``history``; paragraphs are 88
    wide, or a narrower terminal's ``width``, to which every longer line is then wrapped."""
    fill = min(88, width or 88)
    lines = [f"{r.id} — {r.title}", f"  slug: {r.slug}   area: {r.area}   edition: {r.edition}",
             f"  modality: {r.modality}   severity: {r.severity}   verification: {r.verification}"
             + ("  (UNVERIFIED: never fails CI by default)" if r.unverified else ""),
             "", "Statement (paraphrase):", _wrap(r.statement, fill), "", "Sources:"]
    for src in r.sources:
        lines.append(f"  - {src.instrument} {src.provision} [{src.verification}] <{src.link or src.iri}>")
        if src.quote:
            what = "the provision's own text" if src.text == "provision" else "a verbatim reproduction"
            lines.append(f"      checked {src.checked} against {what}: <{src.url}>")
            lines.append(textwrap.fill(f"“{' '.join(src.quote.split())}”", width=fill, initial_indent="      ",
                                       subsequent_indent="      "))
            lines += [f"      also <{a.url}>: “{a.quote}”" for a in src.also]
        else:
            lines.append("      no record of a check: believed, UNVERIFIED (M)")
        if src.unverified:
            lines.append(f"      UNVERIFIED: {src.unverified}")
        if src.conflict:
            lines.append(f"      sources conflict: {src.conflict}")
    for aspect in r.aspects:
        lines.append(f"  Aspect '{aspect.name}' [{aspect.verification}] on {', '.join(aspect.shapes)}"
                     + (f" (profile {aspect.parameter})" if aspect.parameter else "") + ":")
        lines.append(_wrap(aspect.note, fill))
    if r.commences:
        lines.append(f"  Not in force until commenced: profile commencement.{r.commences} (default: not commenced);"
                     " before then it is listed in the reports' look-ahead, not checked.")
    if r.restates:
        lines.append(f"  Restates {r.restates}.")
    if r.restated_by:
        lines.append(f"  Restated by {', '.join(r.restated_by)}.")
    lines += ["", f"Assessment: {r.assessment}" + ("  (WT2023 transitional: info until revised arrangements)"
                                                    if r.transitional else "")]
    if r.shapes:
        lines.append("Shapes: " + ", ".join(f"scp-sh:{s}" for s in r.shapes))
    if r.profile_parameters:
        lines.append("Profile parameters: " + ", ".join(r.profile_parameters))
    folder = fixture_folder(r.id)
    if folder:
        cases = sorted(p.name for p in folder.glob("*.yaml") if p.name != "expected.yaml")
        lines.append(f"Fixtures: tests/requirements/{r.id}/ ({', '.join(cases)}; expected.yaml)")
    if r.question:
        lines += ["", "Question for the assessor:", _wrap(r.question, fill)]
    lines += ["", "What to do when it fails:", _wrap(r.remediation, fill)]
    if r.note:
        lines += ["", "Note:", _wrap(r.note, fill)]
    if history:
        lines += ["", "Changes (catalogue/CHANGELOG.yaml):"]
        lines += [f"  {c.date} [{', '.join(c.changed)}] {c.change}" for c in sorted(history, key=lambda c: c.day)]
    if folder:
        lines += example(folder)
    text = "\n".join(lines)
    if width is None:
        return text
    from ..report.text import wrap

    return "\n".join(part for line in text.split("\n") for part in wrap(line, width))
