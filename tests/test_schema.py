"""The published JSON Schema is generated from the loader's models and kept in step by test."""
from __future__ import annotations

import json
from pathlib import Path

import jsonschema
from conftest import REQUIREMENT_FIXTURES, ROOT, THSCP_2023_24, yaml_load

from thscp_kg.load.schema import schema_text

SCHEMA = ROOT / "schema" / "partnership-year.schema.json"


def test_committed_schema_is_generated_from_the_models():
    assert SCHEMA.read_text() == schema_text(), "run './thscp-kg schema -o schema/partnership-year.schema.json'"


def _as_json(path: Path):
    # YAML dates load as date objects; the schema sees them as the strings a file holds.
    return json.loads(json.dumps(yaml_load(path.read_text()), default=str))


def test_bundled_data_and_fixtures_validate_against_the_schema():
    schema = json.loads(SCHEMA.read_text())
    validator = jsonschema.Draft202012Validator(schema)
    for path in [THSCP_2023_24, *sorted(REQUIREMENT_FIXTURES.glob("*/*.yaml"))]:
        if path.name == "expected.yaml":
            continue
        errors = sorted(validator.iter_errors(_as_json(path)), key=str)
        assert errors == [], f"{path}: {errors[0].message if errors else ''}"


def test_schema_rejects_what_the_loader_rejects():
    schema = json.loads(SCHEMA.read_text())
    data = _as_json(THSCP_2023_24)
    data["organisations"][0]["kind"] = "parish-council"
    assert list(jsonschema.Draft202012Validator(schema).iter_errors(data))
    data = _as_json(THSCP_2023_24)
    data["unexpected_field"] = 1
    assert list(jsonschema.Draft202012Validator(schema).iter_errors(data))
