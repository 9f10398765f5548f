"""Writing outputs safely: atomic (temp file + rename), inside the chosen folder, all or nothing."""
from __future__ import annotations

import os
import re
import tempfile
from pathlib import Path

from .errors import ConfigError

SAFE_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,100}$")


def safe_child(folder: Path, name: str) -> Path:
    """``folder/name``, refusing names that could escape the folder (``..``, ``/``, odd bytes)."""
    if not SAFE_NAME.match(name) or ".." in name:
        raise ConfigError(f"unsafe output name '{name}'.", fix="use letters, digits, '.', '-' and '_' only.")
    return folder / name


def write_atomic(path: Path, data: bytes | str) -> None:
    """Write to a temporary file in the same folder, fsync, then rename over the target."""
    path.parent.mkdir(parents=True, exist_ok=True)
    payload = data.encode("utf-8") if isinstance(data, str) else data
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(payload)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    except BaseException:
        try:
            os.unlink(tmp)
        except FileNotFoundError:
            pass
        raise


def write_all(files: dict[Path, bytes | str]) -> None:
    """Render everything first (the caller), then write each file atomically.

    A failure while rendering leaves nothing written; a failure between two renames leaves
    every file either old or new, never half-written.
    """
    for path in sorted(files):
        write_atomic(path, files[path])
