"""Issue 14 #3: names cannot forge CI log lines.

The bad-input corpus (tests/bad_inputs/text-*.yaml) refuses line breaks and invisible characters
in a name through the real command line; these tests cover the data model's text type for every
kind of character, and the terminal summary's sanitising of fields that do not come from the data
file (the catalogue, waivers).
"""
from __future__ import annotations

import dataclasses

import pytest
from pydantic import TypeAdapter, ValidationError

from conftest import ROOT
from thscp_kg.model import Text
from thscp_kg.safe_text import one_line, terminal_safe

TEXT = TypeAdapter(Text)
REFUSED = {
    "line feed": "Board\n::error file=x::forged",
    "carriage return": "Board\rAll requirements met",
    "vertical tab": "Board\x0bx",
    "form feed": "Board\x0cx",
    "next line (NEL)": "Board\x85x",
    "line separator": "Board\u2028x",
    "paragraph separator": "Board\u2029x",
    "zero-width space": "Bo\u200bard",
    "zero-width joiner": "Bo\u200dard",
    "word joiner": "Bo\u2060ard",
    "left-to-right mark": "Board\u200e",
    "right-to-left mark": "Board\u200f",
    "Arabic letter mark": "Board\u061c",
    "left-to-right isolate": "Board\u2066x\u2069",
    "right-to-left override": "Board\u202ex",
    "byte order mark inside": "Bo\ufeffard",
    "escape": "Board\x1b[2J",
    "bell": "Board\x07",
}


@pytest.mark.parametrize("kind", sorted(REFUSED))
def test_single_line_text_refuses(kind):
    with pytest.raises(ValidationError, match=r"Fix: "):
        TEXT.validate_python(REFUSED[kind])


@pytest.mark.parametrize("text", ["Tower Hamlets Safeguarding Children Partnership", "Zoë O'Brien-Smith",
                                  "Café — <b>board</b> & \"friends\"", "東京", "مجلس", "Board\twith a tab"])
def test_single_line_text_accepts_ordinary_text(text):
    assert TEXT.validate_python(text) == text


def test_terminal_safe_keeps_spaces_and_shows_everything_else_as_codes():
    assert terminal_safe("  INFO   a\nb\rc\u2028d\u200be\x1b") == "  INFO   a\\u000ab\\u000dc\\u2028d\\u200be\\u001b"
    assert one_line("a \n\n b\u202e") == "a b\\u202e"


def test_the_terminal_summary_sanitises_fields_not_checked_by_the_data_model():
    """A title from the catalogue or a waiver's text cannot print a GitHub Actions command either."""
    from thscp_kg.pipeline import check_file
    from thscp_kg.report.text import render

    a = check_file(ROOT / "tests" / "bad_inputs" / "valid.yaml").assessment
    assert a.open_findings, "the valid fixture has findings to show"
    a.findings = [dataclasses.replace(f, title="Title\n::error::forged", focus_label="Label\r::add-mask::x")
                  for f in a.findings]
    text = render(a)
    assert not any(line.startswith("::") for line in text.splitlines())
    assert "\r" not in text and "Title\\u000a::error::forged" in text
