"""Issue 14 #10 and #11: names stay text in every Markdown output and in next year's file header."""
from __future__ import annotations

import json

import pytest
import yaml

from conftest import ROOT
from thscp_kg.safe_text import md_text

VALID = ROOT / "tests" / "bad_inputs" / "valid.yaml"
HOSTILE = {
    "script": "<script>alert(1)</script>",
    "image handler": "<img src=x onerror=alert(1)>",
    "javascript link": "[click me](javascript:alert(1))",
    "remote image": "![](https://tracker.example/pixel.png)",
    "autolink": "<javascript:alert(1)>",
}


def _live_markup(md: str) -> list[str]:
    """Markup a Markdown viewer would act on."""
    found = [bad for bad in ("<script", "<img", "<javascript:") if bad in md]
    found += [bad for bad in ("](javascript:", "![](", "](https://tracker") if bad in md.replace("\\]", "").replace("\\[", "")]
    return found


@pytest.mark.parametrize("kind", sorted(HOSTILE))
def test_md_text_leaves_nothing_live(kind):
    out = md_text(HOSTILE[kind])
    assert _live_markup(out) == [], out
    assert "\n" not in md_text("a\nb") and md_text("a | b") == "a \\| b"


@pytest.fixture(scope="module")
def hostile_check(tmp_path_factory):
    from thscp_kg.pipeline import check_file

    text = VALID.read_text(encoding="utf-8")
    text = text.replace("    name: Learning Sub-group", f"    name: {json.dumps(HOSTILE['script'] + ' ' + HOSTILE['image handler'])}")
    text = text.replace("  name: Fixture Safeguarding Children Partnership",
                        f"  name: {json.dumps(HOSTILE['javascript link'] + ' ' + HOSTILE['remote image'])}")
    path = tmp_path_factory.mktemp("inert") / "2024-25.yaml"
    path.write_text(text, encoding="utf-8")
    return check_file(path)


def test_governance_measures_markdown_is_inert(hostile_check):
    from thscp_kg.analysis.outputs import governance_outputs
    from thscp_kg.rules.catalogue import load_catalogue

    out = governance_outputs(hostile_check.loaded, hostile_check.graph, load_catalogue(), layout="builtin")
    md = out.files["governance-measures.md"]
    assert "Learning" not in md or "&lt;script&gt;" in md
    assert _live_markup(md) == [], _live_markup(md)


def test_gap_report_markdown_is_inert(hostile_check):
    from thscp_kg.report import render

    md = render(hostile_check.assessment, "md")
    assert "\\[click me\\](javascript:alert(1))" in md
    assert _live_markup(md) == [], _live_markup(md)


@pytest.mark.parametrize("name", ["Borough\\nas_of: 2000-01-01", "Borough\\u2028as_of: 2000-01-01",
                                  "Borough\\rx", "Borough\\u0085as_of: 2000-01-01"])
def test_new_year_refuses_a_name_that_would_plant_a_field(tmp_path, capsys, name):
    """Before: the name went raw into the scaffold's header comment, and its second line became a field."""
    from thscp_kg.cli import main

    text = VALID.read_text(encoding="utf-8").replace("  name: Fixture Safeguarding Children Partnership",
                                                     f'  name: "{name}"')
    old = tmp_path / "2024-25.yaml"
    old.write_text(text, encoding="utf-8")
    assert main(["new-year", str(old), "2025-26"]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and "2024-25.yaml:6:" in err[0] and ("line break" in err[0] or "control character" in err[0])
    assert not (tmp_path / "2025-26.yaml").exists()


def test_new_year_header_is_one_comment_line_per_fact(tmp_path, capsys):
    """A name with quotes, '#' and ':' stays inside the first comment line; the scaffold loads."""
    from thscp_kg.cli import main

    name = 'Borough #1: "North" \'East\' as_of: 2000-01-01'
    text = VALID.read_text(encoding="utf-8").replace("  name: Fixture Safeguarding Children Partnership",
                                                     f"  name: {json.dumps(name)}")
    old = tmp_path / "2024-25.yaml"
    old.write_text(text, encoding="utf-8")
    assert main(["new-year", str(old), "2025-26"]) == 0
    new = (tmp_path / "2025-26.yaml").read_text(encoding="utf-8")
    assert new.splitlines()[0] == f"# {name}, reporting year 2025-26."
    assert "as_of" not in yaml.safe_load(new)
