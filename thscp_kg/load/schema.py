"""The JSON Schema of the data format, generated from the pydantic models (never edited by hand)."""
from __future__ import annotations

import json

from ..model import PartnershipYear

SCHEMA_ID = "https://w3id.org/thscp-kg/schema/partnership-year.schema.json"


def schema_dict() -> dict:
    schema = PartnershipYear.model_json_schema(by_alias=True, mode="validation")
    return {"$schema": "https://json-schema.org/draft/2020-12/schema", "$id": SCHEMA_ID, **schema}


def schema_text() -> str:
    return json.dumps(schema_dict(), indent=2, sort_keys=True, ensure_ascii=False) + "\n"
