"""thscp-kg scan DOCUMENT...: the document-consistency checks (DOC-01...06) on the documents' text."""
from __future__ import annotations

import argparse
from pathlib import Path

from .common import emit

NAME = "scan"
HELP = "run the document-consistency checks (DOC-01...06) straight on PDF, Word, web-page or text documents"
FORMATS = ("text", "md", "json", "html", "sarif", "junit")


def add_arguments(c: argparse.ArgumentParser) -> None:
    c.add_argument("documents", nargs="+", type=Path, metavar="DOCUMENT",
                   help="documents to scan (.pdf, .docx, .html, .txt, .md)")
    c.add_argument("--format", choices=FORMATS, default="text", help="report format (default text)")
    c.add_argument("-o", "--output", type=Path, help="write the report to this file (default: standard output)")
    c.add_argument("--profile", type=Path, help="profile YAML with the documents: parameters "
                                                "(default catalogue/profiles/default.yaml)")
    c.add_argument("--fail-on", choices=["info", "never"], default="never",
                   help="exit 1 when a finding is found ('info': every DOC finding is good practice, severity info)")


def run(args: argparse.Namespace) -> int:
    # Parsers are imported here, not at CLI start-up.
    from ..rules.catalogue import load_catalogue
    from ..documents.extract import read_document
    from ..documents.scan import scan_documents
    from ..rules.profile import load_profile
    from ..report import render

    docs = [read_document(path, str(path)) for path in args.documents]  # all read before anything is written
    loaded = load_profile(args.profile)
    assessment = scan_documents(docs, loaded.profile, load_catalogue(), profile_id=loaded.profile.id)
    emit(render(assessment, args.format), args.output)
    return 1 if args.fail_on == "info" and assessment.failing("info") else 0
