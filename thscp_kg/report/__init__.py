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


def prepare(formats) -> None:
    """Import what rendering ``formats`` needs, and read (or compile) the HTML template, before there is an
    assessment to render: ``check`` does it while its child processes finish the baseline year and the ttl
    (decision 0030). Rendering is unchanged: ``render`` finds the modules and the template loaded."""
    for fmt in formats:
        fmt = "text" if fmt == "txt" else fmt
        if fmt in FORMATS:
            importlib.import_module(f".{FORMATS[fmt][1]}", __name__)
    if "html" in formats:
        from .html import environment

        environment().get_template("gap-report.html.j2")
