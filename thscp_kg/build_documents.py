"""Build step for what documents state about themselves (document-consistency checks)."""
from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .build import GraphBuilder


def add_document_statements(b: "GraphBuilder") -> None:
    """Statements documents make (stated periods, guidance cited, bodies named): none yet."""
