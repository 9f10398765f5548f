"""The built-in graph checks, one module per theme; importing this package registers them."""
from __future__ import annotations

from . import boards, groups, people, priorities, reporting  # noqa: F401
