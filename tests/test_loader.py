"""The load step: good files load with every entity's line; bad ones fail with file:line and a fix.

The full bad-input corpus runs through the command line in test_bad_inputs.py; these tests
pin the loader's own rules in-process: what is allowed (so the checks do not over-reach),
the data-protection lint, and that messages do not depend on whether libyaml is installed.
"""
from __future__ import annotations

import typing

import pytest
import yaml
from conftest import REQUIREMENT_FIXTURES, ROOT, THSCP_2023_24
from pydantic import BaseModel

from thscp_kg import model, yamlsafe
from thscp_kg.errors import DataError, is_validation_error
from thscp_kg.load.loader import is_forbidden_field, load_partnership_year

BAD = ROOT / "tests" / "bad_inputs"
VALID_TEXT = (BAD / "valid.yaml").read_text(encoding="utf-8")


def variant(old: str, new: str) -> str:
    assert VALID_TEXT.count(old) == 1, old
    return VALID_TEXT.replace(old, new)


def load_text(tmp_path, text: str | bytes, name: str = "year.yaml"):
    path = tmp_path / name
    path.write_bytes(text if isinstance(text, bytes) else text.encode("utf-8"))
    return load_partnership_year(path, name)


def error_of(tmp_path, text: str | bytes, name: str = "year.yaml") -> str:
    with pytest.raises(DataError) as caught:
        load_text(tmp_path, text, name)
    message = str(caught.value)
    assert "\n" not in message and " Fix: " in message
    return message


# -- good input -------------------------------------------------------------------------------------

def test_bundled_data_and_every_fixture_load():
    load_partnership_year(THSCP_2023_24)
    fixtures = [p for p in REQUIREMENT_FIXTURES.rglob("*.yaml") if p.name != "expected.yaml"]
    assert len(fixtures) > 20
    for path in fixtures:
        load_partnership_year(path)


def test_every_entity_knows_its_line():
    loaded = load_partnership_year(THSCP_2023_24, "data/tower-hamlets/2023-24.yaml")
    lines = THSCP_2023_24.read_text(encoding="utf-8").splitlines()
    for key, location in loaded.locations.items():
        kind, local = key.split("/", 1)
        text = lines[location.line - 1]
        assert local in text or (kind == "area" and "id:" in text), (key, location, text)
    assert str(loaded.location("person", "steve-reddy")).startswith("data/tower-hamlets/2023-24.yaml:")


@pytest.mark.parametrize("old,new", [
    # Dates after as_of that are NOT impossible: planned or future-facing facts.
    ("        from: 2020-01-01", "        from: 2026-01-01"),  # an appointment starting later
    ("        date: 2025-09-20", "        date: 2026-01-20\n        planned: true"),  # an intended sign-off
    ("        sent: 2025-10-01", "        sent: 2026-01-20\n        planned: true"),  # an intended submission
    ("    date: 2025-09-30", "    date: 2026-01-05"),  # a source written later, describing this year
    ("      end: 2025-03-31", "      end: 2026-03-31"),  # a plan covering a later period
    ("    kind: police\n", "    kind: police\n    from: 2026-04-01\n"),  # an organisation created later
    ("as_of: 2025-12-01\n", ""),  # no as_of: nothing to compare with
    ("        from: 2020-01-01", "        from: 2020-01-01\n        until: 2020-01-01"),  # a one-day tenure
])
def test_allowed_dates_load(tmp_path, old, new):
    load_text(tmp_path, variant(old, new))


def test_ids_are_compared_as_validated(tmp_path):
    """Surrounding spaces are trimmed by the model; the reference check sees the trimmed id."""
    loaded = load_text(tmp_path, variant("    - id: borough\n", '    - id: " borough "\n'))
    assert loaded.year.partnership.areas[0].id == "borough"


def test_utf8_bom_and_windows_line_endings_load_with_the_right_lines(tmp_path):
    text = "\ufeff" + VALID_TEXT.replace("\n", "\r\n")
    loaded = load_text(tmp_path, text.encode("utf-8"))
    assert loaded.location("person", "alex-jones").line == VALID_TEXT.splitlines().index("  - id: alex-jones") + 1


# -- impossible dates ---------------------------------------------------------------------------------

@pytest.mark.parametrize("old,new,expected", [
    ("    published: 2025-06-01", "    published: 2025-06-01\n    decided: 2026-02-01",
     "practice review 'review-a' is decided on 2026-02-01, after the file's as_of date 2025-12-01"),
    ("    published: 2025-06-01", "    published_year: 2026",
     "practice review 'review-a' is published in 2026, after the file's as_of date 2025-12-01"),
    ("    published: 2025-09-30", "    published: 2025-09-30\n    presented_on: 2026-01-10",
     "document 'yearly-report' is presented on 2026-01-10, after the file's as_of date 2025-12-01"),
    ("practice_reviews:", "previous_report:\n  title: Yearly report 2023-24\n  published: 2026-01-01\npractice_reviews:",
     "the previous yearly report is published on 2026-01-01, after the file's as_of date 2025-12-01"),
])
def test_events_after_as_of_are_refused(tmp_path, old, new, expected):
    message = error_of(tmp_path, variant(old, new))
    assert expected in message and "it cannot have happened yet" in message


def test_the_earliest_impossible_date_is_reported(tmp_path):
    text = variant("        date: 2025-09-20", "        date: 2026-01-20")
    text = text.replace("    published: 2025-06-01", "    published: 2026-06-01")
    line = text.splitlines().index("        date: 2026-01-20") + 1
    assert error_of(tmp_path, text).startswith(f"year.yaml:{line}: the sign-off of 'yearly-report'")


# -- data protection ----------------------------------------------------------------------------------

FORBIDDEN = ["date_of_birth", "DOB", "dob", "Date of birth", "Date-Of-Birth", "dateOfBirth", "birthDate", "birthday",
             "child_address", "Home Address", "address", "postcode", "Post Code", "nhs_no", "NHS Number",
             "NHSNumber", "nhs", "case_number", "Case Ref", "caseNumber", "case-id", "upn", "UPN", "child_name",
             "Child", "childs_name", "children_names", "mosaic_id", "LCS ID", "pupil_number", "nino", "NI number"]


@pytest.mark.parametrize("key", FORBIDDEN)
def test_child_identifying_fields_are_refused_wherever_they_are(tmp_path, key):
    assert is_forbidden_field(key)
    text = variant("    status: published\n", f"    status: published\n    {key}: 2015-03-02\n")
    line = text.splitlines().index(f"    {key}: 2015-03-02") + 1
    assert error_of(tmp_path, text) == (
        f"year.yaml:{line}: the field '{key}' looks like child-identifying data (a date of birth, address, case "
        "or NHS number, or a child's name); this file must never hold such data. Fix: delete the line; such "
        "details stay in the case record. Refer to a review only by its published title or pseudonym.")


def test_the_privacy_lint_runs_before_anything_else(tmp_path):
    """Even inside an otherwise broken entry, the privacy problem is what is reported."""
    text = variant("  - id: alex-jones\n    name: Alex Jones\n", "  - child_name: X\n")
    assert "looks like child-identifying data" in error_of(tmp_path, text)


def _schema_field_names(cls: type[BaseModel], seen: set) -> set[str]:
    if cls in seen:
        return set()
    seen.add(cls)
    names = set()
    for name, field in cls.model_fields.items():
        names.add(field.alias or name)
        stack = [field.annotation]
        while stack:
            t = stack.pop()
            if isinstance(t, type) and issubclass(t, BaseModel):
                names |= _schema_field_names(t, seen)
            stack.extend(typing.get_args(t))
    return names


def test_no_field_of_the_format_is_mistaken_for_child_data():
    names = _schema_field_names(model.PartnershipYear, set())
    assert len(names) > 60
    assert not [n for n in names if is_forbidden_field(n)]


# -- messages -----------------------------------------------------------------------------------------

def test_a_misspelt_field_is_reported_rather_than_the_field_it_hides(tmp_path):
    text = variant("    title: Yearly report 2024-25", "    titel: Yearly report 2024-25")
    line = text.splitlines().index("    titel: Yearly report 2024-25") + 1
    assert error_of(tmp_path, text) == (f"year.yaml:{line}: unknown field 'titel'; did you mean 'title'? "
                                        "(at documents.0.titel). Fix: rename it to 'title'.")


def test_an_unknown_field_with_no_close_match_lists_the_allowed_ones(tmp_path):
    text = variant("    name: Alex Jones\n", "    name: Alex Jones\n    favourite_colour: blue\n")
    line = text.splitlines().index("    favourite_colour: blue") + 1
    assert error_of(tmp_path, text) == (
        f"year.yaml:{line}: unknown field 'favourite_colour' (at people.0.favourite_colour). "
        "Fix: check the spelling; the fields allowed here are: id, name, evidence.")


def test_the_error_nearest_the_top_is_reported(tmp_path):
    text = variant("    kind: police\n", "    kind: police-force\n").replace("    name: Alex Jones", '    name: ""')
    line = text.splitlines().index("    kind: police-force") + 1
    assert error_of(tmp_path, text).startswith(f"year.yaml:{line}: 'police-force' is not one of the allowed values")


@pytest.mark.parametrize("value", [".nan", "-.inf", "1.0e+400", "0x1F", "1_000.5", "'50000'", "[50000]", "{}", "~"])
def test_odd_numbers_load_or_fail_cleanly(tmp_path, value):
    text = variant("        amount: 50000", f"        amount: {value}")
    try:
        load_text(tmp_path, text)
    except DataError as exc:
        line = text.splitlines().index(f"        amount: {value}") + 1
        if value in ("1.0e+400", "0x1F", "1_000.5"):  # YAML 1.1 number forms: refused where they stand (issue 14 #9)
            assert str(exc).startswith(f"year.yaml:{line}: '{value}' is not a plain decimal number"), str(exc)
        else:
            assert "year.yaml:" in str(exc) and "(at funding.contributions.0.amount.amount)" in str(exc)


# -- libyaml and pure-Python YAML give the same messages ---------------------------------------------

YAML_LEVEL = sorted(name for name in yaml.safe_load((BAD / "expected.yaml").read_text(encoding="utf-8"))["cases"]
                    if name.startswith(("yaml-", "file-")))


@pytest.mark.parametrize("name", YAML_LEVEL)
def test_messages_do_not_depend_on_libyaml(monkeypatch, name):
    expected = yaml.safe_load((BAD / "expected.yaml").read_text(encoding="utf-8"))["cases"][name]
    display = f"tests/bad_inputs/{name}"
    for loader in {yaml.SafeLoader, getattr(yaml, "CSafeLoader", yaml.SafeLoader)}:
        monkeypatch.setattr(yamlsafe, "_LOADER", loader)
        with pytest.raises(DataError) as caught:
            load_partnership_year(BAD / name, display)
        assert f"thscp-kg: error: {caught.value}" == expected, loader.__name__


def test_a_device_is_read_only_up_to_the_limit(tmp_path):
    if not (dev := __import__("pathlib").Path("/dev/zero")).exists():
        pytest.skip("no /dev/zero here")
    with pytest.raises(DataError, match="more than 1,000 bytes; the limit is 1,000"):
        yamlsafe.read_text_limited(dev, "/dev/zero", max_bytes=1000)


# -- ids are pattern-checked before they become IRIs or folder names ----------------------------------

REFERENCE_FIELDS = {
    "id", "source", "organisation", "person", "post", "for_partner", "reports_to", "chair", "chair_rotates_between",
    "member_organisations", "member_posts", "lead_organisation", "lead_post", "delivered_by", "presents",
    "contributors", "recipient", "contributor", "owner_group", "reports_on", "notified_to", "incident",
    "rapid_review", "requester",
}


def _all_models(cls: type[BaseModel], seen: set) -> set:
    if cls not in seen:
        seen.add(cls)
        for field in cls.model_fields.values():
            stack = [field.annotation]
            while stack:
                t = stack.pop()
                if isinstance(t, type) and issubclass(t, BaseModel):
                    _all_models(t, seen)
                stack.extend(typing.get_args(t))
    return seen


def test_every_id_and_reference_field_has_the_id_pattern():
    checked = []
    for cls in _all_models(model.PartnershipYear, set()):
        for name, field in cls.model_fields.items():
            described_as_id = " id" in f" {field.description or ''}" and "str" in repr(field.annotation)
            if name in REFERENCE_FIELDS or described_as_id:
                if name == "contributors" and "int" in repr(field.annotation):
                    continue  # DataSet.contributors is a count, not a list of post ids
                text = repr(field.annotation) + repr(field.metadata)
                assert model.ID_PATTERN in text or model.PERIOD_PATTERN in text, f"{cls.__name__}.{name}"
                checked.append(f"{cls.__name__}.{name}")
    assert len(checked) > 30


def test_error_messages_never_carry_raw_control_characters(tmp_path):
    name = "odd\x1b[2J.yaml"  # a terminal escape in a file name: shown as a code, never sent raw
    (tmp_path / name).write_text("")
    with pytest.raises(DataError) as caught:
        load_partnership_year(tmp_path / name, name)
    assert str(caught.value) == ("odd\\u001b[2J.yaml: the file is empty. Fix: run 'thscp-kg new-year <last year's "
                                 "file> <period>', or copy data/tower-hamlets/2023-24.yaml and edit it.")


def test_the_suite_s_kept_parses_and_validations_equal_fresh_ones():
    """tests/conftest.py keeps each YAML parse and each validated year for the rest of the process: a kept
    result is a fresh object equal to what a new call gives, changed input is worked out again, and
    refused input is refused at every call."""
    import pickle

    from thscp_kg.load import loader

    kept_parse, kept_validate = yamlsafe.parse_yaml, loader._validate
    assert kept_parse.fresh is not kept_parse and kept_validate.fresh is not kept_validate, "not in place"
    text = THSCP_2023_24.read_text(encoding="utf-8")
    first, second = kept_parse(text, "a.yaml"), kept_parse(text, "a.yaml")
    fresh = kept_parse.fresh(text, "a.yaml")
    assert first is not second and first.data is not second.data
    assert pickle.dumps(second) == pickle.dumps(fresh) and second.lines == fresh.lines and second.data == fresh.data
    assert kept_parse(text + "\nextra: 1\n", "a.yaml").data["extra"] == 1
    for _ in range(2):
        with pytest.raises(DataError, match="anchors and aliases"):
            kept_parse("a: &x 1\nb: *x\n", "b.yaml")

    (year, dumped), (again, dumped_again) = kept_validate(fresh.data), kept_validate(fresh.data)
    new_year, new_dumped = kept_validate.fresh(fresh.data)
    assert again is not year and dumped_again is not dumped
    assert again == new_year and dumped_again == new_dumped   # Plain copies compare by kind and value, deeply
    renamed = {**fresh.data, "partnership": {**fresh.data["partnership"], "name": "Another name"}}
    assert kept_validate(renamed)[0].partnership.name == "Another name"
    broken = {**fresh.data, "period": {**fresh.data["period"], "start": "not a date"}}
    for _ in range(2):
        with pytest.raises(Exception) as caught:
            kept_validate(broken)
        assert is_validation_error(caught.value)
