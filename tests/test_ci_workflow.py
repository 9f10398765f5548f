"""Issue 14 #16: the GitHub workflow judges a pull request with the BASE branch's checker, shapes,
ontology, catalogue and profile, checks the years a changed waiver (assessment, sign-off, action)
file affects, flags such changes for review, and ships a CODEOWNERS example routing them."""
from __future__ import annotations

import os
import re
import shutil
import subprocess

import pytest
import yaml
from conftest import ROOT

WORKFLOW = ROOT / ".github" / "workflows" / "thscp-kg.yml"
CODEOWNERS = ROOT / ".github" / "CODEOWNERS.example"


@pytest.fixture(scope="module")
def steps() -> list[dict]:
    doc = yaml.safe_load(WORKFLOW.read_text(encoding="utf-8"))
    return doc["jobs"]["check"]["steps"]


def _step(steps, name_part: str) -> dict:
    found = [s for s in steps if name_part.lower() in s.get("name", "").lower()]
    assert len(found) == 1, [s.get("name") for s in steps]
    return found[0]


def test_the_checker_is_installed_from_a_separate_checkout_of_the_base_commit(steps):
    """Before: 'python -m pip install .' installed the pull request's own checker and rules."""
    checkout = _step(steps, "check out the checker from the base commit")["run"]
    match = re.search(r'git worktree add --detach "(\$RUNNER_TEMP/[\w-]+)" "\$\{?BASE', checkout)
    assert match, checkout
    base_dir = match.group(1)
    install = _step(steps, "install thscp-kg")["run"]
    assert re.search(r'pip install (--\S+ )*"' + re.escape(base_dir) + '"', install), install
    for step in steps:  # nothing installs or imports the pull request's own package
        run = step.get("run", "")
        assert not re.search(r"pip install[^\n]*(\s\.(\s|$)|-e\s)", run), step.get("name")
        assert "python -m thscp_kg" not in run and "./thscp-kg" not in run, step.get("name")
    # the base checkout comes before the install, and the install before the check
    names = [s.get("name", "").lower() for s in steps]
    order = [next(i for i, n in enumerate(names) if part in n) for part in
             ("check out the checker from the base commit", "install thscp-kg", "check (fail on new violations)")]
    assert order == sorted(order)


def test_the_checkout_keeps_no_credentials(steps):
    checkout = next(s for s in steps if str(s.get("uses", "")).startswith("actions/checkout"))
    assert checkout["with"]["persist-credentials"] is False


def test_rules_and_people_files_trigger_the_workflow():
    doc = yaml.safe_load(WORKFLOW.read_text(encoding="utf-8"))
    on = doc.get("on", doc.get(True))  # PyYAML reads the key 'on' as True
    paths = on["pull_request"]["paths"]
    for needed in ("data/**", "catalogue/**", "shapes/**", "ontology/**"):
        assert needed in paths, paths


def _find_changed(steps, tmp_path, changes: dict[str, str]) -> tuple[list[str], list[str]]:
    """The 'find changed' step's own script, run as GitHub runs it (bash -e -o pipefail) in a
    repository where a pull request makes ``changes``: (years to check, files for review)."""
    script = _step(steps, "find changed")["run"]
    env = {**os.environ, "GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@example.org", "GIT_COMMITTER_NAME": "t",
           "GIT_COMMITTER_EMAIL": "t@example.org", "GIT_CONFIG_GLOBAL": os.devnull, "GIT_CONFIG_SYSTEM": os.devnull}

    def git(*args):
        return subprocess.run(["git", *args], cwd=tmp_path, env=env, check=True, capture_output=True, text=True)

    for name in ("data/p/2022-23.yaml", "data/p/2023-24.yaml", "data/q/2023-24.yaml", "data/p/waivers.yaml",
                 "shapes/core.ttl", "catalogue/profiles/default.yaml"):
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text("x: 1\n")
    git("init", "-q", "-b", "main")
    git("add", ".")
    git("commit", "-q", "-m", "base")
    base = git("rev-parse", "HEAD").stdout.strip()
    for name, text in changes.items():
        (tmp_path / name).write_text(text)
    git("commit", "-q", "-am", "pull request")
    runner = tmp_path.parent / (tmp_path.name + "-runner")
    runner.mkdir()
    out = runner / "output"
    result = subprocess.run(["bash", "-e", "-o", "pipefail", "-c", script], cwd=tmp_path, capture_output=True,
                            text=True, timeout=60,
                            env={**env, "BASE": base, "RUNNER_TEMP": str(runner), "GITHUB_OUTPUT": str(out)})
    assert result.returncode == 0, result.stderr
    _find_changed.profiles = (tmp_path / "profiles.txt").read_text().split()
    _find_changed.all_years = (tmp_path / "all-years.txt").read_text().split()
    return (tmp_path / "changed.txt").read_text().split(), (tmp_path / "review.txt").read_text().split()


@pytest.mark.skipif(shutil.which("git") is None or shutil.which("bash") is None, reason="needs git and bash")
def test_a_changed_waiver_file_checks_every_year_of_its_partnership_and_is_flagged(steps, tmp_path):
    """Before: a change to data/p/waivers.yaml checked no year, so a bad waiver passed its own PR."""
    years, review = _find_changed(steps, tmp_path, {"data/p/waivers.yaml": "waivers: []\n",
                                                     "shapes/core.ttl": "# changed\n"})
    assert years == ["data/p/2022-23.yaml", "data/p/2023-24.yaml"]
    assert review == ["data/p/waivers.yaml", "shapes/core.ttl"]


@pytest.mark.skipif(shutil.which("git") is None or shutil.which("bash") is None, reason="needs git and bash")
def test_a_changed_year_file_alone_is_checked_and_nothing_is_flagged(steps, tmp_path):
    years, review = _find_changed(steps, tmp_path, {"data/q/2023-24.yaml": "x: 2\n"})
    assert years == ["data/q/2023-24.yaml"] and review == []
    assert _find_changed.profiles == [] and _find_changed.all_years == []


@pytest.mark.skipif(shutil.which("git") is None or shutil.which("bash") is None, reason="needs git and bash")
def test_a_changed_profile_is_tried_on_every_year_and_flagged(steps, tmp_path):
    """Before: a profile change checked nothing, so a profile that does not load broke the next PR."""
    years, review = _find_changed(steps, tmp_path, {"catalogue/profiles/default.yaml": "extends: default\n"})
    assert years == [] and review == ["catalogue/profiles/default.yaml"]
    assert _find_changed.profiles == ["catalogue/profiles/default.yaml"]
    assert _find_changed.all_years == ["data/p/2022-23.yaml", "data/p/2023-24.yaml", "data/q/2023-24.yaml"]
    tried = _step(steps, "try changed profiles")["run"]
    assert 'thscp-kg check "$file" --profile "$profile"' in tried and "--fail-on never" in tried


def test_changes_to_rules_and_waivers_are_flagged_for_review(steps):
    flag = _step(steps, "flag")
    assert "review.txt" in flag["run"] and "::warning" in flag["run"] and "GITHUB_STEP_SUMMARY" in flag["run"]


def test_a_codeowners_example_routes_rules_and_waivers_to_their_owners():
    rules = {}
    for line in CODEOWNERS.read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.lstrip().startswith("#"):
            pattern, *owners = line.split()
            rules[pattern] = owners
    for pattern in ("/data/**/waivers.yaml", "/catalogue/profiles/", "/catalogue/", "/shapes/", "/ontology/",
                    "/.github/"):
        assert rules.get(pattern), f"{pattern} has no owner in {CODEOWNERS.name}"
    assert any("lead-safeguarding-partners" in o for o in rules["/data/**/waivers.yaml"])
