"""Writing outputs safely: atomic (temp file + rename), inside the chosen folder, all or nothing."""
from __future__ import annotations

import os
import re
import stat
import tempfile
import time
from pathlib import Path

from .errors import ConfigError

SAFE_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]{0,100}")
TMP_SUFFIX = ".tmp"
STALE_SECONDS = 3600  # a temporary this old belongs to a run that was killed (kill -9, power loss)


def _umask() -> int:
    mask = os.umask(0)  # the only way to read it; set straight back
    os.umask(mask)
    return mask


def remove_stale_temporaries(path: Path) -> None:
    """Delete ``.<name>.XXXXXXXX.tmp`` files of our own naming for ``path`` left by a killed run.

    Only files matching write_all's own pattern, older than STALE_SECONDS (a run in progress
    elsewhere is never touched), regular files only (never through a symlink)."""
    pattern = re.compile(re.escape(f".{path.name}.") + r"[A-Za-z0-9_]{8}" + re.escape(TMP_SUFFIX))
    try:
        entries = list(os.scandir(path.parent))
    except OSError:
        return
    now = time.time()
    for entry in entries:
        if not pattern.fullmatch(entry.name):
            continue
        try:
            info = entry.stat(follow_symlinks=False)
            if stat.S_ISREG(info.st_mode) and now - info.st_mtime > STALE_SECONDS:
                os.unlink(entry.path)
        except OSError:
            pass


def safe_child(folder: Path, name: str) -> Path:
    """``folder/name``, refusing names that could escape the folder (``..``, ``/``, odd bytes)."""
    if not SAFE_NAME.fullmatch(name) or ".." in name:
        raise ConfigError(f"unsafe output name '{name}'.", fix="use letters, digits, '.', '-' and '_' only.")
    return folder / name


def write_atomic(path: Path, data: bytes | str) -> None:
    """Write one file: to a temporary file in the same folder, fsync, then rename over the target."""
    write_all({path: data})


def write_all(files: dict[Path, bytes | str]) -> None:
    """Write every file completely to a temporary file first, then rename each into place.

    A failure before the renames (a full disk, a crash while writing) leaves every target as it
    was; a failure between two renames leaves each file either old or new, never half-written.
    No temporary file is left behind either way.
    """
    staged: list[tuple[str, Path]] = []
    try:
        for path in sorted(files):
            staged.append((_stage(path, files[path]), path))
        for tmp, path in staged:
            os.replace(tmp, path)
        for folder in sorted({path.parent for path in files}):
            _fsync_folder(folder)
    except OSError as exc:
        where = exc.filename or (staged[-1][1] if staged else next(iter(files), ""))
        raise ConfigError(f"cannot write {where} ({exc.strerror or exc}).",
                          fix="choose an --output-dir you can write to, or free some disk space.") from None
    finally:
        for tmp, _ in staged:
            _remove(tmp)


def _stage(path: Path, data: bytes | str) -> str:
    path.parent.mkdir(parents=True, exist_ok=True)
    remove_stale_temporaries(path)
    payload = data.encode("utf-8") if isinstance(data, str) else data
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=TMP_SUFFIX, dir=path.parent)
    try:
        os.fchmod(fd, 0o666 & ~_umask())  # mkstemp makes 0600; a report gets the mode any new file would
        with os.fdopen(fd, "wb") as fh:
            fh.write(payload)
            fh.flush()
            os.fsync(fh.fileno())
    except BaseException:
        _remove(tmp)
        raise
    return tmp


def _umask() -> int:
    mask = os.umask(0)   # the only portable way to read it is to set it; put it straight back
    os.umask(mask)
    return mask


def _remove(tmp: str) -> None:
    try:
        os.unlink(tmp)
    except FileNotFoundError:
        pass


def _fsync_folder(folder: Path) -> None:
    """Make the renames themselves durable (POSIX; a no-op where folders cannot be opened)."""
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)
