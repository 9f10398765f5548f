"""Report step: one module per format, each a pure function of the ``Assessment``."""
from __future__ import annotations

import importlib

from ..findings import Assessment

# format: (file name, module). A format's module (for HTML, jinja2) is imported only when it is asked for.
FORMATS = {
    "text": ("gap-report.txt", "text"),
    "md": ("gap-report.md", "markdown"),
    "json": ("gap-report.json", "json_report"),
    "html": ("gap-report.html", "html"),
    "sarif": ("gap-report.sarif", "sarif"),
    "junit": ("gap-report.junit.xml", "junit"),
}


def render(assessment: Assessment, fmt: str) -> str:
    return importlib.import_module(f".{FORMATS[fmt][1]}", __name__).render(assessment)
