"""Report step: one module per format, each a pure function of the ``Assessment``."""
from __future__ import annotations

from ..findings import Assessment
from . import json_report, markdown, text

FORMATS = {
    "text": ("gap-report.txt", text.render),
    "md": ("gap-report.md", markdown.render),
    "json": ("gap-report.json", json_report.render),
}


def render(assessment: Assessment, fmt: str) -> str:
    return FORMATS[fmt][1](assessment)
