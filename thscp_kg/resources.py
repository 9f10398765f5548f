"""Where the ontology, shapes and catalogue live.

In a source checkout they are the top-level ``ontology/``, ``shapes/`` and ``catalogue/``
folders; a built wheel carries copies under ``thscp_kg/_resources/`` (see pyproject.toml and
docs/decisions/0004-resources-in-the-wheel.md).
"""
from __future__ import annotations

from functools import lru_cache
from pathlib import Path

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
