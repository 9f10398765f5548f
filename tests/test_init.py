"""thscp-kg init: a blank, commented starter for a new partnership that loads and checks."""
from __future__ import annotations

import datetime as dt
import json

from thscp_kg.cli import main
from thscp_kg.load.loader import load_partnership_year
from thscp_kg.years.starter import last_complete_year


def test_init_writes_a_starter_that_loads_and_checks(tmp_path, capsys):
    assert main(["init", "north-borough", "--period", "2024-25", "--data-dir", str(tmp_path)]) == 0
    path = tmp_path / "north-borough" / "2024-25.yaml"
    text = path.read_text(encoding="utf-8")
    assert (tmp_path / "north-borough" / "sources" / "README.md").is_file()
    year = load_partnership_year(path).year
    assert year.partnership.id == "north-borough" and year.period.start == dt.date(2024, 4, 1)
    # Blank: no facts of any partnership, only questions.
    assert not (year.organisations or year.people or year.posts or year.documents or year.challenges)
    assert "tower hamlets" not in text.lower() and "thscp " not in text.lower()
    assert text.count("# Q:") >= 12
    out = tmp_path / "out"
    code = main(["check", str(path), "--format", "json", "--output-dir", str(out), "-q"])
    assert code in (0, 1)  # loads cleanly: findings, never bad input
    report = json.loads((out / "gap-report.json").read_text(encoding="utf-8"))
    assert report["partnership"] == "north-borough" and report["findings"]


def test_init_refuses_to_overwrite_and_bad_ids(tmp_path, capsys):
    args = ["init", "north-borough", "--period", "2024-25", "--data-dir", str(tmp_path)]
    assert main(args) == 0
    path = tmp_path / "north-borough" / "2024-25.yaml"
    path.write_text(path.read_text(encoding="utf-8") + "# edited\n", encoding="utf-8")
    assert main(args) == 2 and "already exists" in capsys.readouterr().err
    assert path.read_text(encoding="utf-8").endswith("# edited\n")
    assert main(["init", "North Borough", "--data-dir", str(tmp_path)]) == 2
    assert "is not a partnership id" in capsys.readouterr().err
    assert main(["init", "nb", "--period", "2024-26", "--data-dir", str(tmp_path)]) == 2


def test_default_period_is_the_latest_year_ended():
    assert last_complete_year(dt.date(2025, 3, 31)) == "2023-24"
    assert last_complete_year(dt.date(2025, 4, 1)) == "2024-25"
