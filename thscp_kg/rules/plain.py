"""The validated catalogue and changelog as plain Python objects, for ``rules`` and ``explain``.

The validated catalogue (``catalogue.load_catalogue``) is made of pydantic models, so reading it
back from the compiled cache imports pydantic (0.1–0.25 s, most of a ``rules`` run; issue 16).
Here every model is copied, once, into a ``Plain`` object holding the same values: its fields, its
computed fields and its properties (``verification``, ``link``, ``unverified``, ``day``), evaluated
when the copy is made. The copy is kept in the compiled cache under a key of everything it is
built from: the catalogue's and changelog's files, ``instruments.yaml`` (links are computed from it),
the modules that read and validate them, this module and pydantic's release (read from its
``version.py``, which names the pydantic-core it needs, without importing it). An edited entry is
a new key, so it is built from a freshly validated catalogue, with its errors reported as before.
tests/test_plain_catalogue.py compares every value with the model's and every ``explain`` output.
"""
from __future__ import annotations

import importlib.util
from functools import lru_cache
from pathlib import Path

from ..resources import cached, key_of, resource_dir
from .reads import CatalogueReads, ChangelogReads


class Plain:
    """A model's values as attributes; equal when the values are."""

    def __init__(self, **values):
        self.__dict__.update(values)

    def __eq__(self, other):
        return type(other) is type(self) and self.__dict__ == other.__dict__

    def __repr__(self):
        return f"Plain({', '.join(f'{k}={v!r}' for k, v in self.__dict__.items())})"


class PlainCatalogue(Plain, CatalogueReads):
    pass


class PlainChangelog(Plain, ChangelogReads):
    pass


def value_names(model) -> list[str]:
    """A model's fields, computed fields and properties of its own classes (not pydantic's)."""
    from pydantic import BaseModel

    names = list(type(model).model_fields) + list(type(model).model_computed_fields)
    for cls in type(model).__mro__:
        if cls is BaseModel or not issubclass(cls, BaseModel):
            continue
        names += [n for n, v in vars(cls).items() if isinstance(v, property) and not n.startswith("_")]
    return list(dict.fromkeys(names))


def plain(value, kind=Plain):
    """``value`` with every pydantic model in it copied into a ``Plain`` (lists stay lists)."""
    from pydantic import BaseModel

    if isinstance(value, BaseModel):
        return kind(**{name: plain(getattr(value, name)) for name in value_names(value)})
    if isinstance(value, list):
        return [plain(v) for v in value]
    if isinstance(value, tuple):
        return tuple(plain(v) for v in value)
    if isinstance(value, dict):
        return {k: plain(v) for k, v in value.items()}
    return value


def _sources(folder: Path, *names: str) -> list[Path]:
    here = Path(__file__).resolve()
    pydantic = Path(importlib.util.find_spec("pydantic").origin).parent / "version.py"
    instruments = resource_dir("catalogue") / "instruments.yaml"
    return [*(folder / n for n in names), *([instruments] if instruments.is_file() else []), here,
            here.parent / "catalogue.py", here.parent / "changelog.py", here.parent.parent / "yamlsafe.py",
            pydantic]


@lru_cache(maxsize=4)
def plain_catalogue(folder: Path | None = None) -> PlainCatalogue:
    """``load_catalogue(folder)`` as plain objects, from the compiled cache when nothing changed."""
    folder = folder or resource_dir("catalogue")
    files = ["areas.yaml", *(f"requirements/{p.name}" for p in sorted((folder / "requirements").glob("*.yaml")))]

    def build():
        from .catalogue import load_catalogue

        return plain(load_catalogue(folder), PlainCatalogue)

    return cached("catalogue-plain", key_of(_sources(folder, *files), "catalogue-plain-1", str(folder.resolve())),
                  build)


@lru_cache(maxsize=2)
def plain_changelog(folder: Path | None = None) -> PlainChangelog:
    """``load_changelog(folder)`` as plain objects, from the compiled cache when nothing changed."""
    folder = folder or resource_dir("catalogue")

    def build():
        from .changelog import load_changelog

        return plain(load_changelog(folder), PlainChangelog)

    return cached("changelog-plain", key_of(_sources(folder, "CHANGELOG.yaml"), "changelog-plain-1",
                                            str(folder.resolve())), build)
