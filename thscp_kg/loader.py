"""Load step: a partnership-year YAML file becomes a validated ``PartnershipYear``.

Order: safe YAML (``yamlsafe``) → data-protection lint → model validation (``model``) →
cross-references (unknown and duplicate ids). Every failure is a ``DataError`` naming
``file:line`` and the fix; nothing is built from a file that fails.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any, Iterator

import yaml
from pydantic import ValidationError

from .errors import DataError
from .model import PERIOD_PATTERN, PartnershipYear
from .resources import resource_dir
from .yamlsafe import YamlDocument, load_yaml

# Field names that would hold child-identifying data. The graph never holds such data;
# reviews are named by their published pseudonym or title only.
FORBIDDEN_FIELDS = {
    "date_of_birth", "dob", "birth_date", "address", "home_address", "postcode", "post_code",
    "case_number", "case_id", "case_ref", "nhs_number", "upn", "child_name", "child", "children_names",
    "mosaic_id", "lcs_id",
}


@dataclass(frozen=True)
class Location:
    file: str
    line: int | None

    def __str__(self) -> str:
        return f"{self.file}:{self.line}" if self.line else self.file


@dataclass
class LoadedYear:
    """A validated partnership-year with the source location of every entity."""

    year: PartnershipYear
    document: YamlDocument
    locations: dict[str, Location] = field(default_factory=dict)  # "kind/id" -> location

    @property
    def file(self) -> str:
        return self.document.file

    def location(self, kind: str, local_id: str) -> Location | None:
        return self.locations.get(f"{kind}/{local_id}")


@lru_cache(maxsize=1)
def national_bodies() -> tuple[dict[str, Any], ...]:
    """Predefined national bodies (``catalogue/national-bodies.yaml``)."""
    with open(resource_dir("catalogue") / "national-bodies.yaml", encoding="utf-8") as fh:
        return tuple(yaml.safe_load(fh))


def load_partnership_year(path: Path | str, display: str | None = None) -> LoadedYear:
    path = Path(path)
    doc = load_yaml(path, display or _display(path))
    if not isinstance(doc.data, dict):
        kind = "a list" if isinstance(doc.data, list) else f"a single value ({type(doc.data).__name__})"
        raise DataError(f"the file holds {kind}, not a partnership-year mapping.", file=doc.file, line=1,
                        fix="the file starts with keys such as 'partnership:', 'period:' and 'sources:'.")
    _lint_privacy(doc)
    try:
        year = PartnershipYear.model_validate(doc.data)
    except ValidationError as exc:
        raise _validation_error(exc, doc) from None
    loaded = LoadedYear(year=year, document=doc)
    _check_file_name(loaded, path)
    _check_references(loaded)
    return loaded


def _display(path: Path) -> str:
    """A path as the user should see it: relative to the working directory when possible."""
    try:
        return str(path.resolve().relative_to(Path.cwd().resolve()))
    except ValueError:
        return str(path)


def _lint_privacy(doc: YamlDocument) -> None:
    for path in sorted(doc.lines, key=lambda p: doc.lines[p]):
        if path and isinstance(path[-1], str) and path[-1].lower() in FORBIDDEN_FIELDS:
            raise DataError(
                f"field '{path[-1]}' would hold child-identifying data, which the checker refuses.",
                file=doc.file, line=doc.lines[path],
                fix="remove it; name reviews only by their published pseudonym or title.")


_MESSAGES = {
    "missing": "required field '{field}' is missing",
    "extra_forbidden": "unknown field '{field}'",
    "string_pattern_mismatch": "'{input}' is not a valid value for '{field}' ({hint})",
    "enum": "'{input}' is not one of the allowed values for '{field}': {expected}",
    "literal_error": "'{input}' is not allowed for '{field}': expected {expected}",
    "greater_than_equal": "'{field}' must be at least {ge} (got {input})",
    "less_than_equal": "'{field}' must be at most {le} (got {input})",
    "too_short": "'{field}' needs at least {min_length} entr{plural}",
}
_FIXES = {
    "missing": "add '{field}:' here (see schema/partnership-year.schema.json).",
    "extra_forbidden": "check the spelling; the allowed fields are listed in schema/partnership-year.schema.json.",
    "string_pattern_mismatch": "ids use lowercase letters, digits and hyphens; periods look like 2023-24.",
    "enum": "use one of the listed values.",
}


def _validation_error(exc: ValidationError, doc: YamlDocument) -> DataError:
    errors = exc.errors(include_url=False)
    # Report the error nearest the top of the file: that is where an editor looks first.
    err = min(errors, key=lambda e: doc.line_of(_clean_loc(e["loc"])) or 0)
    loc = _clean_loc(err["loc"])
    field_name = next((str(p) for p in reversed(loc) if isinstance(p, str)), "value")
    ctx = {k: v for k, v in (err.get("ctx") or {}).items()}
    values = {"field": field_name, "input": _short(err.get("input")), "hint": "see the schema",
              "plural": "y" if ctx.get("min_length") == 1 else "ies", **ctx}
    if err["type"] == "string_pattern_mismatch" and "a-z0-9" in str(ctx.get("pattern", "")):
        values["hint"] = "lowercase letters, digits and hyphens, starting with a letter or digit"
    template = _MESSAGES.get(err["type"])
    if template:
        message = template.format(**values)
    else:
        message = f"'{field_name}': {err['msg'].removeprefix('Value error, ')}"
    where = ".".join(str(p) for p in loc) or "top level"
    fix = _FIXES.get(err["type"], "correct the value.").format(**values)
    line = doc.line_of(loc)
    if err["type"] == "missing" and loc[:-1] in doc.lines:
        line = doc.lines[loc[:-1]]
    return DataError(f"{message} (at {where}).", file=doc.file, line=line, fix=fix)


def _clean_loc(loc: tuple) -> tuple:
    # pydantic adds the names of validators and enum/alias wrappers to the path; keep data keys.
    return tuple(p for p in loc if isinstance(p, int) or not str(p).startswith(("function-", "lax-", "json-")))


def _short(value: Any) -> str:
    text = str(value)
    return text if len(text) <= 60 else text[:57] + "..."


def _check_file_name(loaded: LoadedYear, path: Path) -> None:
    year = loaded.year
    if re.match(PERIOD_PATTERN, path.stem) and path.stem != year.period.id:
        raise DataError(f"the file is named {path.name} but its period id is '{year.period.id}'.",
                        file=loaded.file, line=loaded.document.line_of(("period", "id")),
                        fix=f"rename the file to {year.period.id}.yaml or correct 'period: id:'.")


# (kind, collection path, id field) for everything that can be referred to by id.
_REGISTRIES = (
    ("source", ("sources",)),
    ("area", ("partnership", "areas")),
    ("organisation", ("organisations",)),
    ("person", ("people",)),
    ("post", ("posts",)),
    ("group", ("groups",)),
    ("board", ("linked_boards",)),
    ("priority", ("priorities",)),
    ("document", ("documents",)),
    ("review", ("practice_reviews",)),
    ("dataset", ("data_sets",)),
)


def _items(data: Any, path: tuple) -> Iterator[tuple[tuple, Any]]:
    node = data
    for key in path:
        node = node.get(key) if isinstance(node, dict) else None
    for i, item in enumerate(node or []):
        yield path + (i,), item


def _check_references(loaded: LoadedYear) -> None:
    doc, data = loaded.document, loaded.document.data
    known: dict[str, dict[str, tuple]] = {}
    national = {b["id"] for b in national_bodies()}
    for kind, coll in _REGISTRIES:
        ids = known.setdefault(kind, {})
        for path, item in _items(data, coll):
            local = item["id"]
            if local in ids:
                raise DataError(f"duplicate {kind} id '{local}' (first used on line {doc.line_of(ids[local])}).",
                                file=doc.file, line=doc.line_of(path + ("id",)),
                                fix="give each entry its own id.")
            if kind == "organisation" and local in national:
                raise DataError(f"organisation id '{local}' is a predefined national body.", file=doc.file,
                                line=doc.line_of(path + ("id",)),
                                fix="refer to it by id without defining it, or choose another id.")
            ids[local] = path
            loaded.locations[f"{kind}/{local}"] = Location(doc.file, doc.line_of(path))
    orgs = set(known["organisation"]) | national

    def need(kind: str, value: Any, path: tuple, pool: set[str] | None = None) -> None:
        if value is None:
            return
        pool = pool if pool is not None else set(known[kind])
        if value not in pool:
            close = sorted(pool)[:12]
            raise DataError(f"unknown {kind} '{value}' (known: {', '.join(close) or 'none'}).",
                            file=doc.file, line=doc.line_of(path),
                            fix=f"correct the id or add the {kind} to the file.")

    for path, item in _walk(data):
        if isinstance(item, dict) and "source" in item and "section" in item:
            need("source", item["source"], path + ("source",))
    for path, org in _items(data, ("organisations",)):
        for i, area in enumerate(org.get("areas", [])):
            need("area", area, path + ("areas", i))
    for path, sp in _items(data, ("safeguarding_partners",)):
        need("organisation", sp["organisation"], path + ("organisation",), orgs)
    for path, post in _items(data, ("posts",)):
        need("organisation", post.get("organisation"), path + ("organisation",), orgs)
        need("organisation", post.get("for_partner"), path + ("for_partner",), orgs)
        for i, tenure in enumerate(post.get("holders", [])):
            need("person", tenure["person"], path + ("holders", i, "person"))
    for path, group in _items(data, ("groups",)):
        need("group", group.get("reports_to"), path + ("reports_to",))
        need("post", group.get("chair"), path + ("chair",))
        for key, kind, pool in (("chair_rotates_between", "organisation", orgs),
                                ("member_organisations", "organisation", orgs),
                                ("member_posts", "post", None)):
            for i, ref in enumerate(group.get(key, [])):
                need(kind, ref, path + (key, i), pool)
    for path, prio in _items(data, ("priorities",)):
        need("organisation", prio.get("lead_organisation"), path + ("lead_organisation",), orgs)
        need("post", prio.get("lead_post"), path + ("lead_post",))
        need("group", prio.get("delivered_by"), path + ("delivered_by",))
    for path, document in _items(data, ("documents",)):
        need("document", document.get("presents"), path + ("presents",))
        for i, ref in enumerate(document.get("contributors", [])):
            need("post", ref, path + ("contributors", i))
        for i, so in enumerate(document.get("sign_offs", [])):
            need("post", so["post"], path + ("sign_offs", i, "post"))
        for i, sub in enumerate(document.get("submissions", [])):
            need("organisation", sub["recipient"], path + ("submissions", i, "recipient"), orgs)
    funding = data.get("funding") or {}
    for i, contribution in enumerate(funding.get("contributions", [])):
        need("organisation", contribution["contributor"], ("funding", "contributions", i, "contributor"), orgs)
    for path, ds in _items(data, ("data_sets",)):
        need("group", ds.get("owner_group"), path + ("owner_group",))


def _walk(node: Any, path: tuple = ()) -> Iterator[tuple[tuple, Any]]:
    yield path, node
    if isinstance(node, dict):
        for key, value in node.items():
            yield from _walk(value, path + (key,))
    elif isinstance(node, list):
        for i, value in enumerate(node):
            yield from _walk(value, path + (i,))
