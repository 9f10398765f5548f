"""Report step: one module per format, each a pure function of the ``Assessment``."""
from __future__ import annotations

from ..findings import Assessment
from . import json_report, junit, markdown, sarif, text


def _html(a: Assessment) -> str:
    from . import html  # jinja2 is imported only when the HTML report is wanted
    return html.render(a)


FORMATS = {
    "text": ("gap-report.txt", text.render),
    "md": ("gap-report.md", markdown.render),
    "json": ("gap-report.json", json_report.render),
    "html": ("gap-report.html", _html),
    "sarif": ("gap-report.sarif", sarif.render),
    "junit": ("gap-report.junit.xml", junit.render),
}


def render(assessment: Assessment, fmt: str) -> str:
    return FORMATS[fmt][1](assessment)
