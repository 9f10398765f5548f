"""The command line: exit codes, one-line errors, default output folder, deterministic bytes."""
from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import REQUIREMENT_FIXTURES, ROOT, THSCP_2023_24, run_main

PASS = REQUIREMENT_FIXTURES / "CA04-16G-03" / "pass.yaml"
FAIL = REQUIREMENT_FIXTURES / "CA04-16G-03" / "fail-late.yaml"
WARN_ONLY = REQUIREMENT_FIXTURES / "WT23-YR-06" / "fail.yaml"


def cli(*args: str, cwd: Path = ROOT) -> subprocess.CompletedProcess:
    """In this process (conftest.run_main): most tests here are about what the command does."""
    return run_main(*args, cwd=cwd)


def cli_process(*args: str, cwd: Path = ROOT) -> subprocess.CompletedProcess:
    """A real ``python -m thscp_kg`` process: for exit codes, streams and byte-identical output
    across processes (hash seeds differ per process)."""
    env = {**os.environ, "PYTHONPATH": str(ROOT)}  # works with or without an installed package
    return subprocess.run([sys.executable, "-m", "thscp_kg", *args], cwd=cwd, capture_output=True, text=True,
                          timeout=120, env=env)


def test_exit_0_when_nothing_at_or_above_threshold(tmp_path):
    r = cli("check", str(PASS), "--requirement", "CA04-16G-03", "--output-dir", str(tmp_path))
    assert r.returncode == 0, r.stderr
    assert "Findings: 0 on statutory duties" in r.stdout


def test_exit_1_on_a_violation_and_threshold_changes_it(tmp_path):
    assert cli("check", str(FAIL), "--requirement", "CA04-16G-03", "--output-dir", str(tmp_path)).returncode == 1
    assert cli("check", str(FAIL), "--requirement", "CA04-16G-03", "--output-dir", str(tmp_path),
               "--fail-on", "never").returncode == 0


def test_fail_on_warning_counts_verified_warnings_only(tmp_path):
    # WT23-YR-06 is status M/C (unverified): its warnings never fail the run.
    r = cli("check", str(WARN_ONLY), "--requirement", "WT23-YR-06", "--output-dir", str(tmp_path),
            "--fail-on", "warning")
    assert r.returncode == 0, r.stdout
    lsp = REQUIREMENT_FIXTURES / "WT23-YR-04" / "fail.yaml"
    assert cli("check", str(lsp), "--requirement", "WT23-YR-04", "--output-dir", str(tmp_path)).returncode == 0
    assert cli("check", str(lsp), "--requirement", "WT23-YR-04", "--output-dir", str(tmp_path),
               "--fail-on", "warning").returncode == 1


def _one_line_error(r: subprocess.CompletedProcess) -> str:
    assert r.returncode == 2, (r.returncode, r.stdout, r.stderr)
    lines = r.stderr.strip().splitlines()
    assert len(lines) == 1, r.stderr
    assert "Traceback" not in r.stderr
    return lines[0]


@pytest.mark.parametrize("name,text,expected", [
    ("bad-yaml.yaml", "partnership: [unclosed\n",
     "bad-yaml.yaml:1: YAML syntax error"),
    ("unknown-ref.yaml", PASS.read_text().replace("{organisation: police}", "{organisation: met-police}"),
     "unknown-ref.yaml:18: unknown organisation 'met-police'"),
    ("bad-date.yaml", PASS.read_text().replace("published: 2025-09-30", "published: 2025-02-31"),
     "bad-date.yaml:29: 'published': '2025-02-31' is not a real calendar date"),
    ("missing-field.yaml", PASS.read_text().replace("    title: Yearly report 2024-25\n", ""),
     "missing-field.yaml:21: required field 'title' is missing (at documents.0.title)"),
])
def test_malformed_files_give_exit_2_and_one_clear_line(tmp_path, name, text, expected):
    path = tmp_path / name
    path.write_text(text)
    out = tmp_path / "out"
    line = _one_line_error(cli("check", str(path), "--output-dir", str(out)))
    assert line.startswith("thscp-kg: error: ") and expected in line, line
    assert "Fix:" in line
    assert not out.exists(), "nothing may be written for bad input"


def test_default_command_checks_the_bundled_thscp_year(tmp_path):
    """The README's first command, from another folder: uses the embedded default data."""
    r = cli_process("check", "-q", cwd=tmp_path)
    assert r.returncode == 1, r.stderr  # THSCP 2023-24 has evidenced gaps (see test_thscp.py)
    report = tmp_path / "reports" / "tower-hamlets" / "2023-24" / "gap-report.json"
    data = json.loads(report.read_text())
    assert data["partnership"] == "tower-hamlets" and data["period"] == "2023-24"


def test_reports_are_byte_identical_across_runs(tmp_path):
    a, b = tmp_path / "a", tmp_path / "b"
    cli_process("check", str(THSCP_2023_24), "--output-dir", str(a), "--format", "md,json,txt,ttl")
    cli_process("check", str(THSCP_2023_24), "--output-dir", str(b), "--format", "md,json,txt,ttl")
    names = sorted(p.name for p in a.iterdir())
    assert names == ["gap-report.json", "gap-report.md", "gap-report.txt", "governance-measures.json",
                     "governance-measures.md", "governance.svg", "validation-report.ttl"]
    for name in names:
        assert (a / name).read_bytes() == (b / name).read_bytes(), name


def test_build_is_deterministic_turtle(tmp_path):
    one, two = tmp_path / "1.ttl", tmp_path / "2.ttl"
    assert cli("build", str(THSCP_2023_24), "-o", str(one)).returncode == 0
    assert cli("build", str(THSCP_2023_24), "-o", str(two)).returncode == 0
    assert one.read_bytes() == two.read_bytes()
    from rdflib import Graph
    assert len(Graph().parse(one)) > 500


def test_rules_and_explain(catalogue):
    r = cli("rules")
    assert r.returncode == 0 and f"{len(catalogue.active())} requirement(s)" in r.stdout
    r = cli("explain", "WT23-YR-06")
    assert r.returncode == 0
    assert "UNVERIFIED" in r.stdout and "scp-sh:WT23-YR-06-a" in r.stdout
    assert "tests/requirements/WT23-YR-06/ (fail-approximate.yaml, fail.yaml, pass.yaml; expected.yaml)" in r.stdout
    assert _one_line_error(cli("explain", "XX-99")).endswith("Fix: run 'thscp-kg rules' to list the ids.")


def test_bad_option_is_exit_2():
    line = _one_line_error(cli_process("check", "--as-of", "yesterday"))
    assert "'yesterday' is not a date" in line


def test_explain_shows_a_passing_and_a_failing_example():
    r = cli("explain", "WT23-LSP-03")
    assert r.returncode == 0
    assert "Example: pass.yaml passes; fail-not-in-post.yaml fails on" in r.stdout
    assert "document/doc (WT23-LSP-03-a)" in r.stdout
    assert "+  - {id: chief-constable" in r.stdout


def test_rules_filters():
    r = cli("rules", "--edition", "WT18", "--assessment", "shacl")
    ids = [line.split()[0] for line in r.stdout.splitlines()[:-1]]
    assert ids and all(i.startswith("WT18-") for i in ids)
    r = cli("rules", "--modality", "GP")
    assert "WT23-PUB-02" in r.stdout and "CA04-16G-03" not in r.stdout


def test_only_the_process_own_run_changes_the_garbage_collector(tmp_path):
    """cli.main() with no argv (python -m thscp_kg, the thscp-kg script) sets GC_THRESHOLDS and freezes what
    is alive at its end (decision 0030); an in-process caller's collector is left as it was."""
    import gc

    from thscp_kg import cli as cli_module

    before, frozen = gc.get_threshold(), gc.get_freeze_count()
    assert cli_module.main(["rules", "--area", "LSP"]) == 0
    assert (gc.get_threshold(), gc.get_freeze_count()) == (before, frozen)
    driver = ("import gc, sys\nfrom thscp_kg.cli import GC_THRESHOLDS, main\nsys.argv[0] = 'thscp-kg'\n"
              "code = main()\nprint(gc.get_threshold() == GC_THRESHOLDS, gc.get_freeze_count() > 1000, code)\n")
    r = subprocess.run([sys.executable, "-c", driver, "rules", "--area", "LSP"], cwd=ROOT, capture_output=True,
                       text=True, timeout=120, env={**os.environ, "PYTHONPATH": str(ROOT)})
    assert r.returncode == 0, r.stderr
    assert r.stdout.splitlines()[-1] == "True True 0"


def test_a_command_parsed_alone_has_the_same_parser_as_with_every_command():
    """cli.parser(only=NAME) imports and adds one command (decision 0030): its help, usage and options must be
    those the full parser gives it, and every module's NAME must be the name ``only`` is matched with."""
    import importlib

    from thscp_kg import cli as cli_module
    from thscp_kg.commands import COMMAND_MODULES

    full, runners = cli_module.parser()
    subs = next(a for a in full._actions if isinstance(a, __import__("argparse")._SubParsersAction)).choices
    assert sorted(runners) == sorted(subs) == sorted(cli_module.command_name(m) for m in COMMAND_MODULES)
    for module in COMMAND_MODULES:
        name = cli_module.command_name(module)
        assert importlib.import_module(f"thscp_kg.commands.{module}").NAME == name
        alone, one = cli_module.parser(only=name)
        assert list(one) == [name] and one[name] is runners[name]
        sub = next(a for a in alone._actions if isinstance(a, __import__("argparse")._SubParsersAction)).choices
        assert sub[name].format_help() == subs[name].format_help()
        assert [(a.option_strings, a.dest, a.default, a.choices) for a in sub[name]._actions] == \
            [(a.option_strings, a.dest, a.default, a.choices) for a in subs[name]._actions]
    assert cli_module._command_in(["check", "x.yaml"]) == "check"
    assert cli_module._command_in(["new-year", "x"]) == "new-year"
    for line in (["--help"], ["--debug", "check"], ["chek"], ["new_year"], []):
        assert cli_module._command_in(line) is None


def test_help_and_a_mistyped_command_still_list_every_command():
    r = cli("--help")
    assert r.returncode == 0 and all(m.replace("_", "-") in r.stdout for m in
                                     __import__("thscp_kg.commands", fromlist=["x"]).COMMAND_MODULES)
    r = cli("chek")
    assert r.returncode == 2 and "invalid choice: 'chek'" in r.stderr and "'new-year'" in r.stderr, r.stderr
