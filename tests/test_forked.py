"""`check` checks the baseline year in a forked child (commands/forked.py, issue 16): the same reports,
streams and exit code as in process; a failing child falls back to the in-process check; Ctrl-C and
SIGTERM leave no process behind. Each case is a fresh process (a fork is only made by the command
line's own run, never by an in-process call such as the other tests)."""
from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from conftest import ROOT

THSCP = "data/tower-hamlets/2023-24.yaml"

# Runs the command line as `python -m thscp_kg` does, after a few changes named by $FORK_TEST:
# "mark" notes every start() and whether it forked; "fail" makes the baseline check, the report
# Turtle and the governance files raise in the child only; "hang" makes the baseline check hang in the child (after touching
# $FORK_TEST_STARTED); "slow" makes it wait a second there, then touch $FORK_TEST_STARTED.done.
DRIVER = r"""
import os, sys, time
from pathlib import Path
from thscp_kg.commands import check, forked
parent, what, mark = os.getpid(), os.environ["FORK_TEST"], os.environ.get("FORK_TEST_MARK")
real_start, real_check, real_turtle = forked.start, check._baseline_check, check._report_turtle
real_governance = check._governance_files
def start(fn, *args):
    job = real_start(fn, *args)
    if mark:
        with open(mark, "a") as f:
            f.write(f"{fn.__name__} {'forked' if job is not None else 'in process'}\n")
    return job
def baseline(*args):
    if os.getpid() != parent and what == "fail":
        raise RuntimeError("the child fails")
    if os.getpid() != parent and what == "hang":
        Path(os.environ["FORK_TEST_STARTED"]).touch()
        time.sleep(60)
    if os.getpid() != parent and what == "slow":
        Path(os.environ["FORK_TEST_STARTED"]).touch()
        time.sleep(1)
        Path(os.environ["FORK_TEST_STARTED"] + ".done").touch()
    return real_check(*args)
def turtle(*args):
    if os.getpid() != parent and what == "fail":
        raise RuntimeError("the child fails")
    return real_turtle(*args)
def governance(*args):
    if os.getpid() != parent and what == "fail":
        raise RuntimeError("the child fails")
    return real_governance(*args)
forked.start, check._baseline_check, check._report_turtle = start, baseline, turtle
check._governance_files = governance
from thscp_kg.cli import main
sys.argv[0] = "thscp-kg"
raise SystemExit(main())
"""


def _env(**extra: str) -> dict:
    env = {k: v for k, v in os.environ.items() if k != "THSCP_KG_PARALLEL"}
    # "on": fork whatever the machine's load (by default a busy machine gets no fork)
    return {**env, "PYTHONPATH": str(ROOT), "FORK_TEST": "mark", "THSCP_KG_PARALLEL": "on", **extra}


def _run(args: list[str], out: Path, **env: str):
    """Exit code, standard output and error (the folder replaced by OUT) and every file written."""
    r = subprocess.run([sys.executable, "-c", DRIVER, "check", *args, "--output-dir", str(out)], cwd=ROOT,
                       capture_output=True, text=True, env=_env(**env), timeout=300)
    files = {p.relative_to(out).as_posix(): p.read_bytes() for p in sorted(out.rglob("*")) if p.is_file()}
    return r.returncode, r.stdout.replace(str(out), "OUT"), r.stderr.replace(str(out), "OUT"), files


@pytest.mark.parametrize("formats", ["json", "md,json,html,sarif,junit,txt,ttl"])
def test_the_forked_baseline_gives_what_the_in_process_check_gives(formats, tmp_path):
    """With ttl, this year's findings come from the shacl engine and the ttl from pyshacl-turbo in a child;
    in process, pyshacl-turbo gives both, as before. With html or md, the governance diagram and measures
    come from a child too."""
    mark = tmp_path / "mark"
    forked_run = _run([THSCP, "--format", formats], tmp_path / "a", FORK_TEST_MARK=str(mark))
    # the comparison is with real forks
    assert mark.read_text() == "_baseline_year forked\n" + ("turtle forked\n" if "ttl" in formats else "") \
        + ("governance forked\n" if "html" in formats else "")
    sequential = _run([THSCP, "--format", formats], tmp_path / "b", THSCP_KG_PARALLEL="off")
    assert forked_run == sequential
    code, _, _, files = forked_run
    assert code == 1 and len(files) >= 1
    assert b"2022-23" in files["gap-report.json"]     # the diff with the baseline year is in the report


def test_a_failing_child_is_replaced_by_the_in_process_check(tmp_path):
    """The children raise; the parent checks the baseline, writes the ttl and draws the governance diagram
    itself: the same reports."""
    failing = _run([THSCP, "--format", "json,txt,ttl,html"], tmp_path / "a", FORK_TEST="fail")
    sequential = _run([THSCP, "--format", "json,txt,ttl,html"], tmp_path / "b", THSCP_KG_PARALLEL="off")
    assert failing == sequential and failing[0] == 1
    assert b"sh:ValidationReport" in failing[3]["validation-report.ttl"]
    assert b"<svg" in failing[3]["governance.svg"] and b"<svg" in failing[3]["gap-report.html"]


def test_the_graph_a_child_validates_is_the_graph_check_file_returns():
    """The ttl's report graph is made from the data graph as it is when validation starts (on_graph); when
    the child fails it is made in process afterwards, from check_file's graph: the two must not differ."""
    from thscp_kg.pipeline import check_file

    seen = []
    run = check_file(ROOT / THSCP, engine="shacl", on_graph=lambda graph, validate: seen.append(set(graph)))
    assert len(seen) == 1 and len(seen[0]) > 2000
    assert set(run.graph) == seen[0]


def test_a_previous_year_that_cannot_be_read_gives_the_same_note(tmp_path):
    folder = tmp_path / "data" / "tower-hamlets"
    shutil.copytree(ROOT / "data" / "tower-hamlets", folder)
    (folder / "2022-23.yaml").write_text("partnership: [unclosed\n", encoding="utf-8")
    args = [str(folder / "2023-24.yaml"), "--format", "json"]
    mark = tmp_path / "mark"
    broken = _run(args, tmp_path / "a", FORK_TEST_MARK=str(mark))
    # read in the child (decision 0033): it fails there, and the in-process path reads it and gives the note
    assert mark.read_text() == "_baseline_year forked\n"
    sequential = _run(args, tmp_path / "b", THSCP_KG_PARALLEL="off")
    assert broken == sequential
    assert "note: previous year" in broken[2] and broken[0] == 1


def _group_gone(pgid: int, within: float = 10.0) -> bool:
    end = time.monotonic() + within
    while time.monotonic() < end:
        try:
            os.killpg(pgid, 0)
        except ProcessLookupError:
            return True
        time.sleep(0.05)
    return False


def _started_child(what: str, formats: list[str], tmp_path: Path, **popen) -> subprocess.Popen:
    """`check` of THSCP (in its own process group) whose baseline child is made to ``what`` ("hang",
    "slow"), once that child has started: $FORK_TEST_STARTED is tmp_path/started."""
    started = tmp_path / "started"
    proc = subprocess.Popen([sys.executable, "-c", DRIVER, "check", THSCP, *formats, "--output-dir",
                             str(tmp_path / "out")], cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            text=True, env=_env(FORK_TEST=what, FORK_TEST_STARTED=str(started)),
                            start_new_session=True, **popen)
    end = time.monotonic() + 120
    while not started.exists():
        if proc.poll() is not None or time.monotonic() >= end:
            if proc.poll() is None:
                os.killpg(proc.pid, signal.SIGKILL)
            pytest.fail(f"the baseline child never started: {proc.communicate()}")
        time.sleep(0.05)
    return proc


def _after(proc: subprocess.Popen, send, timeout: float) -> str:
    """``send()`` a signal, then the command's standard error once it has ended (its group killed if not)."""
    try:
        send()
        return proc.communicate(timeout=timeout)[1]
    finally:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()


@pytest.mark.parametrize("formats", [["--format", "json"], []])
@pytest.mark.parametrize("how", ["ctrl-c", "sigterm"])
def test_an_interrupted_check_leaves_no_process(how, formats, tmp_path):
    """Ctrl-C reaches the whole process group; SIGTERM (a cancelled CI job) only the parent, which then
    stops its children (the baseline's; with the default formats, the ttl's too). Either way nothing is
    written and no process is left."""
    proc = _started_child("hang", formats, tmp_path)
    if how == "ctrl-c":
        err = _after(proc, lambda: os.killpg(proc.pid, signal.SIGINT), timeout=60)
    else:
        err = _after(proc, lambda: os.kill(proc.pid, signal.SIGTERM), timeout=60)
    assert (proc.returncode, err) == ((130, "thscp-kg: interrupted; nothing was written.\n") if how == "ctrl-c"
                                      else (143, "thscp-kg: terminated; no report was half-written.\n"))
    assert _group_gone(proc.pid)      # the child too: it would still be sleeping if it had been left
    assert not (tmp_path / "out").exists()


def test_a_command_that_ignores_ctrl_c_keeps_its_child(tmp_path):
    """Started with Ctrl-C ignored (nohup, `&` in a script), the command ignores it, and so does its child:
    the baseline is still checked in the child, and the run ends as it would have."""
    proc = _started_child("slow", ["--format", "json"], tmp_path,
                          preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_IGN))
    err = _after(proc, lambda: os.killpg(proc.pid, signal.SIGINT), timeout=120)
    assert (proc.returncode, err) == (1, "")
    assert (tmp_path / "started.done").exists(), "the child was stopped by the Ctrl-C its command ignores"
    assert (tmp_path / "out" / "gap-report.json").exists()


def test_an_in_process_call_never_forks(monkeypatch, tmp_path):
    """Only the command line's own run may fork; a caller in process (tests, other code) never does."""
    from thscp_kg import cli
    from thscp_kg.commands import forked

    monkeypatch.setattr(os, "fork", lambda: pytest.fail("forked"))
    assert not forked.can_fork()
    assert cli.main(["check", str(ROOT / THSCP), "-q", "--format", "json", "--output-dir", str(tmp_path)]) == 1


def test_a_busy_machine_gets_no_fork_unless_asked(monkeypatch):
    from thscp_kg.commands import forked

    monkeypatch.setattr(forked, "_enabled", True)
    monkeypatch.setattr(os, "sched_getaffinity", lambda pid: {0, 1})
    monkeypatch.delenv(forked.ENV_VAR, raising=False)
    monkeypatch.setattr(os, "listdir", lambda path: ["1"])   # one thread (a pytest-xdist worker has more)
    for load, expected in ((0.4, True), (1.4, True), (1.6, False), (7.0, False)):
        monkeypatch.setattr(os, "getloadavg", lambda: (load, 0.0, 0.0))
        assert forked.can_fork() is expected, load
    monkeypatch.setenv(forked.ENV_VAR, "on")
    assert forked.can_fork()
    monkeypatch.setenv(forked.ENV_VAR, "off")
    monkeypatch.setattr(os, "getloadavg", lambda: (0.0, 0.0, 0.0))
    assert not forked.can_fork()
