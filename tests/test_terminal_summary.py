"""The terminal summary in a narrow window: wrapped to the terminal's width with a hanging indent when
standard output is a terminal; each line whole for files, pipes and CI logs (the same bytes anywhere).

Marlow Vale (one combined report for two years, a long partnership name) is the case: unwrapped,
most of its summary's first lines are over 80 characters."""
from __future__ import annotations

import fcntl
import os
import pty
import struct
import subprocess
import sys
import termios

import pytest

from conftest import ROOT
from thscp_kg.report.text import wrap

MARLOW_VALE = "tests/partnerships/marlow-vale/2023-24.yaml"


def _in_a_terminal(args: list[str], columns: int) -> tuple[int, list[str]]:
    """Run the CLI with stdout and stderr on a pseudo-terminal ``columns`` wide; its exit code and lines."""
    main, child = pty.openpty()
    fcntl.ioctl(child, termios.TIOCSWINSZ, struct.pack("HHHH", 24, columns, 0, 0))
    env = {k: v for k, v in os.environ.items() if k not in ("COLUMNS", "LINES")}  # the terminal's own size
    env["PYTHONPATH"] = str(ROOT)
    proc = subprocess.Popen([sys.executable, "-m", "thscp_kg", *args], cwd=ROOT, env=env,
                            stdout=child, stderr=child, stdin=subprocess.DEVNULL)
    os.close(child)
    out = bytearray()
    while True:
        try:
            chunk = os.read(main, 65536)
        except OSError:  # the child closed the terminal
            break
        if not chunk:
            break
        out += chunk
    os.close(main)
    return proc.wait(timeout=120), out.decode("utf-8").replace("\r\n", "\n").splitlines()


@pytest.mark.parametrize("columns", [80, 60])
def test_the_summary_fits_a_narrow_terminal(tmp_path, columns):
    code, lines = _in_a_terminal(["check", MARLOW_VALE, "--format", "text"], columns)
    assert code == 1, "\n".join(lines[-5:])
    too_long = [line for line in lines if len(line) > columns]
    # Only an unbreakable word (a path or an IRI) may still run past the edge.
    assert all(" " not in line.strip() for line in too_long), too_long
    assert lines[0].startswith("Marlow Vale Safeguarding Children Partnership")
    assert any(line.startswith("Decision: NOT READY.") for line in lines)
    # A wrapped finding heading continues under its title, not under the status column.
    heading = next(i for i, line in enumerate(lines) if line.startswith("NOT EVIDENCED  duty     CA04-16G-03"))
    assert lines[heading + 1].startswith(" " * 24) and not lines[heading + 1].startswith(" " * 25)
    assert any(line.startswith("Exit 1: 6 finding(s)") for line in lines[-4:]), lines[-4:]


def test_a_pipe_gets_each_line_whole(tmp_path):
    """Not a terminal (CI logs, `| grep`): no line is wrapped, so a grep for a finding's line still finds it."""
    proc = subprocess.run([sys.executable, "-m", "thscp_kg", "check", MARLOW_VALE, "--format", "text"],
                          cwd=ROOT, env={**os.environ, "PYTHONPATH": str(ROOT), "COLUMNS": "60"},
                          capture_output=True, text=True, timeout=120)
    assert proc.returncode == 1, proc.stderr
    first = proc.stdout.splitlines()[0]
    assert first.startswith("Marlow Vale Safeguarding Children Partnership — 2023-24 (as of ") and len(first) > 80
    assert any(len(line) > 150 for line in proc.stdout.splitlines())


def test_wrap_keeps_every_word_in_order_and_hangs_the_indent():
    line = ("1. [data] Record the published arrangements with evidence. — Marlow Vale Safeguarding Children "
            "Partnership 2023-24; owner: The 3 lead safeguarding partners jointly; due: before the next yearly report")
    parts = wrap(line, 40)
    assert len(parts) > 2 and all(len(p) <= 40 for p in parts)
    assert all(p.startswith("   ") and not p.startswith("    ") for p in parts[1:]), parts
    assert " ".join(p.strip() for p in parts).split() == line.split()


def test_wrap_leaves_short_lines_and_long_words_whole():
    assert wrap("short", 40) == ["short"]
    assert wrap("x" * 100, 40) == ["x" * 100]
    assert wrap("see " + "y" * 60, 40) == ["see", "y" * 60]
    assert wrap("a line that is long enough to need wrapping somewhere", None) == [
        "a line that is long enough to need wrapping somewhere"]


def test_wrap_continues_a_detail_line_at_its_own_indent():
    parts = wrap(" " * 24 + "the previous yearly report's publication date is not recorded, so the interval fails", 60)
    assert len(parts) == 3 and all(len(p) <= 60 and p.startswith(" " * 24) and p[24] != " " for p in parts)


def test_the_trend_command_wraps_to_its_terminal(tmp_path):
    """The command hands the terminal's width to the text (the layouts: tests/test_trend.py); trend.txt
    keeps the tables whole."""
    out = tmp_path / "trend"
    code, lines = _in_a_terminal(["trend", "data/tower-hamlets", "--output-dir", str(out), "--format", "txt"], 80)
    assert code == 0, "\n".join(lines[-5:])
    # only the "Wrote PATH" lines may run past the edge, with this test's long temporary path
    assert [line for line in lines if len(line) > 80 and not line.startswith("Wrote ")] == []
    assert "Requirements whose outcome changed:" in lines
    whole = (out / "trend.txt").read_text(encoding="utf-8").splitlines()
    assert any(line.startswith(" " * 16 + "2018-19         2019-20") for line in whole)
    assert any(len(line) > 150 and line.startswith("2018-19") for line in whole)


def test_rules_and_diff_fit_a_narrow_terminal():
    """`rules` wraps a title under the title column, `diff` a finding's message under the message."""
    code, lines = _in_a_terminal(["rules"], 80)
    assert code == 0 and [line for line in lines if len(line) > 80] == []
    at = next(i for i, line in enumerate(lines) if line.startswith("CA04-16C-01   MUST     violation"))
    assert lines[at + 1].startswith(" " * 46) and lines[at + 1][46] != " "
    code, lines = _in_a_terminal(["diff", "data/tower-hamlets/2022-23.yaml", "data/tower-hamlets/2023-24.yaml"], 80)
    assert code == 0 and [line for line in lines if len(line) > 80 and " " in line.strip()] == []
    at = lines.index("NEW        VIOLATION CA04-16E-02  document/arrangements-2023-24")
    assert lines[at + 1].startswith(" " * 21 + "the document") and lines[at + 2].startswith(" " * 21 + "needs")


def test_explain_fits_a_narrow_terminal():
    """Paragraphs filled to the terminal, a source's long line wrapped under its dash; a web address whole."""
    code, lines = _in_a_terminal(["explain", "CA04-16E-03"], 60)
    assert code == 0 and [line for line in lines if len(line) > 60 and " " in line.strip()] == []
    at = lines.index("  - Children Act 2004 s16E(3) [V]")
    assert lines[at + 1] == "    <http://www.legislation.gov.uk/id/ukpga/2004/31/section/16E>"


def test_rules_and_diff_in_a_pipe_keep_each_line_whole():
    rules = subprocess.run([sys.executable, "-m", "thscp_kg", "rules"], cwd=ROOT, capture_output=True, text=True,
                           env={**os.environ, "PYTHONPATH": str(ROOT), "COLUMNS": "60"}, timeout=120)
    assert rules.returncode == 0 and any(len(line) > 90 for line in rules.stdout.splitlines())
    assert not any(line.startswith(" " * 46) for line in rules.stdout.splitlines())
