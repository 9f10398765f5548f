"""Issue 14 #17: the pre-commit hook fails only on violations the COMMITTED copy of the same file did
not have (``git show HEAD:path``), not on those last year's file did not have; a brand-new year
file is compared with last year's beside it."""
from __future__ import annotations

import os
import shlex
import shutil
import subprocess
import sys

import pytest
import yaml
from conftest import ROOT, run_main

VALID = ROOT / "tests" / "bad_inputs" / "valid.yaml"  # 7 violations of its own
HOOKS = {h["id"]: h for h in yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text(encoding="utf-8"))}

pytestmark = pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")


def git(repo, *args):
    env = {**os.environ, "GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@example.org", "GIT_COMMITTER_NAME": "t",
           "GIT_COMMITTER_EMAIL": "t@example.org", "GIT_CONFIG_GLOBAL": os.devnull, "GIT_CONFIG_SYSTEM": os.devnull}
    return subprocess.run(["git", *args], cwd=repo, env=env, check=True, capture_output=True, text=True)


@pytest.fixture()
def repo(tmp_path):
    """A data repository whose committed 2024-25 file already has violations."""
    (tmp_path / "data" / "fixture").mkdir(parents=True)
    (tmp_path / "data" / "fixture" / "2024-25.yaml").write_text(VALID.read_text(encoding="utf-8"), encoding="utf-8")
    git(tmp_path, "init", "-q", "-b", "main")
    git(tmp_path, "add", ".")
    git(tmp_path, "commit", "-q", "-m", "2024-25")
    return tmp_path


def hook(repo, *files: str) -> subprocess.CompletedProcess:
    """The thscp-kg-check hook as pre-commit runs it: its entry, then the staged file names, in the repository
    (in this process, conftest.run_main; the last test here runs a real process)."""
    entry = shlex.split(HOOKS["thscp-kg-check"]["entry"])
    assert entry[0] == "thscp-kg"
    return run_main(*entry[1:], *files, cwd=repo)


def edit(repo, old: str, new: str, name: str = "2024-25.yaml") -> str:
    path = repo / "data" / "fixture" / name
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    git(repo, "add", str(path))
    return f"data/fixture/{name}"


def test_an_edit_to_a_file_with_old_violations_passes(repo):
    """Before: the hook compared with last year's file (none here), so all 7 old violations were 'new'."""
    staged = edit(repo, "name: Borough Police", "name: Borough Police Service")
    result = hook(repo, staged)
    assert result.returncode == 0, result.stdout[-1500:] + result.stderr


def test_a_new_violation_fails(repo):
    staged = edit(repo, "  - organisation: police\n", "")  # the police are no longer a safeguarding partner
    result = hook(repo, staged)
    assert result.returncode == 1, result.stdout[-1500:] + result.stderr
    assert "Exit 1: 1 new finding(s) at or above 'violation' (not in HEAD:data/fixture/2024-25.yaml)" in result.stdout


def _a_year_earlier(text: str) -> str:
    """valid.yaml moved back one year (dates and period ids), for a committed previous year."""
    import re

    text = re.sub(r"\b(20\d\d)-(\d\d)-(\d\d)\b", lambda m: f"{int(m[1]) - 1}-{m[2]}-{m[3]}", text)
    return re.sub(r"\b(20\d\d)-(\d\d)\b(?!-\d)", lambda m: f"{int(m[1]) - 1}-{int(m[2]) - 1:02d}", text)


def test_a_brand_new_year_file_is_compared_with_last_years(tmp_path):
    """Not in HEAD: the new 2024-25 file is compared with the committed 2023-24 file beside it."""
    folder = tmp_path / "data" / "fixture"
    folder.mkdir(parents=True)
    (folder / "2023-24.yaml").write_text(_a_year_earlier(VALID.read_text(encoding="utf-8")), encoding="utf-8")
    git(tmp_path, "init", "-q", "-b", "main")
    git(tmp_path, "add", ".")
    git(tmp_path, "commit", "-q", "-m", "2023-24")
    (folder / "2024-25.yaml").write_text(VALID.read_text(encoding="utf-8"), encoding="utf-8")
    git(tmp_path, "add", ".")
    result = hook(tmp_path, "data/fixture/2024-25.yaml")
    assert result.returncode == 1, result.stdout[-1500:] + result.stderr
    assert "new finding(s) at or above 'violation' (not in data/fixture/2023-24.yaml)" in result.stdout
    assert "Exit 1: 7 new" not in result.stdout  # compared: not every violation counts as new
    from thscp_kg.years.git_baseline import baseline_for

    with baseline_for(folder / "2024-25.yaml", "HEAD") as (path, label):
        assert path == folder / "2023-24.yaml" and label is None


def test_outside_a_git_repository_the_option_is_a_clear_error(tmp_path):
    (tmp_path / "2024-25.yaml").write_text(VALID.read_text(encoding="utf-8"), encoding="utf-8")
    result = subprocess.run([sys.executable, "-m", "thscp_kg", "check", "2024-25.yaml", "--baseline-git", "HEAD",
                             "--format", "text"], cwd=tmp_path, capture_output=True, text=True, timeout=300,
                            env={**os.environ, "PYTHONPATH": str(ROOT), "GIT_CEILING_DIRECTORIES": str(tmp_path)})
    assert result.returncode == 2 and "not in a git repository" in result.stderr, result.stderr
    assert len(result.stderr.strip().splitlines()) == 1
