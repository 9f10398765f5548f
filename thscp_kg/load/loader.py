"""Load step: a partnership-year YAML file becomes a validated ``PartnershipYear``.

Order: safe YAML (``yamlsafe``) → data-protection lint → model validation (``model``) →
cross-references (unknown and duplicate ids) → dates that cannot have happened by ``as_of``.
Every failure is a ``DataError`` naming ``file:line`` and the fix; nothing is built from a
file that fails.
"""
from __future__ import annotations

import datetime as dt
import difflib
import re
import typing
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any, Iterator

import yaml

from ..errors import DataError, is_validation_error
from .evidence import QuoteCheck, check_evidence
from ..model_values import ID_PATTERN, PERIOD_PATTERN, PREVIOUS_REPORT, earliest_day
from ..resources import resource_dir
from ..yamlsafe import YamlDocument, load_yaml
from .entity_caps import check_entity_counts

if TYPE_CHECKING:   # the run reads a plain copy of it (thscp_kg/plain.py); pydantic is imported to validate
    from pydantic import BaseModel, ValidationError

    from ..model import PartnershipYear

# Field names that would hold child-identifying data. The graph never holds such data;
# reviews are named by their published pseudonym or title only. A key is compared after
# lower-casing and turning spaces and punctuation into '_' ("Date of birth" → date_of_birth),
# and is refused if it is one of FORBIDDEN_FIELDS or contains one of FORBIDDEN_WORDS.
FORBIDDEN_FIELDS = {
    "date_of_birth", "dob", "birth_date", "address", "home_address", "postcode", "post_code",
    "case_number", "case_id", "case_ref", "nhs_number", "nhs_no", "upn", "child_name", "child",
    "children_names", "mosaic_id", "lcs_id", "ni_number", "nino", "national_insurance_number",
}
FORBIDDEN_WORDS = {
    "child", "children", "childs", "dob", "birth", "birthday", "birthdate", "address", "postcode", "nhs", "upn",
    "nino", "case", "pupil", "mosaic", "lcs",
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

    year: PartnershipYear   # its plain copy (thscp_kg/plain.py): the same values, read without pydantic
    document: YamlDocument
    data: dict = field(default_factory=dict)   # the validated model's model_dump(by_alias=True)
    locations: dict[str, Location] = field(default_factory=dict)  # "kind/id" -> location
    quote_checks: list[QuoteCheck] = field(default_factory=list)  # every quotation looked up in its source

    @property
    def file(self) -> str:
        return self.document.file

    def location(self, kind: str, local_id: str) -> Location | None:
        return self.locations.get(f"{kind}/{local_id}")

    def model(self) -> PartnershipYear:
        """The validated pydantic model itself (``year`` is its plain copy), validated again from the file's
        data: for what writes the data format back from it (``new-year``: ``model_dump``)."""
        from ..model import PartnershipYear

        return PartnershipYear.model_validate(self.document.data)


@lru_cache(maxsize=1)
def national_bodies() -> tuple[dict[str, Any], ...]:
    """Predefined national bodies (``catalogue/national-bodies.yaml``)."""
    with open(resource_dir("catalogue") / "national-bodies.yaml", encoding="utf-8") as fh:
        return tuple(yaml.safe_load(fh))


def load_partnership_year(path: Path | str, display: str | None = None,
                          document: YamlDocument | None = None, source_folder: Path | None = None) -> LoadedYear:
    """``document``: the file already read by ``load_yaml`` (the CLI reads it before the heavy imports).
    ``source_folder``: the folder source ``file:`` paths are read from (default: the data file's)."""
    path = Path(path)
    doc = document or load_yaml(path, display or _display(path))
    if not isinstance(doc.data, dict):
        kind = "a list" if isinstance(doc.data, list) else "a single value"
        raise DataError(f"the file holds {kind}, not the fields of a partnership-year.", file=doc.file,
                        line=doc.lines.get(()), fix="the file starts with fields such as 'partnership:', "
                        "'period:' and 'sources:'; compare data/tower-hamlets/2023-24.yaml.")
    _lint_privacy(doc)
    _lint_invisible_characters(doc)
    check_entity_counts(doc.data, doc.file, doc.line_of)  # before the graph stage can cost anything
    try:
        year, dumped = _validate(doc.data)
    except Exception as exc:   # pydantic's, when the file had to be validated
        if not is_validation_error(exc):
            raise
        raise _validation_error(exc, doc) from None
    loaded = LoadedYear(year=year, document=doc, data=dumped)
    _check_file_name(loaded, path)
    _check_references(loaded)
    _check_dates(loaded)
    loaded.quote_checks = check_evidence(year, doc, Path(source_folder or path.parent) / path.name)
    return loaded


def _validate(data: dict) -> tuple[PartnershipYear, dict]:
    """The plain copy of ``PartnershipYear.model_validate(data)`` and the model's
    ``model_dump(by_alias=True)`` (what the reference checks read); a cold process takes an unchanged
    file's pair from the compiled cache without importing pydantic (thscp_kg/resources.py ``validated``)."""
    from ..resources import validated

    here = Path(__file__).resolve()   # this module too: it says what is kept (_plain_and_dump)
    sources = [here, *(here.parent.parent / name for name in ("model.py", "model_values.py", "plain.py",
                                                             "safe_text.py"))]
    return validated("data", "thscp_kg.model:PartnershipYear", data, sources, derive=_plain_and_dump)


def _plain_and_dump(year: PartnershipYear) -> tuple[PartnershipYear, dict]:
    from ..plain import plain

    return plain(year), year.model_dump(by_alias=True)


def _display(path: Path) -> str:
    """A path as the user should see it (yamlsafe.display_path: links not followed)."""
    from ..yamlsafe import display_path

    return display_path(path)


@lru_cache(maxsize=4096)   # a file repeats its hundred or so keys a thousand times: 8 ms a file, decision 0033
def is_forbidden_field(key: str) -> bool:
    name = re.sub(r"([a-z0-9])([A-Z])|([A-Z])([A-Z][a-z])", r"\1\3_\2\4", key)  # dateOfBirth, NHSNumber
    name = re.sub(r"[^a-z0-9]+", "_", name.lower()).strip("_")
    return name in FORBIDDEN_FIELDS or bool(FORBIDDEN_WORDS & set(name.split("_")))


def _lint_privacy(doc: YamlDocument) -> None:
    for path in sorted(doc.lines, key=lambda p: doc.lines[p]):
        if path and isinstance(path[-1], str) and is_forbidden_field(path[-1]):
            raise DataError(
                f"the field '{path[-1]}' looks like child-identifying data (a date of birth, address, "
                "case or NHS number, or a child's name); this file must never hold such data.",
                file=doc.file, line=doc.lines[path],
                fix="delete the line; such details stay in the case record. Refer to a review only by "
                    "its published title or pseudonym.")


# Control characters (tab and line breaks excepted) and the Unicode bidirectional overrides,
# which can hide or visually reorder text in a report or a terminal ("Trojan Source").
INVISIBLE_CHARACTERS = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


def _lint_invisible_characters(doc: YamlDocument) -> None:
    for path, value in _walk(doc.data):
        for text in (value, path[-1] if path else None):
            found = INVISIBLE_CHARACTERS.search(text) if isinstance(text, str) else None
            if found:
                raise DataError(
                    f"a value contains an invisible control character (U+{ord(found.group()):04X}), which "
                    "could hide or reorder text in the reports.", file=doc.file, line=doc.line_of(path),
                    fix="retype the value; such characters come from copying text out of a PDF, a web "
                        "page or a Word document.")


_SCHEMA = "schema/partnership-year.schema.json"
_PATTERNS = {  # a pattern's text → what the value should look like, and how to fix it
    ID_PATTERN: ("is not a valid id", "ids use only lowercase letters a-z, digits 0-9 and hyphens, "
                 "e.g. 'tower-hamlets'; no spaces, capitals or accents."),
    PERIOD_PATTERN: ("is not a year pair", "write the first year and the last two digits of the next, "
                     "e.g. 2024-25."),
    "[A-Z]{3}": ("is not a currency code", "use the three-letter code in capitals, e.g. GBP."),
    "https?": ("is not a web address the checker accepts", "write the full address starting with "
               "https:// and without spaces, quotes or angle brackets (write a space as %20)."),
    "A-Za-z0-9_.-": ("is not a plain relative file path", "write the path relative to the data file, "
                     "e.g. sources/annual-report.txt: letters, digits, '.', '_', '-' and '/' only, no spaces."),
}


def _validation_error(exc: ValidationError, doc: YamlDocument) -> DataError:
    errors = exc.errors(include_url=False)
    # Report the error nearest the top of the file: that is where an editor looks first. A
    # misspelt field also makes a required one "missing"; the misspelling is the real problem.
    err = min(errors, key=lambda e: _error_line(e, doc) or 0)
    parent = _clean_loc(err["loc"])[:-1]
    err = next((e for e in errors if e["type"] == "extra_forbidden"
                and _clean_loc(e["loc"])[:-1] == parent), err)
    loc = _clean_loc(err["loc"])
    message, fix = _describe(err, loc)
    where = ".".join(str(p) for p in loc) or "top level"
    return DataError(f"{message} (at {where}).", file=doc.file, line=_error_line(err, doc), fix=fix)


def _error_line(err: dict, doc: YamlDocument) -> int | None:
    loc = _clean_loc(err["loc"])
    if err["type"] == "missing" and loc[:-1] in doc.lines:
        return doc.lines[loc[:-1]]
    return doc.line_of(loc)


def _describe(err: dict, loc: tuple) -> tuple[str, str]:
    """(what is wrong, how to fix it) in the terms of someone editing the YAML file."""
    kind, value, ctx = err["type"], err.get("input"), err.get("ctx") or {}
    field = next((str(p) for p in reversed(loc) if isinstance(p, str)), "value")
    shown = _short(value)
    if kind == "missing":
        place = "this entry" if len(loc) > 1 else "the top level of the file"
        return (f"required field '{field}' is missing",
                f"add '{field}:' to {place} (the fields are described in {_SCHEMA}).")
    if kind == "extra_forbidden":
        allowed = _fields_at(loc[:-1])
        close = difflib.get_close_matches(field, allowed, n=1, cutoff=0.6)
        if close:
            return f"unknown field '{field}'; did you mean '{close[0]}'?", f"rename it to '{close[0]}'."
        return f"unknown field '{field}'", f"check the spelling; the fields allowed here are: {', '.join(allowed)}."
    if kind == "value_error":
        text = err["msg"].removeprefix("Value error, ")
        what, _, fix = text.partition(" Fix: ")
        if isinstance(loc[-1], str) and not what.startswith(f"'{field}'"):
            what = f"'{field}': {what}"  # a field's own validator: name the field
        return what.rstrip("."), fix or "correct the value."
    if kind in ("string_type", "string_too_short") and (value is None or str(value).strip() == ""):
        return f"'{field}' is empty", f"write a value after '{field}:', or delete the line if the field is optional."
    if kind == "string_type":
        if isinstance(value, bool):
            return (f"'{field}' should be text, but YAML reads the value as {str(value).lower()} "
                    "(it does this for yes, no, on, off, true and false)",
                    f"put the value in quotes, e.g. {field}: \"no\".")
        if isinstance(value, (dict, list)):
            return (f"'{field}' should be one piece of text, not a list or indented fields",
                    f"write the text on the same line, after '{field}:'.")
        return (f"'{field}' should be text, but YAML reads {shown} as a number or date",
                f"put it in quotes: {field}: \"{shown}\".")
    if kind in ("model_type", "model_attributes_type", "dict_type"):
        required = [f"'{name}:'" for name in _fields_at(loc, required_only=True)]
        return (f"'{field}' should be a set of indented 'key: value' lines, not '{shown}'",
                f"write {', '.join(required) or 'its fields'} on indented lines below '{field}:'.")
    if kind == "list_type":
        return (f"'{field}' should be a list, not '{shown}'",
                "write each entry on its own line starting with '- ', or as [first, second].")
    if kind in ("bool_type", "bool_parsing"):
        return f"'{field}' should be true or false, not '{shown}'", "write true or false."
    if kind == "int_parsing_size":
        return f"'{field}' is far too large a number", "check the number; it has too many digits."
    if kind in ("int_type", "int_parsing", "int_from_float"):
        return f"'{field}' should be a whole number, not '{shown}'", "write digits only, e.g. 7."
    if kind in ("decimal_type", "decimal_parsing", "finite_number"):
        return (f"'{field}' should be a number, not '{shown}'",
                "write a plain number such as 50000 or 1250.50, without '£', commas or spaces.")
    if kind == "decimal_max_places":
        return (f"'{field}' has more than {ctx.get('decimal_places')} decimal places ({shown})",
                "round it to whole pence, e.g. 1250.50.")
    if kind in ("decimal_max_digits", "decimal_whole_digits"):
        return f"'{field}' is too large ({shown})", "check the number; amounts are in pounds, not pence."
    if kind == "greater_than_equal":
        fix = ("amounts are never negative: record spending under 'expenditure', not as a negative "
               "contribution." if field == "amount" else f"use a number of at least {ctx.get('ge')}.")
        return f"'{field}' must be at least {ctx.get('ge')}, not {shown}", fix
    if kind == "less_than_equal":
        return f"'{field}' must be at most {ctx.get('le')}, not {shown}", f"use a number of at most {ctx.get('le')}."
    if kind == "string_too_long":
        return (f"'{field}' is longer than {ctx.get('max_length')} characters",
                "shorten it; cite the source document in 'evidence' rather than copying long text.")
    if kind == "too_short":
        return f"'{field}' needs at least {ctx.get('min_length')} entry", f"add an entry under '{field}:'."
    if kind == "string_pattern_mismatch":
        pattern = str(ctx.get("pattern", ""))
        what, fix = next((v for k, v in _PATTERNS.items() if k == pattern or k in pattern),
                         ("is not in the expected form", f"see '{field}' in {_SCHEMA}."))
        message = f"'{shown}' {what} for '{field}'"
        odd = next((c for c in str(value) if ord(c) > 127), None)
        if odd:
            message += f": it contains '{odd}' (U+{ord(odd):04X}), which only looks like a plain letter or sign"
        return message, fix
    if kind == "enum":
        return (f"'{shown}' is not one of the allowed values for '{field}': {ctx.get('expected')}",
                "use one of the listed values.")
    if kind == "literal_error":
        return (f"'{shown}' is not allowed for '{field}': expected {ctx.get('expected')}",
                f"use {ctx.get('expected')}.")
    return f"'{field}': {err['msg']}", "correct the value."


def _fields_at(loc: tuple, required_only: bool = False) -> list[str]:
    """Field names (as written in YAML) of the model at ``loc``; [] when unknown."""
    from ..model import PartnershipYear

    model: Any = PartnershipYear
    for key in loc:
        if isinstance(key, int):
            continue
        fields = {f.alias or name: f for name, f in model.model_fields.items()}
        model = _model_in(fields[key].annotation) if key in fields else None
        if model is None:
            return []
    return [f.alias or name for name, f in model.model_fields.items() if f.is_required() or not required_only]


def _model_in(annotation: Any) -> type[BaseModel] | None:
    from pydantic import BaseModel

    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    return next(filter(None, (_model_in(arg) for arg in typing.get_args(annotation))), None)


def _clean_loc(loc: tuple) -> tuple:
    # pydantic adds the names of validators and enum/alias wrappers to the path; keep data keys.
    return tuple(p for p in loc if isinstance(p, int) or not str(p).startswith(("function-", "lax-", "json-")))


def _short(value: Any) -> str:
    text = str(value).lower() if isinstance(value, bool) else str(value)
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
    ("incident", ("serious_incidents",)),
    ("rapid-review", ("rapid_reviews",)),
    ("scrutiny-arrangement", ("scrutiny_arrangements",)),
    ("macpt", ("multi_agency_teams",)),
    ("information-request", ("information_requests",)),
    ("dataset", ("data_sets",)),
    ("challenge", ("challenges",)),
    ("meeting", ("meetings",)),
)


def _items(data: Any, path: tuple) -> Iterator[tuple[tuple, Any]]:
    node = data
    for key in path:
        node = node.get(key) if isinstance(node, dict) else None
    for i, item in enumerate(node or []):
        yield path + (i,), item


def _check_references(loaded: LoadedYear) -> None:
    # The validated model, not the raw YAML: ids are compared exactly as they will be used.
    doc, data = loaded.document, loaded.data
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
    need("organisation", (data.get("partnership") or {}).get("host_authority"),
         ("partnership", "host_authority"), orgs)
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
    for path, document in _items(data, ("documents",)):
        for i, ref in enumerate(document.get("reports_on", [])):
            need("review", ref, path + ("reports_on", i))
    for path, incident in _items(data, ("serious_incidents",)):
        for i, ref in enumerate(incident.get("notified_to", [])):
            need("organisation", ref, path + ("notified_to", i), orgs)
    for path, rapid in _items(data, ("rapid_reviews",)):
        need("incident", rapid.get("incident"), path + ("incident",))
    for path, review in _items(data, ("practice_reviews",)):
        need("rapid-review", review.get("rapid_review"), path + ("rapid_review",))
    for path, arrangement in _items(data, ("scrutiny_arrangements",)):
        need("organisation", arrangement.get("provider"), path + ("provider",), orgs)
        for i, ref in enumerate(arrangement.get("posts", [])):
            need("post", ref, path + ("posts", i))
    for path, team in _items(data, ("multi_agency_teams",)):
        for i, area in enumerate(team.get("areas", [])):
            need("area", area, path + ("areas", i))
        for i, member in enumerate(team.get("members", [])):
            need("organisation", member.get("nominated_by"), path + ("members", i, "nominated_by"), orgs)
            need("post", member.get("post"), path + ("members", i, "post"))
    for path, document in _items(data, ("documents",)):
        for i, ref in enumerate(document.get("responds_to", [])):
            need("challenge", ref, path + ("responds_to", i))
        publishers = document.get("published_by")
        for i, ref in enumerate(publishers if isinstance(publishers, list) else []):
            need("organisation", ref, path + ("published_by", i), orgs)
    received_pool = set(known["document"]) | ({PREVIOUS_REPORT} if data.get("previous_report") else set())
    for path, meeting in _items(data, ("meetings",)):
        for i, ref in enumerate(meeting.get("received", [])):
            need("document", ref, path + ("received", i), received_pool)
    for path, challenge in _items(data, ("challenges",)):
        response = challenge.get("response") or {}
        need("post", response.get("owner"), path + ("response", "owner"))
        need("priority", response.get("priority"), path + ("response", "priority"))
    for path, request in _items(data, ("information_requests",)):
        need("organisation", request.get("requester"), path + ("requester",), orgs)
        need("organisation", request.get("recipient"), path + ("recipient",), orgs)


def _walk(node: Any, path: tuple = ()) -> Iterator[tuple[tuple, Any]]:
    yield path, node
    if isinstance(node, dict):
        for key, value in node.items():
            yield from _walk(value, path + (key,))
    elif isinstance(node, list):
        for i, value in enumerate(node):
            yield from _walk(value, path + (i,))


def _check_dates(loaded: LoadedYear) -> None:
    """Refuse events dated after ``as_of``: the file says it is correct at that date, so they
    cannot have happened yet. (Start dates after ``as_of`` are fine: appointments are planned.)"""
    year, doc = loaded.year, loaded.document
    as_of = year.as_of
    if as_of is None:
        return
    plannable = "correct the date, or add 'planned: true' if it is only intended."
    other = "correct the date, or move 'as_of' to the date the information is correct at."
    events: list[tuple[tuple, Any, str, str]] = []  # (path, date, what happened, fix)
    for i, d in enumerate(year.documents):
        events.append((("documents", i, "published"), d.published, f"document '{d.id}' is published on", other))
        events.append((("documents", i, "presented_on"), d.presented_on, f"document '{d.id}' is presented on", other))
        events += [(("documents", i, "sign_offs", j, "date"), so.date,
                    f"the sign-off of '{d.id}' by post '{so.post}' is dated", plannable)
                   for j, so in enumerate(d.sign_offs) if not so.planned]
        events += [(("documents", i, "submissions", j, "sent"), sub.sent,
                    f"'{d.id}' is sent to '{sub.recipient}' on", plannable)
                   for j, sub in enumerate(d.submissions) if not sub.planned]
    for i, r in enumerate(year.practice_reviews):
        events += [(("practice_reviews", i, key), getattr(r, key), f"practice review '{r.id}' is {key} on", other)
                   for key in ("decided", "completed", "published")]
        if r.published_year and r.published_year > as_of.year:
            events.append((("practice_reviews", i, "published_year"), dt.date(r.published_year, 1, 1),
                           f"practice review '{r.id}' is published in", other))
    if year.previous_report:
        events.append((("previous_report", "published"), year.previous_report.published,
                       "the previous yearly report is published on", other))
    events += [(("meetings", i, "date"), m.date, f"meeting '{m.id}' is held on", other)
               for i, m in enumerate(year.meetings)]
    # An approximate date is refused only when even its earliest possible day is after as_of.
    late = [(doc.line_of(path) or 0, day, what, fix) for path, day, what, fix in events
            if earliest_day(day) and earliest_day(day) > as_of]
    if late:
        line, day, what, fix = min(late, key=lambda e: e[0])
        shown = day.year if what.endswith(" in") else day
        raise DataError(f"{what} {shown}, after the file's as_of date {as_of}: it cannot have happened yet.",
                        file=doc.file, line=line or None, fix=fix)
