"""Hostile and broken input: one clear line, exit 2, nothing written, bounded time and memory.

Every file in tests/bad_inputs/ goes through the real command line (``thscp_kg.cli.main([
"check", <file>, "--output-dir", <empty folder>])``, all in this one process, one after the
other, with standard output and error captured) and must print exactly the line
tests/bad_inputs/expected.yaml gives for it. Cases too big or too odd to commit (a 50 MB file,
10 000-deep nesting, a device, a folder) are generated in a temporary folder and run as true
subprocesses (``python -m thscp_kg check ...``), two or more at a time.

Limits per case: for a subprocess, its CPU time and peak memory from ``os.wait4`` in a tiny
launcher process (the command's own rusage, not pytest's, so the limits hold even when cases run
two or more at a time); in this process, the CPU time the case used and how far it raised the
process's peak memory above the memory in use before it ran.
"""
from __future__ import annotations

import contextlib
import io
import json
import os
import resource
import re
import subprocess
import sys
import threading
import time
import xml.etree.ElementTree as ET
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import pytest
from conftest import ROOT, yaml_load

BAD = ROOT / "tests" / "bad_inputs"
MANIFEST = yaml_load((BAD / "expected.yaml").read_text(encoding="utf-8"))
CASES = MANIFEST["cases"]
GENERATED = MANIFEST["generated"]
VALID = BAD / "valid.yaml"
# Files a case's data file reads from its own folder (data/<p>/waivers.yaml and the like): part of that
# case, not cases of their own.
COMPANIONS = {"waivers.yaml", "assessments.yaml", "signoffs.yaml", "actions.yaml"}

MAX_CPU_SECONDS = 5.0  # per case, user + system time of the child
MAX_WALL_SECONDS = 30.0  # generous: cases run in parallel on shared CI machines
MAX_RSS_BYTES = 300 * 1024 * 1024


@dataclass
class Run:
    code: int
    stdout: str
    stderr: str
    wall: float
    cpu: float
    rss: int  # peak resident set size, bytes
    out_dir: Path


# The process under test is started by this small launcher, which reports the command's own
# rusage. Measured from pytest directly, ru_maxrss would include pytest's memory: a forked child
# keeps its parent's peak across exec (the "180 MB" once quoted was pytest's, not the command's).
def run_cli(args: list[str], out_dir: Path, cwd: Path = ROOT) -> Run:
    """Run ``python -m thscp_kg`` through a tiny launcher that measures the command alone."""
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    out_path, err_path = out_dir.with_name(out_dir.name + ".stdout"), out_dir.with_name(out_dir.name + ".stderr")
    usage_path = out_dir.with_name(out_dir.name + ".usage")
    launcher = ("import json, os, subprocess, sys\n"
                "pid = os.fork()\n"
                "if pid == 0:\n"
                "    os.execv(sys.argv[2], sys.argv[2:])\n"
                "_, status, usage = os.wait4(pid, 0)\n"
                "open(sys.argv[1], 'w').write(json.dumps([usage.ru_utime + usage.ru_stime, usage.ru_maxrss]))\n"
                "sys.exit(os.waitstatus_to_exitcode(status) & 0xff)\n")
    with open(out_path, "wb") as out, open(err_path, "wb") as err:
        start = time.perf_counter()
        proc = subprocess.Popen([sys.executable, "-c", launcher, str(usage_path), sys.executable, "-m", "thscp_kg",
                                 *args], cwd=cwd, stdout=out, stderr=err, env=env, start_new_session=True)
        killer = threading.Timer(120, lambda: os.killpg(proc.pid, 9))  # a hang must fail the test, not the CI job
        killer.start()
        try:
            proc.wait()
        finally:
            killer.cancel()
        wall = time.perf_counter() - start
    cpu, maxrss = json.loads(usage_path.read_text()) if usage_path.exists() else (float("inf"), 0)
    rss = maxrss * (1 if sys.platform == "darwin" else 1024)
    return Run(proc.returncode, out_path.read_text("utf-8", "replace"), err_path.read_text("utf-8", "replace"),
               wall, cpu, rss, out_dir)


def _rss_now() -> int:
    """The memory this process has in use now, bytes (Linux /proc; elsewhere the peak, which only makes
    the in-process memory limit stricter)."""
    try:
        with open("/proc/self/statm") as fh:
            return int(fh.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")
    except OSError:
        return _rss_peak()


def _rss_peak() -> int:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * (1 if sys.platform == "darwin" else 1024)


def run_cli_in_process(args: list[str], out_dir: Path, cwd: Path = ROOT) -> Run:
    """The same command as ``run_cli``, through ``thscp_kg.cli.main`` in this process (no interpreter
    start-up or imports per case); its streams captured, its CPU time and added peak memory measured."""
    from thscp_kg.cli import main

    out, err = io.StringIO(), io.StringIO()
    before_dir, before_rss = os.getcwd(), _rss_now()
    start, cpu_start = time.perf_counter(), time.process_time()
    os.chdir(cwd)
    try:
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            code = main(args)
    finally:
        os.chdir(before_dir)
    wall, cpu = time.perf_counter() - start, time.process_time() - cpu_start
    return Run(code, out.getvalue(), err.getvalue(), wall, cpu, max(0, _rss_peak() - before_rss), out_dir)


def _generate(name: str, folder: Path) -> str:
    """Write a generated case into ``folder``; return the path to pass on the command line."""
    path = folder / name
    header = "# Bad input, generated by tests/test_bad_inputs.py.\nschema_version: 1\nas_of: 2025-12-01\n"
    if name == "huge-50mb.yaml":
        body = VALID.read_bytes()
        size = 50 * 1024 * 1024
        padding = b"# padding\n" * ((size - len(body)) // 10)
        path.write_bytes(body + padding + b"#" * (size - len(body) - len(padding)))
        assert path.stat().st_size == size
    elif name == "too-many-values.yaml":
        path.write_text(header + "numbers: [" + "1, " * 250_000 + "]\n")
    elif name == "nesting-10000-deep.yaml":
        path.write_text(header + "notes: " + "[" * 10_000 + "]" * 10_000 + "\n")
    elif name == "a-folder.yaml":
        path.mkdir()
    elif name == "missing.yaml":
        pass
    elif name == "/dev/zero":
        return name
    else:
        raise AssertionError(f"no generator for {name}")
    return str(path)


def _available(name: str) -> bool:
    return not name.startswith("/dev/") or os.path.exists(name)


@pytest.fixture(scope="module")
def runs(tmp_path_factory) -> dict[str, Run]:
    """Every case, run once through the CLI: the committed corpus in this process, the generated
    cases as subprocesses, a few at a time, while the corpus runs."""
    work = tmp_path_factory.mktemp("bad_inputs")
    inputs = work / "generated"
    inputs.mkdir()
    generated = {name: (_generate(name, inputs), work / f"gen-{i}")
                 for i, name in enumerate(GENERATED) if _available(name)}
    with ThreadPoolExecutor(max_workers=max(2, os.cpu_count() or 2)) as pool:
        futures = {name: pool.submit(run_cli, ["check", arg, "--output-dir", str(out)], out)
                   for name, (arg, out) in generated.items()}
        found = {}
        for i, name in enumerate([*CASES, "valid.yaml"]):
            out = work / f"out-{i}"
            found[name] = run_cli_in_process(["check", f"tests/bad_inputs/{name}", "--output-dir", str(out)], out)
        return found | {name: f.result() for name, f in futures.items()}


def _assert_refused(run: Run) -> str:
    assert run.code == 2, (run.code, run.stdout[-2000:], run.stderr[-2000:])
    lines = run.stderr.splitlines()
    assert len(lines) == 1, run.stderr
    assert "Traceback" not in run.stderr and "internal error" not in run.stderr
    assert " Fix: " in lines[0]
    assert not run.out_dir.exists() or not any(run.out_dir.iterdir()), "nothing may be written for bad input"
    assert run.cpu < MAX_CPU_SECONDS, f"{run.cpu:.2f}s CPU"
    assert run.wall < MAX_WALL_SECONDS, f"{run.wall:.2f}s wall"
    assert run.rss < MAX_RSS_BYTES, f"{run.rss / 2**20:.0f} MB"
    return lines[0]


def test_corpus_is_complete_and_large_enough():
    files = {p.relative_to(BAD).as_posix() for p in BAD.rglob("*") if p.is_file()}
    files -= {"expected.yaml", "valid.yaml", ".gitattributes"}
    files -= {f for f in files if "/" in f and f.rsplit("/", 1)[1] in COMPANIONS}  # read beside a case's data file
    assert files == set(CASES), "every corpus file needs an expected message, and every message a file"
    assert len(CASES) + len(GENERATED) >= 40


def test_valid_base_file_passes(runs):
    """Each corpus file is valid.yaml with one thing broken, so each fails for its own reason."""
    run = runs["valid.yaml"]
    assert run.code in (0, 1), run.stderr
    assert "error" not in run.stderr
    assert (run.out_dir / "gap-report.json").exists()


@pytest.mark.parametrize("name", sorted(CASES))
def test_bad_input_gives_its_exact_error(runs, name):
    assert _assert_refused(runs[name]) == CASES[name]


@pytest.mark.parametrize("name", list(GENERATED))
def test_generated_bad_input_gives_its_error(runs, name):
    if name not in runs:
        pytest.skip(f"{name} does not exist on this system")
    line = _assert_refused(runs[name])
    assert re.fullmatch(GENERATED[name], line), line


def test_worst_time_and_memory(runs):
    """The numbers README's Reliability table quotes (run with -s to see them)."""
    bad = {name: run for name, run in runs.items() if name != "valid.yaml"}
    cpu = max(bad.items(), key=lambda item: item[1].cpu)
    wall = max(bad.items(), key=lambda item: item[1].wall)
    rss = max(bad.items(), key=lambda item: item[1].rss)
    for name, run in sorted(bad.items()):
        print(f"\n  {name}: CPU {run.cpu:.2f}s, peak memory {run.rss / 2**20:.0f} MB", end="")
    print(f"\n{len(bad)} bad inputs: worst CPU {cpu[1].cpu:.2f}s ({cpu[0]}), worst wall {wall[1].wall:.2f}s "
          f"({wall[0]}, {os.cpu_count()} CPUs shared), peak memory {rss[1].rss / 2**20:.0f} MB ({rss[0]})")
    assert cpu[1].cpu < MAX_CPU_SECONDS and rss[1].rss < MAX_RSS_BYTES


def test_bad_input_writes_nothing_to_the_default_folder(tmp_path):
    """Without --output-dir, reports go under ./reports: a bad file must not even create it."""
    bad = tmp_path / "2024-25.yaml"
    bad.write_bytes((BAD / "ref-signoff-post.yaml").read_bytes())
    run = run_cli(["check", str(bad)], tmp_path / "unused", cwd=tmp_path)
    assert run.code == 2
    assert sorted(p.name for p in tmp_path.iterdir()) == ["2024-25.yaml", "unused.stderr", "unused.stdout", "unused.usage"]


# -- HTML, script and Turtle syntax in names: accepted, and never live in any output ------------------

HOSTILE_NAME = '<script>alert("pwned")</script> & <b>Board</b> """ . <urn:x> a <urn:y> ; \\ end'
HOSTILE_TITLE = "<img src=x onerror=alert(1)> Yearly | report `x`"


@pytest.fixture(scope="module")
def hostile_file(tmp_path_factory) -> Path:
    text = VALID.read_text(encoding="utf-8")
    text = text.replace("  name: Fixture Safeguarding Children Partnership", f"  name: {json.dumps(HOSTILE_NAME)}")
    text = text.replace("    title: Yearly report 2024-25", f"    title: {json.dumps(HOSTILE_TITLE)}")
    path = tmp_path_factory.mktemp("hostile") / "names.yaml"
    path.write_text(text, encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def hostile_reports(hostile_file) -> Path:
    out = hostile_file.parent / "out"
    run = run_cli_in_process(["check", str(hostile_file), "--output-dir", str(out)], out)
    assert run.code in (0, 1), run.stderr  # HTML in a name is not an input error
    return out


def test_names_are_json_encoded_in_the_json_report(hostile_reports):
    report = json.loads((hostile_reports / "gap-report.json").read_text(encoding="utf-8"))
    assert report["partnership_name"] == HOSTILE_NAME
    labels = {f.get("focus_label") for f in report["findings"]}
    assert any(HOSTILE_TITLE in (label or "") for label in labels), "the title should reach a finding"


def test_names_are_escaped_in_the_html_report(hostile_reports):
    html = (hostile_reports / "gap-report.html").read_text(encoding="utf-8")
    assert "<script>alert" not in html and "<img src=x" not in html
    assert "&lt;script&gt;alert" in html and "&lt;img src=x onerror=alert(1)&gt;" in html


def test_names_survive_the_xml_and_sarif_reports(hostile_reports):
    junit = ET.parse(hostile_reports / "gap-report.junit.xml")  # raises if the escaping broke the XML
    assert any(HOSTILE_TITLE in (el.text or "") + "".join(el.attrib.values()) for el in junit.iter())
    sarif = (hostile_reports / "gap-report.sarif").read_text(encoding="utf-8")
    assert HOSTILE_TITLE in json.dumps(json.loads(sarif), ensure_ascii=False)


def test_names_are_escaped_in_the_markdown_report(hostile_reports):
    md = (hostile_reports / "gap-report.md").read_text(encoding="utf-8")
    assert "<script>" not in md and "<img src=x" not in md and "<b>" not in md
    assert "&lt;script&gt;" in md


def test_turtle_from_build_reparses_to_the_same_literal(hostile_file):
    import rdflib
    from rdflib.namespace import RDFS

    ttl = hostile_file.parent / "graph.ttl"
    run = run_cli_in_process(["build", str(hostile_file), "-o", str(ttl)], hostile_file.parent / "build")
    assert run.code == 0, run.stderr
    graph = rdflib.Graph().parse(ttl, format="turtle")
    labels = {str(o) for o in graph.objects(None, RDFS.label)}
    assert HOSTILE_NAME in labels and HOSTILE_TITLE in labels
    assert not any(str(s).startswith(("urn:x", "urn:y")) for s in graph.subjects())


# -- output names ------------------------------------------------------------------------------------

@pytest.mark.parametrize("name", ["../gap-report.md", "..", "/etc/passwd", "a/b.md", "", ".hidden",
                                  "gap\x00report", "reports\\..\\x", "~root"])
def test_report_names_cannot_escape_the_output_folder(tmp_path, name):
    from thscp_kg.errors import ConfigError
    from thscp_kg.output import safe_child

    with pytest.raises(ConfigError):
        safe_child(tmp_path, name)


def test_ordinary_report_names_are_accepted(tmp_path):
    from thscp_kg.output import safe_child

    assert safe_child(tmp_path, "gap-report.junit.xml") == tmp_path / "gap-report.junit.xml"


# -- writing reports: atomic, all-or-nothing per file, byte-identical ---------------------------------

def test_a_crash_between_two_renames_leaves_whole_files_and_no_temporary_ones(tmp_path, monkeypatch):
    from thscp_kg import output
    from thscp_kg.errors import ConfigError

    first, second = tmp_path / "gap-report.json", tmp_path / "gap-report.md"
    first.write_text("old json\n")
    second.write_text("old md\n")
    real_replace, calls = os.replace, []

    def replace_then_crash(src, dst):
        calls.append(dst)
        if len(calls) == 2:
            raise OSError(28, "No space left on device")
        return real_replace(src, dst)

    monkeypatch.setattr(os, "replace", replace_then_crash)
    with pytest.raises(ConfigError, match="No space left on device"):
        output.write_all({first: "new json\n" * 1000, second: "new md\n" * 1000})
    assert sorted(p.name for p in tmp_path.iterdir()) == ["gap-report.json", "gap-report.md"]
    assert first.read_text() == "new json\n" * 1000  # renamed before the crash: complete and new
    assert second.read_text() == "old md\n"  # not reached: complete and old


def test_a_crash_while_writing_changes_nothing(tmp_path, monkeypatch):
    from thscp_kg import output
    from thscp_kg.errors import ConfigError

    target = tmp_path / "gap-report.md"
    target.write_text("old md\n")

    def fsync_fails(fd):
        raise OSError(5, "Input/output error")

    monkeypatch.setattr(os, "fsync", fsync_fails)
    with pytest.raises(ConfigError, match="Input/output error"):
        output.write_all({tmp_path / "gap-report.json": "{}\n", target: "new md\n"})
    assert sorted(p.name for p in tmp_path.iterdir()) == ["gap-report.md"]
    assert target.read_text() == "old md\n"


def test_a_failed_write_in_a_real_check_is_one_clear_error(tmp_path, monkeypatch, capsys):
    from thscp_kg.cli import main

    real_replace, calls = os.replace, []

    def replace_then_crash(src, dst):
        calls.append(dst)
        if len(calls) == 2:
            raise OSError(28, "No space left on device")
        return real_replace(src, dst)

    monkeypatch.setattr(os, "replace", replace_then_crash)
    out = tmp_path / "out"
    assert main(["check", str(VALID), "--output-dir", str(out), "-q", "--no-baseline"]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and "No space left on device" in err[0] and " Fix: " in err[0], err
    assert not [p for p in out.iterdir() if p.name.startswith(".") or p.suffix == ".tmp"]
    written = sorted(out.iterdir())
    assert len(written) == 1 and written[0].stat().st_size > 0  # the one renamed file is whole


def test_two_runs_write_identical_bytes(tmp_path):
    outs = [tmp_path / "one", tmp_path / "two"]
    for out in outs:
        run = run_cli(["check", "tests/bad_inputs/valid.yaml", "--output-dir", str(out)], out.with_suffix(".run"))
        assert run.code in (0, 1), run.stderr
    names = sorted(p.name for p in outs[0].iterdir())
    assert {"gap-report.md", "gap-report.json"} <= set(names)
    assert names == sorted(p.name for p in outs[1].iterdir())
    for name in names:
        assert (outs[0] / name).read_bytes() == (outs[1] / name).read_bytes(), name
