"""PDF and Word documents generated from the THSCP 2023-24 report's text, for the format tests.

Nothing binary is committed: each test builds its documents from
data/tower-hamlets/sources/002_2962e3f81039e07c.txt with reportlab (PDF: a contents page, one
section per page, a two-column page and a table) or python-docx (Word: heading styles, a table).
"""
from __future__ import annotations

import re
from pathlib import Path
from xml.sax.saxutils import escape

from conftest import ROOT

REPORT = ROOT / "data" / "tower-hamlets" / "sources" / "002_2962e3f81039e07c.txt"
# Sections used, in order, with the page each starts on in the PDF (page 1: title and contents).
SECTIONS = ["Introduction", "Funding the Tower Hamlets Safeguarding Children Partnership",
            "Rapid Reviews and Child Safeguarding Practice Reviews",
            "Strategic Boards and Partnerships linked to the THSCP", "Strategic plan for the year ahead"]
PAGES = {name: number for number, name in enumerate(SECTIONS, start=2)}
TWO_COLUMNS = "Strategic Boards and Partnerships linked to the THSCP"
TABLE = "Funding the Tower Hamlets Safeguarding Children Partnership"


def report_text() -> str:
    return REPORT.read_text(encoding="utf-8")


def section_lines(name: str) -> list[str]:
    """The lines under a heading, up to the next heading used (the second 'Rapid Reviews ...'
    section: the one with the counts)."""
    text = report_text()
    marker = f"\n{name}\n"
    start = text.rindex(marker) + len(marker)
    following = [text.find(f"\n{other}\n", start) for other in _contents()]
    ends = [i for i in following if i > start]
    body = text[start: min(ends) if ends else len(text)]
    return [line for line in body.splitlines() if line.strip()]


def _contents() -> list[str]:
    """The report's own contents entries ('Governance and Structure.....\t5' → 'Governance and Structure')."""
    text = report_text()
    block = text[text.index("\nContents\n"): text.index("\nIntroduction\n\n")]
    return [re.sub(r"[.\s]*\d+$", "", line).strip() for line in block.splitlines()[2:] if line.strip()]


def _clean(cell: str) -> str:
    return " ".join(re.sub(r"<[^>]*>", " ", cell).split())


def table_rows(name: str) -> list[list[str]]:
    return [[_clean(c) for c in line.split("\t")] for line in section_lines(name) if "\t" in line]


def build_pdf(path: Path) -> Path:
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import getSampleStyleSheet
    from reportlab.platypus import (BaseDocTemplate, Frame, NextPageTemplate, PageBreak, PageTemplate, Paragraph,
                                    Table)

    styles = getSampleStyleSheet()
    body, heading = styles["BodyText"], styles["Heading1"]
    body.fontSize, body.leading = 8, 10
    width, height = A4
    one = Frame(40, 40, width - 80, height - 80, id="one")
    left = Frame(40, 40, (width - 100) / 2, height - 80, id="left")
    right = Frame(60 + (width - 100) / 2, 40, (width - 100) / 2, height - 80, id="right")
    doc = BaseDocTemplate(str(path), pagesize=A4, title="THSCP Annual Report 2023-2024",
                          pageTemplates=[PageTemplate("one", [one]), PageTemplate("two", [left, right])])
    story = [Paragraph("TOWER HAMLETS SAFEGUARDING CHILDREN PARTNERSHIP ANNUAL REPORT", heading),
             Paragraph("2023-2024", heading), Paragraph("Contents", heading)]
    story += [Paragraph(escape(f"{name} {PAGES[name]}"), body) for name in SECTIONS]
    for name in SECTIONS:
        two = name == TWO_COLUMNS
        story += [NextPageTemplate("two" if two else "one"), PageBreak(), Paragraph(escape(name), heading)]
        if name == TABLE:
            story += [Paragraph(escape(line), body) for line in section_lines(name) if "\t" not in line]
            story.append(Table(table_rows(name)))
        else:
            story += [Paragraph(escape(line), body) for line in section_lines(name)]
    doc.build(story)
    return path


def build_docx(path: Path) -> Path:
    import docx

    document = docx.Document()
    document.add_paragraph("TOWER HAMLETS SAFEGUARDING CHILDREN PARTNERSHIP ANNUAL REPORT 2023-2024", style="Title")
    for name in SECTIONS:
        document.add_paragraph(name, style="Heading 1")
        lines = section_lines(name)
        rows = table_rows(name)
        for line in lines:
            if "\t" in line:
                continue
            if name == TWO_COLUMNS and line.rstrip().endswith(":"):
                document.add_paragraph(line.strip().rstrip(" :"), style="Heading 2")
            else:
                document.add_paragraph(line)
        if rows:
            table = document.add_table(rows=len(rows), cols=max(len(r) for r in rows))
            for r, row in enumerate(rows):
                for c, cell in enumerate(row):
                    table.cell(r, c).text = cell
    document.save(str(path))
    return path


def build_full_pdf(path: Path) -> Path:
    """Every line of the report, one paragraph each (for checking the hand file's quotes)."""
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import getSampleStyleSheet
    from reportlab.platypus import Paragraph, SimpleDocTemplate

    style = getSampleStyleSheet()["BodyText"]
    story = [Paragraph(escape(line.replace("\t", "    ")), style) for line in report_text().splitlines() if line.strip()]
    SimpleDocTemplate(str(path), pagesize=A4).build(story)
    return path


def build_full_docx(path: Path) -> Path:
    import docx

    document = docx.Document()
    for line in report_text().splitlines():
        if line.strip():
            document.add_paragraph(line)
    document.save(str(path))
    return path
