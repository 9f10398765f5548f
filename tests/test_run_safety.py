"""Issue 14 #12, #13, #14: options that would turn a gate green or write somewhere unexpected,
several data files written all or nothing, killed runs, and file modes."""
from __future__ import annotations

import os
import shutil
import stat
import subprocess
import sys
import time

import pytest

from conftest import ROOT
from thscp_kg.cli import main

VALID = ROOT / "tests" / "bad_inputs" / "valid.yaml"
BAD = ROOT / "tests" / "bad_inputs" / "id-space.yaml"
ENV = {**os.environ, "PYTHONPATH": str(ROOT)}


def _one_error(capsys) -> str:
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and "Traceback" not in err[0], err
    return err[0]


def test_an_unknown_requirement_id_is_exit_2(tmp_path, capsys):
    """Before: exit 0 with "0 met of 0 checked", so a typo turned the gate green."""
    assert main(["check", str(VALID), "--requirement", "WT23-LSP-3", "--output-dir", str(tmp_path / "o")]) == 2
    line = _one_error(capsys)
    assert "--requirement WT23-LSP-3: no requirement has this id." in line and "did you mean WT23-LSP-03?" in line
    assert not (tmp_path / "o").exists()


def test_a_known_requirement_id_still_works(tmp_path, capsys):
    code = main(["check", str(VALID), "--requirement", "WT23-LSP-03", "--output-dir", str(tmp_path / "o"), "-q"])
    assert code in (0, 1) and (tmp_path / "o" / "gap-report.json").exists()


def test_an_empty_output_dir_is_refused(tmp_path, capsys, monkeypatch):
    monkeypatch.chdir(tmp_path)
    assert main(["check", str(VALID), "--output-dir", ""]) == 2
    assert "the folder name is empty" in _one_error(capsys)
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize("date", ["9999-12-31", "1899-01-01"])
def test_as_of_on_the_command_line_is_bounded(tmp_path, capsys, date):
    assert main(["check", str(VALID), "--as-of", date, "--output-dir", str(tmp_path / "o")]) == 2
    assert "is outside 2000–2100" in _one_error(capsys)


def test_several_files_with_a_bad_later_one_write_nothing(tmp_path, capsys):
    """Before: the first file's reports were written, then the second file failed with exit 2."""
    first = tmp_path / "a" / "2024-25.yaml"
    first.parent.mkdir()
    shutil.copy(VALID, first)
    out = tmp_path / "out"
    assert main(["check", str(first), str(BAD), "--output-dir", str(out), "--no-baseline"]) == 2
    assert "id-space.yaml:92:" in _one_error(capsys)
    assert not out.exists()


def _main_under_umask(mask: int, args: list[str]) -> int:
    """``thscp-kg ARGS`` in this process with the process's umask set to ``mask`` for the call (it is read
    at each write, thscp_kg/output.py), then restored."""
    before = os.umask(mask)
    try:
        return main(args)
    finally:
        os.umask(before)


def test_reports_respect_the_umask(tmp_path, capsys):
    """Before: every report was 0600 (mkstemp's mode), whatever the umask."""
    for mask, mode in ((0o022, 0o644), (0o077, 0o600), (0o002, 0o664)):
        out = tmp_path / f"out-{mask:o}"
        code = _main_under_umask(mask, ["check", str(VALID), "--output-dir", str(out), "-q"])
        assert code in (0, 1), capsys.readouterr().err
        modes = {stat.S_IMODE(p.stat().st_mode) for p in out.iterdir()}
        assert modes == {mode}, (oct(mask), sorted(oct(m) for m in modes))


def test_build_output_respects_the_umask(tmp_path, capsys):
    target = tmp_path / "graph.ttl"
    assert _main_under_umask(0o022, ["build", str(VALID), "-o", str(target)]) == 0, capsys.readouterr().err
    assert stat.S_IMODE(target.stat().st_mode) == 0o644


def test_stale_temporaries_of_our_own_naming_are_removed(tmp_path):
    from thscp_kg.output import STALE_SECONDS, write_all

    old = tmp_path / ".gap-report.json.k3j_9x2a.tmp"  # what a killed run leaves
    fresh = tmp_path / ".gap-report.json.ab12cd34.tmp"  # another run writing right now
    other = tmp_path / ".gap-report.json.notours.tmp.bak"  # not our naming
    for path in (old, fresh, other):
        path.write_text("partial")
    long_ago = time.time() - STALE_SECONDS - 60
    os.utime(old, (long_ago, long_ago))
    os.utime(other, (long_ago, long_ago))
    write_all({tmp_path / "gap-report.json": "{}\n"})
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(["gap-report.json", fresh.name, other.name])


def test_sigterm_while_writing_leaves_no_temporary_file(tmp_path):
    """The run is terminated while a report is being written (inside fsync): exit 143, no .tmp left."""
    out = tmp_path / "out"
    script = ("import os, signal, sys\n"
              "import thscp_kg.output as output\n"
              "real = os.fsync\n"
              "def fsync(fd):\n"
              "    os.kill(os.getpid(), signal.SIGTERM)\n"
              "    real(fd)\n"
              "output.os.fsync = fsync\n"
              "from thscp_kg.cli import main\n"
              f"sys.exit(main(['check', {str(VALID)!r}, '--output-dir', {str(out)!r}, '-q']))\n")
    proc = subprocess.run([sys.executable, "-c", script], cwd=ROOT, env=ENV, capture_output=True, text=True,
                          timeout=120)
    assert proc.returncode == 143, (proc.returncode, proc.stderr)
    assert "terminated" in proc.stderr
    assert not [p.name for p in out.rglob("*") if p.name.endswith(".tmp")]
