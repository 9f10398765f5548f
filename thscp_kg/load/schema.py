"""The JSON Schema of the data format, generated from the pydantic models (never edited by hand)."""
from __future__ import annotations

import json

from ..model import DATE_VALUE_SCHEMA, PartnershipYear

SCHEMA_ID = "https://w3id.org/thscp-kg/schema/partnership-year.schema.json"


def schema_dict() -> dict:
    schema = _hoist_dates(PartnershipYear.model_json_schema(by_alias=True, mode="validation"))
    schema.setdefault("$defs", {})["DateValue"] = DATE_VALUE_SCHEMA
    return {"$schema": "https://json-schema.org/draft/2020-12/schema", "$id": SCHEMA_ID, **schema}


def _hoist_dates(node):
    """Every inlined copy of the (possibly approximate) date schema becomes one $ref to $defs/DateValue."""
    if isinstance(node, list):
        return [_hoist_dates(v) for v in node]
    if not isinstance(node, dict):
        return node
    if node.get("anyOf") == DATE_VALUE_SCHEMA["anyOf"]:
        rest = {k: v for k, v in node.items() if k not in ("anyOf", "description") or
                (k == "description" and v != DATE_VALUE_SCHEMA["description"])}
        return {"$ref": "#/$defs/DateValue", **rest}
    return {k: _hoist_dates(v) for k, v in node.items()}


def schema_text() -> str:
    return json.dumps(schema_dict(), indent=2, sort_keys=True, ensure_ascii=False) + "\n"
