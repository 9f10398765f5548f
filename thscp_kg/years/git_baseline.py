"""The committed copy of a data file as the baseline of a check (issue 14 #17; decision 0021).

``thscp-kg check FILE --baseline-git REV --fail-on-new violation`` (the pre-commit hook, with
``HEAD``) compares the file with its own copy at ``REV``, so an edit fails only on violations that
copy did not already have. The copy is extracted with its whole folder (``git archive``: the
sources its quotations cite come with it) into a temporary directory that is removed afterwards.
A file that is not at ``REV`` (a new year's file) is compared with last year's file beside it,
as without the option.
"""
from __future__ import annotations

import contextlib
import io
import os
import subprocess
import tarfile
import tempfile
from pathlib import Path
from typing import Iterator

from ..errors import ConfigError
from .diff import previous_year_path

GIT_TIMEOUT = 120


def _git(folder: Path | str, *args: str) -> subprocess.CompletedProcess:
    try:
        return subprocess.run(["git", *args], cwd=folder, capture_output=True, timeout=GIT_TIMEOUT)
    except FileNotFoundError:
        raise ConfigError("--baseline-git needs git, which is not installed.",
                          fix="install git, or give the older copy with --baseline FILE.") from None
    except subprocess.TimeoutExpired:
        raise ConfigError(f"git {' '.join(args[:2])} took more than {GIT_TIMEOUT} s.",
                          fix="check the repository, or give the older copy with --baseline FILE.") from None


@contextlib.contextmanager
def baseline_for(data: Path, rev: str, period: str | None = None) -> Iterator[tuple[Path | None, str | None]]:
    """The baseline of ``data``: (its copy at ``rev``, "REV:path") inside a temporary folder, or, when
    ``data`` is not at ``rev``, (last year's file beside it or None, None)."""
    data = Path(data)
    folder = data.parent if str(data.parent) else Path(".")
    top = _git(folder, "rev-parse", "--show-toplevel")
    if top.returncode != 0:
        raise ConfigError(f"--baseline-git {rev}: {data} is not in a git repository.", file=str(data),
                          fix="run the check inside the repository's working tree, or use --baseline FILE.")
    root = Path(top.stdout.decode("utf-8", "replace").strip())
    rel = Path(os.path.relpath(os.path.realpath(data), root)).as_posix()
    if rel.startswith("../"):
        raise ConfigError(f"--baseline-git {rev}: {data} is outside the repository at {root.name}.",
                          file=str(data), fix="name a data file inside the repository.")
    if _git(root, "rev-parse", "--verify", "--quiet", f"{rev}^{{commit}}").returncode != 0:
        raise ConfigError(f"--baseline-git {rev}: no such commit.", fix="name a commit, branch or tag, e.g. HEAD.")
    if _git(root, "cat-file", "-e", f"{rev}:{rel}").returncode != 0:  # a new file: last year's, as without git
        yield previous_year_path(data, period or data.stem), None
        return
    part = Path(rel).parent.as_posix()
    archive = _git(root, "archive", "--format=tar", rev, "--", part)
    if archive.returncode != 0:
        raise ConfigError(f"--baseline-git {rev}: git could not read {part} at {rev} "
                          f"({archive.stderr.decode('utf-8', 'replace').strip()[:200]}).", fix="check the commit.")
    with tempfile.TemporaryDirectory(prefix="thscp-kg-baseline-") as tmp:
        with tarfile.open(fileobj=io.BytesIO(archive.stdout)) as tar:
            if hasattr(tarfile, "data_filter"):
                tar.extractall(tmp, filter="data")  # no absolute paths, no '..', no links out
            else:  # pragma: no cover - Python before 3.11.4
                tar.extractall(tmp)
        yield Path(tmp) / rel, f"{rev}:{rel}"
