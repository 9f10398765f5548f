"""The people's side of the year: ``assessments.yaml``, ``signoffs.yaml`` and ``actions.yaml``.

Three files beside the data files in ``data/<partnership>/``, each holding every year's entries:

* **assessments** — the scrutineer's (or another post holder's) judgements: for requirements a
  person must assess (``assessment: manual`` in the catalogue) and challenges to automated
  ones. Each names the requirement, optionally the entity (``kind/id``), the judgement
  (``met``, ``not-met``, ``cannot-tell``), the rationale, the evidence (sources from the data
  file), the assessor (a post or person id in the data) and the date. For one requirement and
  entity the latest judgement dated on or before the as-of date counts; one dated before the
  period starts is *stale*.
* **signoffs** — which lead safeguarding partner signed which year's report, when, against the
  report's content hash (``thscp-kg sign`` writes them; thscp_kg/report/people.py defines the hash).
* **actions** — the action plan: each item with an owner (a post id), a due date, optionally
  the requirement and entity it answers and the date it was done; ``period`` is the year it
  belongs to and ``carried_from`` the year ``new-year`` carried it from.

Read with the same safe YAML loader and strict models as the data and waiver files: one
``file:line`` error, exit 2, before any validation runs.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from enum import Enum
from pathlib import Path
from typing import TYPE_CHECKING

from ..errors import ConfigError, is_validation_error
from ..yamlsafe import YamlDocument, load_yaml, read_text_limited
from .loader import LoadedYear
from .waivers import _display, _lead_partner, _people_behind, _validate, known_focus, side_file_error, vacant

if TYPE_CHECKING:   # types only: the models import pydantic, a run reads their plain copies
    from pydantic import ValidationError

    from ..rules.catalogue import Catalogue
    from .side_models import ActionRecord, AssessmentRecord, SignoffRecord

ASSESSMENTS = "assessments.yaml"
SIGNOFFS = "signoffs.yaml"
ACTIONS = "actions.yaml"


class Judgement(str, Enum):   # here, not in side_models: the plain copies hold it
    met = "met"
    not_met = "not-met"
    cannot_tell = "cannot-tell"


@dataclass
class PeopleFiles:
    """What was read, each record with its ``file:line``."""

    assessments: list[tuple[AssessmentRecord, str]] = field(default_factory=list)
    signoffs: list[tuple[SignoffRecord, str]] = field(default_factory=list)
    actions: list[tuple[ActionRecord, str]] = field(default_factory=list)
    files: dict[str, str] = field(default_factory=dict)   # kind -> file shown in the report


FILE_HELP = {
    "assessments": "each assessment has requirement, judgement (met, not-met or cannot-tell), rationale, assessor "
                   "and date; entity and evidence are optional",
    "signoffs": "each sign-off has period, signer, date and report_hash (thscp-kg sign writes them)",
    "actions": "each action has id, period, action, owner and due; requirement, entity, done and carried_from "
               "are optional",
}
MODEL_NAMES = {"assessments": "AssessmentFile", "signoffs": "SignoffFile", "actions": "ActionFile"}  # side_models
NAMES = {"assessments": ASSESSMENTS, "signoffs": SIGNOFFS, "actions": ACTIONS}


def read_records(path: Path, kind: str, display: str | None = None) -> tuple[list, YamlDocument | None, str]:
    """Parse one file into its records (no cross-checks): (records, document, display name)."""
    display = display or _display(path)
    text = read_text_limited(path, display)
    if all(not line.strip() or line.lstrip().startswith("#") for line in text.splitlines()):
        return [], None, display
    doc = load_yaml(path, display)
    if doc.data is None:
        doc.data = {}
    if not isinstance(doc.data, dict):
        raise ConfigError(f"the {kind} file is a mapping with a '{kind}:' list.", file=display, line=1,
                          fix=f"start the file with '{kind}:'.")
    try:
        parsed = _validate(MODEL_NAMES[kind], doc.data, "people")
    except Exception as exc:   # pydantic's, when the file had to be validated
        if not is_validation_error(exc):
            raise
        raise _validation_error(exc, doc, kind) from None
    return list(getattr(parsed, kind)), doc, display


def load_people(folder: Path, loaded: LoadedYear, catalogue: Catalogue) -> PeopleFiles:
    """Read and cross-check the three files in ``folder`` (each optional)."""
    out = PeopleFiles()
    for kind in ("assessments", "signoffs", "actions"):
        path = folder / NAMES[kind]
        if not path.is_file():
            continue
        records, doc, display = read_records(path, kind)
        out.files[kind] = display
        for i, record in enumerate(records):
            line = (doc.line_of((kind, i)) or 1) if doc else 1
            _cross_check(kind, record, loaded, catalogue, display, doc, i)
            getattr(out, kind).append((record, f"{display}:{line}"))
        if kind == "actions":
            seen: dict[tuple, int] = {}
            for i, (record, where) in enumerate(out.actions):
                key = (record.id, record.period)
                if key in seen:
                    raise ConfigError(f"two actions '{record.id}' in {record.period}.", file=display,
                                      line=doc.line_of(("actions", i)), fix="give each action of a year its own id.")
                seen[key] = i
    return out


def _cross_check(kind: str, record, loaded: LoadedYear, catalogue: Catalogue, display: str,
                 doc: YamlDocument | None, i: int) -> None:
    """The references only the data file can settle: requirement, entity, posts, sources."""
    year = loaded.year

    def fail(message: str, key: str, fix: str) -> None:
        raise ConfigError(f"{kind[:-1]} {i + 1}: {message}", file=display,
                          line=doc.line_of((kind, i, key)) if doc else None, fix=fix)

    # Entries for other years name posts and entities of those years: check only this year's.
    if kind != "assessments" and record.period != year.period.id:
        return
    requirement = getattr(record, "requirement", None)
    if requirement:
        try:
            catalogue.get(requirement)
        except KeyError:
            fail(f"no requirement '{requirement}' in the catalogue.", "requirement",
                 "run 'thscp-kg rules' to list the ids.")
    entity = getattr(record, "entity", None)
    if entity and entity not in known_focus(loaded):
        fail(f"no entity '{entity}' in {loaded.file}.", "entity",
             "write the entity as 'kind/id' as the gap report shows it, e.g. document/annual-report-2023-24.")
    if kind == "assessments":
        if _people_behind(record.assessor, year, record.date) is None:
            fail(f"assessor '{record.assessor}' is not a post or person in {loaded.file}.", "assessor",
                 "name the assessor's post id, e.g. independent-scrutineer.")
        sources = {s.id for s in year.sources}
        for e in record.evidence:
            if e.source not in sources:
                fail(f"evidence source '{e.source}' is not a source in {loaded.file}.", "evidence",
                     "name a source id from the data file's sources list.")
    elif kind == "signoffs":
        signer = _lead_partner(record.signer, year, record.date)
        if signer is None:
            fail(f"signer '{record.signer}' is not a lead safeguarding partner in {loaded.file} on {record.date}.",
                 "signer", "name a post whose role is lead-safeguarding-partner, or a person holding one.")
        if vacant(signer):
            fail(f"the signer's post '{record.signer}' had no holder for certain on {record.date}, so no lead safeguarding "
                 "partner signed.", "signer", "record the post's holder in the data file (holders:), or correct "
                 "the date.")
    elif kind == "actions":
        if not any(p.id == record.owner for p in year.posts):
            fail(f"owner '{record.owner}' is not a post in {loaded.file}.", "owner",
                 "name the owner's post id (a post, not a person, so the action survives a change of holder).")


_MESSAGES = {
    "missing": "required field '{field}' is missing",
    "extra_forbidden": "unknown field '{field}'",
    "string_pattern_mismatch": "'{input}' is not a valid value for '{field}'",
    "enum": "'{input}' is not a valid value for '{field}' ({expected})",
}


def _validation_error(exc: ValidationError, doc: YamlDocument, kind: str) -> ConfigError:
    return side_file_error(exc, doc, kind, FILE_HELP[kind] + ".", _MESSAGES)
