"""Where the ontology, shapes and catalogue live.

In a source checkout they are the top-level ``ontology/``, ``shapes/`` and ``catalogue/``
folders; a built wheel carries copies under ``thscp_kg/_resources/`` (see pyproject.toml and
docs/decisions/0004-resources-in-the-wheel.md).

Below, the compiled cache: a per-user cache of what is built from them (the parsed ontology and
shapes) and of the bank-holiday table.

Each entry is keyed by a hash of everything it was built from (the source files' bytes, the
versions of the libraries whose objects it pickles, this module's format), so an edited shape or
ontology file gives a new key and is rebuilt on the next run: an entry can be missing, never
stale. Where: ``$THSCP_KG_CACHE_DIR``, else ``$XDG_CACHE_HOME/thscp-kg``, else
``~/.cache/thscp-kg``; ``THSCP_KG_CACHE_DIR=off`` turns the cache off. A cache that cannot be
read or written only costs time: the value is built as if there were none.
"""
from __future__ import annotations

import hashlib
import os
import pickle
import stat
import sys
import tempfile
from functools import lru_cache
from pathlib import Path
from typing import Callable, Iterable, TypeVar

_PACKAGE = Path(__file__).resolve().parent


@lru_cache(maxsize=None)
def resource_dir(name: str) -> Path:
    """Return the folder ``name`` (ontology, shapes, catalogue) from the wheel or the checkout."""
    for candidate in (_PACKAGE / "_resources" / name, _PACKAGE.parent / name):
        if candidate.is_dir():
            return candidate
    raise FileNotFoundError(f"resource folder '{name}' not found beside the thscp_kg package")


def repo_root() -> Path:
    """The source checkout root (only meaningful when running from a checkout)."""
    return _PACKAGE.parent


# -- the compiled cache ------------------------------------------------------------------------------
ENV_VAR = "THSCP_KG_CACHE_DIR"
FORMAT = b"thscp-kg cache 1"  # change when what is pickled changes shape
KEEP_PER_KIND = 8
T = TypeVar("T")


def cache_dir() -> Path | None:
    """The cache folder, or None when the cache is turned off or is not the user's own."""
    chosen = os.environ.get(ENV_VAR)
    if chosen:
        if chosen.lower() in ("off", "0", "none"):
            return None
        folder = Path(chosen)
    else:
        base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
        folder = Path(base) / "thscp-kg"
    return folder if _only_user_can_write(folder) else None


def _only_user_can_write(folder: Path) -> bool:
    """Entries are pickles, and loading one runs what it says: a folder that someone else owns or
    can write (group or others) is not used at all (docs/decisions/0022). A missing folder is
    fine: it is created private."""
    try:
        st = os.stat(folder)  # follows a link: the folder it leads to is judged
    except FileNotFoundError:
        return True
    except OSError:
        return False
    if not stat.S_ISDIR(st.st_mode) or st.st_mode & (stat.S_IWGRP | stat.S_IWOTH):
        return False
    return not hasattr(os, "getuid") or st.st_uid == os.getuid()


def key_of(files: Iterable[Path], *extra: str) -> str:
    """A content hash of ``files`` (names and bytes, in the given order) and ``extra`` strings."""
    h = hashlib.sha256(FORMAT)
    h.update(sys.version.encode())
    for text in extra:
        h.update(b"\0" + text.encode())
    for path in files:
        h.update(b"\0" + path.name.encode() + b"\0")
        h.update(path.read_bytes())
    return h.hexdigest()[:32]


def cached(kind: str, key: str, build: Callable[[], T]) -> T:
    """The value stored under ``kind``/``key``, else ``build()`` (stored for next time)."""
    folder = cache_dir()
    if folder is None:
        return build()
    path = folder / f"{kind}-{key}.pickle"
    try:
        with open(path, "rb") as fh:
            return pickle.load(fh)
    except FileNotFoundError:
        pass
    except Exception:  # a truncated or foreign file: rebuild and overwrite it
        pass
    value = build()
    _store(folder, kind, path, value)
    return value


def _store(folder: Path, kind: str, path: Path, value: object) -> None:
    try:
        folder.mkdir(mode=0o700, parents=True, exist_ok=True)  # private: see _only_user_can_write
        fd, tmp = tempfile.mkstemp(dir=folder, prefix=f".{kind}-", suffix=".tmp")
        try:
            with os.fdopen(fd, "wb") as fh:
                pickle.dump(value, fh, protocol=pickle.HIGHEST_PROTOCOL)
            os.replace(tmp, path)  # atomic: a concurrent run reads the old file or the new one
        except BaseException:
            os.unlink(tmp)
            raise
        # Entries for older sources are not used again; keep a few (other checkouts may share the folder).
        entries = sorted(folder.glob(f"{kind}-*.pickle"), key=lambda p: p.stat().st_mtime, reverse=True)
        for old in entries[KEEP_PER_KIND:]:
            old.unlink(missing_ok=True)
    except Exception:  # read-only home, full disk, ...: the run goes on without the cache
        pass


def parsed_turtle(kind: str, folder: Path):
    """Every ``*.ttl`` in ``folder`` as one rdflib graph (our prefixes bound), from the cache when
    the files are unchanged; parsing Turtle costs about ten times loading the pickle."""
    import rdflib

    from .namespaces import bind_all

    files = sorted(folder.glob("*.ttl"))

    def build():
        graph = bind_all(rdflib.Graph())
        for path in files:
            graph.parse(path, format="turtle")
        return graph

    return cached(kind, key_of(files, "rdflib " + rdflib.__version__), build)


BATCH_FROM = 2
_CALLS: dict[str, int] = {}   # kind -> inputs validated by this process (a forked child counts on)


def validated(kind: str, model: str, data: object, sources: Iterable[Path], derive: Callable | None = None):
    """``derive(M.model_validate(data))`` for the pydantic model ``M`` named ``model`` ("module:Class",
    declared with ``defer_build=True``), from the compiled cache in a process that has not built the
    model's validator yet; ``derive`` (default: the instance itself) gives what is kept.

    A cold CLI run would otherwise import pydantic and build the validator only to validate one
    unchanged file: with a ``derive`` that makes plain copies (thscp_kg/plain.py), such a run never
    imports pydantic at all. A process that has built the validator and validated more than
    ``BATCH_FROM`` inputs of the kind (a batch: the suite, ``load`` of many years) validates directly,
    storing nothing; the first few of a run are stored even so (the baseline year that a ``check``
    child validates after the main process built the validator is cold in the next run). The key hashes
    ``data`` itself (its pickle: equal bytes, equal data), the model's source files and pydantic's
    release (its ``version.py``, read without importing it), so it can miss but never serve another
    input's result; invalid data raises here exactly as without the cache, and is never stored.
    """
    module_name, _, class_name = model.partition(":")

    def build():
        import importlib

        instance = getattr(importlib.import_module(module_name), class_name).model_validate(data)
        return instance if derive is None else derive(instance)

    imported = sys.modules.get(module_name)
    built = imported is not None and getattr(getattr(imported, class_name, None), "__pydantic_complete__", False)
    _CALLS[kind] = _CALLS.get(kind, 0) + 1
    if (built and _CALLS[kind] > BATCH_FROM) or cache_dir() is None:
        return build()
    try:
        blob = pickle.dumps(data, protocol=pickle.HIGHEST_PROTOCOL)
    except Exception:  # not picklable: nothing to key on
        return build()
    key = key_of([*sources, pydantic_version_file()], f"validated {model} 2", "derived" if derive else "",
                 hashlib.sha256(blob).hexdigest())
    return cached(kind, key, build)


@lru_cache(maxsize=1)
def pydantic_version_file() -> Path:
    """pydantic's ``version.py`` (it names the pydantic-core release it needs), found without importing
    pydantic: a cache key that holds pydantic's objects, or what they validated, hashes it."""
    import importlib.util

    return Path(importlib.util.find_spec("pydantic").origin).parent / "version.py"
