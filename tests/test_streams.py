"""Issue 14 #1: the exit status survives a closed or full stdout/stderr.

CI gates on the exit code; `thscp-kg check FILE | head -1` under pipefail once exited 0 with
violations (BrokenPipeError was treated as success) and a bad input with an unwritable stderr
exited 1. These tests use real processes and real pipes.
"""
from __future__ import annotations

import os
import shlex
import subprocess
import sys

from conftest import ROOT

FAILING = "tests/bad_inputs/valid.yaml"  # valid, with violations: exit 1
BAD = "tests/bad_inputs/id-space.yaml"  # bad input: exit 2
ENV = {**os.environ, "PYTHONPATH": str(ROOT)}


def _cli(*args: str) -> list[str]:
    return [sys.executable, "-m", "thscp_kg", *args]


def _run(args: list[str], **streams) -> int:
    return subprocess.run(args, cwd=ROOT, env=ENV, timeout=120, **streams).returncode


def test_the_failing_file_fails_with_an_ordinary_stdout(tmp_path):
    """The reference: without any stream trouble the file exits 1 (so the cases below are meaningful)."""
    assert _run(_cli("check", FAILING, "--output-dir", str(tmp_path)), stdout=subprocess.DEVNULL) == 1


def test_a_pipe_closed_by_head_keeps_the_failing_status(tmp_path):
    command = " ".join(shlex.quote(a) for a in _cli("check", FAILING, "--output-dir", str(tmp_path)))
    proc = subprocess.run(["bash", "-c", f"set -o pipefail; {command} | head -1"], cwd=ROOT, env=ENV,
                          capture_output=True, text=True, timeout=120)
    assert proc.stdout.count("\n") == 1
    assert proc.returncode == 1, proc.stderr


def test_a_pipe_closed_before_the_output_keeps_the_failing_status(tmp_path):
    """`| true` has exited before the checker writes a byte, so the writes fail for certain."""
    command = " ".join(shlex.quote(a) for a in _cli("check", FAILING, "--output-dir", str(tmp_path)))
    proc = subprocess.run(["bash", "-c", f"set -o pipefail; {command} | true"], cwd=ROOT, env=ENV,
                          capture_output=True, text=True, timeout=120)
    assert proc.returncode == 1, proc.stderr


def test_a_pipe_nobody_reads_keeps_the_failing_status(tmp_path):
    """The reader is gone before the first write: every write to stdout fails with EPIPE."""
    read_end, write_end = os.pipe()
    os.close(read_end)
    try:
        code = _run(_cli("check", FAILING, "--output-dir", str(tmp_path)), stdout=write_end,
                    stderr=subprocess.PIPE)
    finally:
        os.close(write_end)
    assert code == 1
    assert (tmp_path / "gap-report.json").exists()  # the reports are still written


def test_bad_input_is_exit_2_with_stderr_full(tmp_path):
    with open("/dev/full", "w") as full:
        assert _run(_cli("check", BAD, "--output-dir", str(tmp_path)), stdout=subprocess.DEVNULL, stderr=full) == 2


def test_bad_input_is_exit_2_with_stderr_unwritable(tmp_path):
    """What `2>&-` in a shell script often leaves behind: a descriptor open for reading only."""
    with open(os.devnull, "r") as read_only:
        assert _run(_cli("check", BAD, "--output-dir", str(tmp_path)), stdout=subprocess.DEVNULL,
                    stderr=read_only) == 2


def test_bad_input_is_exit_2_with_stderr_closed(tmp_path):
    command = " ".join(shlex.quote(a) for a in _cli("check", BAD, "--output-dir", str(tmp_path)))
    assert _run(["bash", "-c", f"{command} 2>&-"], stdout=subprocess.DEVNULL) == 2


def test_failing_check_is_exit_1_with_both_streams_closed(tmp_path):
    command = " ".join(shlex.quote(a) for a in _cli("check", FAILING, "--output-dir", str(tmp_path)))
    assert _run(["bash", "-c", f"{command} >&- 2>&-"]) == 1


def test_a_terminal_that_cannot_show_unicode_does_not_crash(tmp_path):
    """A non-UTF-8 stdout (LANG=C on an old system, a Windows code page): characters become \\uXXXX."""
    env = {**ENV, "PYTHONIOENCODING": "ascii"}
    proc = subprocess.run(_cli("check", FAILING, "--output-dir", str(tmp_path)), cwd=ROOT, env=env,
                          capture_output=True, timeout=120)
    assert proc.returncode == 1, proc.stderr.decode("ascii", "replace")
    assert b"internal error" not in proc.stderr
    assert b"\\u2014" in proc.stdout  # the summary's em dash, shown as a code
