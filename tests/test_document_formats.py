"""PDF, Word and HTML sources: extraction with pages, quotes found with the shared normalisation,
scan and draft on documents generated from the THSCP text (tests/thscp_documents.py), and bad
documents refused with one line and exit 2.
"""
from __future__ import annotations

import zipfile

import pytest

from conftest import ROOT
from thscp_documents import PAGES, build_docx, build_full_docx, build_full_pdf, build_pdf
from thscp_kg.cli import main
from thscp_kg.documents.extract import read_document

COVER = ROOT / "data" / "tower-hamlets" / "sources" / "000_156c3ce8fcfb6006.txt"


@pytest.fixture(scope="module")
def pdf(tmp_path_factory):
    return build_pdf(tmp_path_factory.mktemp("pdf") / "annual-report-2023-24.pdf")


@pytest.fixture(scope="module")
def word(tmp_path_factory):
    return build_docx(tmp_path_factory.mktemp("docx") / "annual-report-2023-24.docx")


def test_pdf_quotes_are_found_on_their_page(pdf):
    doc = read_document(pdf)
    assert max(line.page for line in doc.lines) == 6
    assert doc.find_quote("In 23-23 **4** of Rapid Reviews took place and **1** Child Safeguarding Practice Review.") \
        == f"page {PAGES['Rapid Reviews and Child Safeguarding Practice Reviews']}"
    assert doc.find_quote("Korkor is the Associate Director for Safeguarding Children, NHS North East London Clinical "
                          "Commissioning Group.") == "page 2"
    # The table: each row's label and amount, in order.
    assert doc.find_quote("Local Authority\t£145,916") == "page 3"
    assert doc.find_quote("Local Authority £999") is None


def test_pdf_two_column_page_reads_column_by_column(pdf):
    """Page 5 is set in two columns: a sentence that wraps inside the left column is one run of text,
    not interleaved with the right column."""
    doc = read_document(pdf)
    quote = ("The Children and Families Executive has delegated responsibility to lead on the partnership decision "
             "making in relation to children, young people and families in Tower Hamlets.")
    assert doc.find_quote(quote) == "page 5"
    assert doc.find_quote("The Community Safety Partnership Board is required by law to conduct and consult on an "
                          "annual strategic assessment of crime, disorder, anti-social behaviour") == "page 5"


def test_word_headings_and_table(word):
    doc = read_document(word)
    headings = [(line.heading, line.text) for line in doc.lines if line.heading]
    assert (1, "Strategic plan for the year ahead") == headings[-1]
    assert (2, "Community Safety Partnership Board") in headings
    assert "Local Authority\t£145,916\tBusiness Unit Salaries and oncosts: • THSCP Manager • THSCP Coordinator • " \
           "THSCP Apprentice • Young Scrutineers x2\t£173,333" in doc.text()
    assert doc.find_quote("Integrated Care Board £50,000") == "text"


@pytest.mark.parametrize("builder", [build_pdf, build_docx], ids=["pdf", "docx"])
def test_scan_on_generated_documents(builder, tmp_path, capsys):
    path = builder(tmp_path / f"report.{'pdf' if builder is build_pdf else 'docx'}")
    assert main(["scan", str(path), "--format", "json"]) == 0
    import json
    report = json.loads(capsys.readouterr().out)
    found = {(f["requirement"], f["value"]) for f in report["findings"]}
    assert ("DOC-03", "Strategic plan for the year ahead") in found
    assert ("DOC-06", "NHS North East London Clinical Commissioning Group") in found
    assert ("DOC-02", "'23-23': the same year twice, not two consecutive years") in found
    if builder is build_pdf:
        where = {f["requirement"]: f["focus_label"] for f in report["findings"]}
        assert where["DOC-03"] == "report.pdf (page 6)" and where["DOC-02"] == "report.pdf (page 4)"


@pytest.mark.parametrize("builder", [build_pdf, build_docx], ids=["pdf", "docx"])
def test_draft_on_generated_documents(builder, tmp_path):
    import yaml

    path = builder(tmp_path / f"report.{'pdf' if builder is build_pdf else 'docx'}")
    out = tmp_path / "2023-24.yaml"
    assert main(["draft", str(path), str(COVER), "-o", str(out)]) == 0
    data = yaml.safe_load(out.read_text(encoding="utf-8"))
    assert data["period"]["id"] == "2023-24"
    assert {b["kind"] for b in data["linked_boards"]} == {
        "safeguarding-adults-board", "children-and-families-partnership", "health-and-wellbeing-board",
        "community-safety-partnership"}
    amounts = {c["contributor"]: c["amount"]["amount"] for c in data["funding"]["contributions"]}
    assert amounts == {"local-authority": 145916, "integrated-care-board": 50000, "police": 5000,
                       "east-london-foundation-trust": 2500, "dfe": 47300}
    assert data["funding"]["stated_income_total"]["amount"] == 250716
    assert {(c["measure"], c["value"]) for c in data["activity_counts"]} >= {("rapid-reviews", 4), ("practice-reviews", 1)}
    report = next(d for d in data["documents"] if d["kind"] == "yearly-report")
    plan = next(s for s in report["sections"] if s["topic"] == "plan-for-next-year")
    assert plan["has_content"] is False
    source = next(s for s in data["sources"] if s["file"] == path.name)["id"]
    doc = read_document(path)
    for board in data["linked_boards"]:
        (ev,) = board["evidence"]
        assert ev["source"] == source and doc.find_quote(ev["quote"])
        if builder is build_pdf:
            assert ev["section"].endswith("(page 5)"), ev


@pytest.mark.parametrize("builder", [build_full_pdf, build_full_docx], ids=["pdf", "docx"])
def test_hand_file_quotes_verify_against_pdf_and_word(builder, tmp_path):
    """Every quote data/tower-hamlets/2023-24.yaml takes from the yearly report is found in a PDF (with
    its page) and a Word document made from the report's text, under the check-time normalisation."""
    from thscp_kg.documents.quotes import check_quotes
    from thscp_kg.load.loader import load_partnership_year

    year = load_partnership_year(ROOT / "data" / "tower-hamlets" / "2023-24.yaml").model()
    suffix = "pdf" if builder is build_full_pdf else "docx"
    builder(tmp_path / f"report.{suffix}")
    sources = [s.model_copy(update={"file": f"report.{suffix}"}) if s.id == "ar-2023-24" else s for s in year.sources]
    for other in sources:
        if other.file and other.id != "ar-2023-24":  # 'file:' is relative to the data file: sources/<name>
            (tmp_path / other.file).parent.mkdir(parents=True, exist_ok=True)
            (tmp_path / other.file).write_bytes((ROOT / "data" / "tower-hamlets" / other.file).read_bytes())
    checks = [c for c in check_quotes(year.model_copy(update={"sources": sources}), tmp_path) if c.source == "ar-2023-24"]
    assert len(checks) > 100
    missing = [c.quote for c in checks if c.where is None]
    assert missing == []
    if suffix == "pdf":
        assert all(c.where.startswith("page") for c in checks)
        assert len({c.where for c in checks}) > 5


# -- bad documents ---------------------------------------------------------------------------------------
def _one_line_error(capsys, argv, expected: str) -> str:
    assert main(argv) == 2
    captured = capsys.readouterr()
    lines = captured.err.strip().splitlines()
    assert len(lines) == 1 and "Traceback" not in captured.err, captured.err
    assert expected in lines[0] and "Fix:" in lines[0], lines[0]
    return lines[0]


def test_encrypted_pdf(pdf, tmp_path, capsys):
    from pypdf import PdfReader, PdfWriter

    writer = PdfWriter(clone_from=PdfReader(str(pdf)))
    writer.encrypt("secret")
    locked = tmp_path / "locked.pdf"
    with open(locked, "wb") as fh:
        writer.write(fh)
    line = _one_line_error(capsys, ["scan", str(locked)], "the PDF is encrypted")
    assert line.startswith(f"thscp-kg: error: {locked}: ")


def test_image_only_pdf(tmp_path, capsys):
    from reportlab.pdfgen import canvas

    scanned = tmp_path / "scanned.pdf"
    c = canvas.Canvas(str(scanned))
    c.rect(50, 50, 400, 600, fill=1)  # a page with a picture and no text layer
    c.showPage()
    c.save()
    _one_line_error(capsys, ["draft", str(scanned)], "no text layer")


def test_zip_renamed_docx(tmp_path, capsys):
    fake = tmp_path / "report.docx"
    with zipfile.ZipFile(fake, "w") as archive:
        archive.writestr("notes.txt", "not a Word document")
    _one_line_error(capsys, ["scan", str(fake)], "a zip archive but not a Word document")


def test_text_renamed_docx_and_pdf(tmp_path, capsys):
    (tmp_path / "a.docx").write_text("plain text", encoding="utf-8")
    (tmp_path / "a.pdf").write_text("plain text", encoding="utf-8")
    _one_line_error(capsys, ["scan", str(tmp_path / "a.docx")], "not a Word document")
    _one_line_error(capsys, ["scan", str(tmp_path / "a.pdf")], "not a PDF")


def test_pdf_renamed_txt(pdf, tmp_path, capsys):
    renamed = tmp_path / "report.txt"
    renamed.write_bytes(pdf.read_bytes())
    _one_line_error(capsys, ["scan", str(renamed)], "saved with a text-file name")


def test_truncated_pdf(pdf, tmp_path, capsys):
    broken = tmp_path / "broken.pdf"
    broken.write_bytes(pdf.read_bytes()[:400])
    line = _one_line_error(capsys, ["scan", str(broken)], str(broken))
    assert "PDF" in line


def test_200_mb_document_is_refused_before_reading(tmp_path, capsys):
    huge = tmp_path / "huge.pdf"
    with open(huge, "wb") as fh:  # sparse: the size is checked before a byte is read
        fh.write(b"%PDF-1.7\n")
        fh.truncate(200 * 1024 * 1024)
    _one_line_error(capsys, ["draft", str(huge)], "the file is 209,715,200 bytes; the limit for a pdf document is")


def test_unknown_type_and_missing_file(tmp_path, capsys):
    (tmp_path / "report.doc").write_bytes(b"\xd0\xcf\x11\xe0")
    _one_line_error(capsys, ["scan", str(tmp_path / "report.doc")], "'.doc' is not a document type")
    _one_line_error(capsys, ["scan", str(tmp_path / "absent.pdf")], "file not found")


def test_html_source(tmp_path, capsys):
    page = tmp_path / "report.html"
    page.write_text("<html><head><title>x</title><script>var a = 'In 23-23';</script></head><body>"
                    "<h1>Example Safeguarding Children Partnership Annual Report 2023-24</h1>"
                    "<h2>Rapid reviews</h2><p>In 23-23 4 Rapid Reviews took place.</p>"
                    "<table><tr><td>Local Authority</td><td>£10,000</td></tr></table>"
                    "<h2>Plan for next year</h2></body></html>", encoding="utf-8")
    doc = read_document(page)
    assert [line.heading for line in doc.lines] == [1, 2, None, None, 2]
    assert "Local Authority\t£10,000" in doc.text()
    assert main(["scan", str(page), "--format", "json"]) == 0
    import json
    found = {(f["requirement"], f["value"]) for f in json.loads(capsys.readouterr().out)["findings"]}
    assert found == {("DOC-02", "'23-23': the same year twice, not two consecutive years"),
                     ("DOC-03", "Plan for next year")}


def test_docx_that_unpacks_too_big(tmp_path, capsys):
    bomb = tmp_path / "bomb.docx"
    with zipfile.ZipFile(bomb, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        with archive.open("word/document.xml", "w") as member:  # 110 MB of zeros, a few hundred kB packed
            for _ in range(110):
                member.write(b"\0" * (1024 * 1024))
    _one_line_error(capsys, ["scan", str(bomb)], "the document unpacks to 115,343,360 bytes")


# The same per-run limits as bad data files (tests/test_bad_inputs.py): CPU and peak memory of the
# child process alone, from os.wait4.
MAX_CPU_SECONDS = 5.0
MAX_RSS_BYTES = 300 * 1024 * 1024


def _run_child(args: list[str], cwd) -> tuple[int, str, float, int]:
    import os
    import subprocess
    import sys

    from conftest import child_usage, measured_command

    err, usage_file = cwd / "stderr.txt", cwd / "usage.json"
    with open(err, "wb") as fh:
        # Through a small launcher: the child's own peak memory, not this worker's (tests/conftest.py).
        proc = subprocess.Popen(measured_command([sys.executable, "-m", "thscp_kg", *args], usage_file), cwd=cwd,
                                stdout=subprocess.DEVNULL, stderr=fh, env={**os.environ, "PYTHONPATH": str(ROOT)})
        proc.wait()
    code, cpu, rss = child_usage(usage_file)
    return code, err.read_text("utf-8", "replace"), cpu, rss


def test_bad_documents_in_a_child_process_stay_within_limits(pdf, tmp_path):
    from pypdf import PdfReader, PdfWriter
    from reportlab.pdfgen import canvas

    locked = tmp_path / "locked.pdf"
    writer = PdfWriter(clone_from=PdfReader(str(pdf)))
    writer.encrypt("secret")
    with open(locked, "wb") as fh:
        writer.write(fh)
    scanned = tmp_path / "scanned.pdf"
    c = canvas.Canvas(str(scanned))
    c.rect(50, 50, 400, 600, fill=1)
    c.showPage()
    c.save()
    renamed = tmp_path / "renamed.docx"
    with zipfile.ZipFile(renamed, "w") as archive:
        archive.writestr("a.txt", "x")
    huge = tmp_path / "huge.pdf"
    with open(huge, "wb") as fh:
        fh.write(b"%PDF-1.7\n")
        fh.truncate(200 * 1024 * 1024)
    for path in (locked, scanned, renamed, huge):
        out = tmp_path / f"{path.stem}.yaml"
        code, err, cpu, rss = _run_child(["draft", path.name, "-o", out.name], tmp_path)
        assert code == 2 and len(err.strip().splitlines()) == 1 and err.startswith(f"thscp-kg: error: {path.name}: "), err
        assert not out.exists(), "nothing is written for a bad document"
        assert cpu < MAX_CPU_SECONDS and rss < MAX_RSS_BYTES, (path.name, cpu, rss / 2**20)


def test_quotes_command(tmp_path, capsys):
    """thscp-kg quotes: the hand file's quotes are all in the sources; a changed quote is named by its
    line; with the report as a PDF the page is given."""
    import shutil

    assert main(["quotes", str(ROOT / "data" / "tower-hamlets" / "2023-24.yaml")]) == 0
    assert "173 of 173 quotes found" in capsys.readouterr().out
    folder = tmp_path / "tower-hamlets"
    shutil.copytree(ROOT / "data" / "tower-hamlets" / "sources", folder / "sources")
    text = (ROOT / "data" / "tower-hamlets" / "2023-24.yaml").read_text(encoding="utf-8")
    changed = text.replace('quote: "In 23-23 **4** of Rapid Reviews', 'quote: "In 23-24 **4** of Rapid Reviews', 1)
    (folder / "2023-24.yaml").write_text(changed, encoding="utf-8")
    assert main(["quotes", str(folder / "2023-24.yaml")]) == 1
    out = capsys.readouterr().out.splitlines()
    line = next(i for i, x in enumerate(changed.splitlines(), start=1) if "In 23-24 **4**" in x)
    assert out == [f"{folder / '2023-24.yaml'}:{line}: sources/002_2962e3f81039e07c.txt NOT FOUND: “In 23-24 **4** of Rapid "
                   "Reviews took place and **1** Child Safeguarding Practice Review.”"]
    build_full_pdf(folder / "sources" / "report.pdf")
    (folder / "2023-24.yaml").write_text(text.replace("file: sources/002_2962e3f81039e07c.txt", "file: sources/report.pdf"),
                                         encoding="utf-8")
    assert main(["quotes", str(folder / "2023-24.yaml"), "-v"]) == 0
    listed = capsys.readouterr().out
    assert "report.pdf page " in listed and "NOT FOUND" not in listed
