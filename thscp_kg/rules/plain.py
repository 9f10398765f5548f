"""The validated catalogue and changelog as plain Python objects, for ``rules`` and ``explain``.

The validated catalogue (``catalogue.load_catalogue``) is made of pydantic models, so reading it
back from the compiled cache imports pydantic (0.1–0.25 s, most of a ``rules`` run; issue 16).
Here every model is copied, once, into a ``Plain`` object (thscp_kg/plain.py) holding the same
values: its fields, its computed fields and its properties (``verification``, ``link``,
``unverified``, ``day``), evaluated when the copy is made; the lookups are the mixins of ``reads``.
``check`` reads this copy too (the pipeline's default catalogue). The copy is kept in the compiled cache under a key of everything it is
built from: the catalogue's and changelog's files, ``instruments.yaml`` (links are computed from it),
the modules that read and validate them, this module and pydantic's release (read from its
``version.py``, which names the pydantic-core it needs, without importing it). An edited entry is
a new key, so it is built from a freshly validated catalogue, with its errors reported as before.
tests/test_plain_catalogue.py compares every value with the model's and every ``explain`` output.
"""
from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from ..resources import cached, key_of, pydantic_version_file, resource_dir
from ..plain import Plain, plain, value_names  # noqa: F401  (Plain, value_names: re-exported)
from .reads import PlainCatalogue, PlainChangelog


def _sources(folder: Path, *names: str) -> list[Path]:
    here = Path(__file__).resolve()
    instruments = resource_dir("catalogue") / "instruments.yaml"
    return [*(folder / n for n in names), *([instruments] if instruments.is_file() else []), here,
            here.parent / "catalogue.py", here.parent / "changelog.py", here.parent / "reads.py",
            here.parent / "instruments.py", here.parent.parent / "plain.py", here.parent.parent / "yamlsafe.py",
            pydantic_version_file()]


@lru_cache(maxsize=4)
def plain_catalogue(folder: Path | None = None) -> PlainCatalogue:
    """``load_catalogue(folder)`` as plain objects, from the compiled cache when nothing changed."""
    folder = folder or resource_dir("catalogue")
    files = ["areas.yaml", *(f"requirements/{p.name}" for p in sorted((folder / "requirements").glob("*.yaml")))]

    def build():
        from .catalogue import load_catalogue

        return plain(load_catalogue(folder), PlainCatalogue)

    return cached("catalogue-plain", key_of(_sources(folder, *files), "catalogue-plain-2", str(folder.resolve())),
                  build)


@lru_cache(maxsize=2)
def plain_changelog(folder: Path | None = None) -> PlainChangelog:
    """``load_changelog(folder)`` as plain objects, from the compiled cache when nothing changed."""
    folder = folder or resource_dir("catalogue")

    def build():
        from .changelog import load_changelog

        return plain(load_changelog(folder), PlainChangelog)

    return cached("changelog-plain", key_of(_sources(folder, "CHANGELOG.yaml"), "changelog-plain-2",
                                            str(folder.resolve())), build)
