"""Waivers (risk acceptances): ``data/<partnership>/waivers.yaml``.

A waiver accepts one requirement's finding(s) on one entity for a limited time. The policy:

* **Statutory MUSTs cannot be waived.** A waiver naming a requirement whose modality is MUST
  or MUST(g) is a configuration error (exit 2): a duty in the Act, the Regulations or a "must"
  in statutory guidance is not the partnership's to accept.
* **Approver.** The approver is a lead safeguarding partner: a post whose role is
  ``lead-safeguarding-partner`` and that someone held on the waiver's date (a vacant post
  approves nothing), or a person holding such a post on that date. The
  author is a post or person from the data, and the approver is distinct from the author
  (neither the same id nor the same person holding both posts).
* **Expiry.** Every waiver has an expiry at most 366 days after its date (one reporting
  cycle). A waiver whose expiry is before the as-of date does not apply: its finding counts
  again and the report lists the waiver as *expired*. A waiver dated after the as-of date is
  *not yet in force* and does not apply either.
* **Unmatched.** A waiver that matches no finding (the gap was closed, or the waiver's
  requirement, entity or value is wrong) is listed as *unmatched*, so stale waivers get
  removed. These notes are a separate list (``Assessment.waiver_notes``), not findings: they
  never change the counts or the exit code.
* Waived findings stay in every report, counted apart and never failing the run.

The file is linted with the same care as a data file (safe YAML, a strict pydantic model,
``file:line`` errors) and before any validation runs.
"""
from __future__ import annotations

import dataclasses
import datetime as dt
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from ..errors import ConfigError, is_validation_error
from ..findings import Finding
from ..model_values import Role, earliest_day, latest_day
from ..yamlsafe import YamlDocument, load_yaml, read_text_limited
from .loader import LoadedYear, national_bodies

if TYPE_CHECKING:   # types only: the models import pydantic, a run reads their plain copies
    from pydantic import ValidationError

    from ..model import PartnershipYear
    from ..rules.catalogue import Catalogue
    from .side_models import Waiver

DEFAULT_NAME = "waivers.yaml"
UNWAIVABLE = ("MUST", "MUST(g)")
MAX_DAYS = 366
FOCUS_PATTERN = r"^[a-z][a-z-]{0,30}/[a-z0-9][a-z0-9-]{0,62}$"


@dataclass(frozen=True)
class LoadedWaivers:
    file: str
    waivers: tuple[Waiver, ...]
    lines: dict[str, int]            # waiver id -> line


def default_path(data_file: Path | str) -> Path:
    return Path(data_file).parent / DEFAULT_NAME


def load_waivers(path: Path | str, loaded: LoadedYear, catalogue: Catalogue,
                 display: str | None = None) -> LoadedWaivers:
    """Read, validate and cross-check a waiver file against the data and the catalogue."""
    path = Path(path)
    display = display or _display(path)
    text = read_text_limited(path, display)
    if all(not line.strip() or line.lstrip().startswith("#") for line in text.splitlines()):
        return LoadedWaivers(display, (), {})   # nothing but comments: no waivers
    doc = load_yaml(path, display)
    if doc.data is None:
        doc.data = {}
    if not isinstance(doc.data, dict):
        raise ConfigError("a waiver file is a mapping with a 'waivers:' list.", file=display, line=1,
                          fix="start the file with 'waivers:' (see data/tower-hamlets/waivers.yaml).")
    try:
        parsed = _validate("WaiverFile", doc.data)
    except Exception as exc:   # pydantic's, when the file had to be validated
        if not is_validation_error(exc):
            raise
        raise _validation_error(exc, doc) from None
    lines = {w.id: doc.line_of(("waivers", i)) or 1 for i, w in enumerate(parsed.waivers)}
    seen: set[str] = set()
    for i, w in enumerate(parsed.waivers):
        if w.id in seen:
            raise ConfigError(f"duplicate waiver id '{w.id}'.", file=display, line=doc.line_of(("waivers", i)),
                              fix="give each waiver its own id.")
        seen.add(w.id)
        _check_waiver(w, loaded, catalogue, display, doc, i)
    keys = {}
    for w in parsed.waivers:
        key = (w.requirement, w.focus, w.value)
        if key in keys:
            raise ConfigError(f"waivers '{keys[key]}' and '{w.id}' cover the same finding.", file=display,
                              line=lines[w.id], fix="keep one waiver per requirement, entity and value.")
        keys[key] = w.id
    return LoadedWaivers(display, tuple(parsed.waivers), lines)


def _check_waiver(w: Waiver, loaded: LoadedYear, catalogue: Catalogue, display: str, doc: YamlDocument,
                  i: int) -> None:
    def where(key: str) -> int | None:
        return doc.line_of(("waivers", i, key))

    try:
        req = catalogue.get(w.requirement)
    except KeyError:
        raise ConfigError(f"waiver '{w.id}': no requirement '{w.requirement}' in the catalogue.", file=display,
                          line=where("requirement"), fix="run 'thscp-kg rules' to list the ids.") from None
    if req.modality in UNWAIVABLE:
        raise ConfigError(
            f"waiver '{w.id}': {req.id} is a statutory duty (modality {req.modality}) and cannot be waived.",
            file=display, line=where("requirement"),
            fix="remove the waiver and meet or evidence the duty; only SHOULD and good-practice "
                "requirements can be waived.")
    if req.status != "active":
        raise ConfigError(f"waiver '{w.id}': requirement {req.id} is {req.status}.", file=display,
                          line=where("requirement"), fix="remove the waiver.")
    known = known_focus(loaded)
    if w.focus not in known:
        raise ConfigError(f"waiver '{w.id}': no entity '{w.focus}' in {loaded.file}.", file=display,
                          line=where("focus"), fix="write the entity as 'kind/id' as the gap report shows it, "
                          "e.g. document/annual-report-2023-24.")
    year = loaded.year
    author = _people_behind(w.author, year, w.date)
    if author is None:
        raise ConfigError(f"waiver '{w.id}': author '{w.author}' is not a post or person in {loaded.file}.",
                          file=display, line=where("author"), fix="name the author's post id or person id.")
    approver = _lead_partner(w.approver, year, w.date)
    if approver is None:
        raise ConfigError(
            f"waiver '{w.id}': approver '{w.approver}' is not a lead safeguarding partner in {loaded.file} "
            f"on {w.date}.", file=display, line=where("approver"),
            fix="name a post whose role is lead-safeguarding-partner, or a person holding one on the "
                "waiver's date.")
    if vacant(approver):
        raise ConfigError(
            f"waiver '{w.id}': the approver's post '{w.approver}' had no holder for certain on {w.date}, so no lead "
            "safeguarding partner approved it.", file=display, line=where("approver"),
            fix="name the post (or person) of the lead safeguarding partner who approved it on that date, "
                "or correct the date.")
    if approver & author:
        raise ConfigError(f"waiver '{w.id}': the approver and the author are the same person.", file=display,
                          line=where("approver"), fix="a lead safeguarding partner other than the author approves.")


def known_focus(loaded: LoadedYear) -> set[str]:
    year = loaded.year
    known = set(loaded.locations)
    known.add(f"year/{year.period.id}")
    known.add(f"partnership/{year.partnership.id}")
    known.update(f"organisation/{b['id']}" for b in national_bodies())
    return known


def _holds(tenure, day: dt.date) -> bool:
    """Held on ``day`` for certain: an approximate start counts from its latest possible day, an
    approximate end until its earliest (either bound, when only one is known)."""
    start = latest_day(tenure.from_) or earliest_day(tenure.from_)
    end = earliest_day(tenure.until) or latest_day(tenure.until)
    return (start is None or start <= day) and (end is None or day <= end)


def _people_behind(ref: str, year: PartnershipYear, day: dt.date) -> set[str] | None:
    """The person ids an id stands for on ``day`` (a person, or a post's holders); None if unknown."""
    if any(p.id == ref for p in year.people):
        return {f"person/{ref}"}
    for post in year.posts:
        if post.id == ref:
            return {f"person/{t.person}" for t in post.holders if _holds(t, day)} | {f"post/{ref}"}
    return None


def vacant(people: set[str]) -> bool:
    """A post that nobody held on the day: no person stands behind it, so no one approved or signed as it."""
    return not any(who.startswith("person/") for who in people)


def _lead_partner(ref: str, year: PartnershipYear, day: dt.date) -> set[str] | None:
    lead_posts = [p for p in year.posts if p.role is Role.lead_safeguarding_partner]
    for post in lead_posts:
        if post.id == ref:
            return {f"person/{t.person}" for t in post.holders if _holds(t, day)} | {f"post/{ref}"}
    for post in lead_posts:
        if any(t.person == ref and _holds(t, day) for t in post.holders):
            return {f"person/{ref}", f"post/{post.id}"}
    return None


def apply_waivers(findings: list[Finding], waivers: LoadedWaivers, as_of: dt.date,
                  labels: dict[str, str] | None = None,
                  checked: set[str] | None = None) -> tuple[list[Finding], list[dict]]:
    """Mark the findings each waiver in force accepts; return them and notes on waivers that did not apply.

    ``checked``: the requirement ids this run checked (``--requirement``); waivers for others are skipped.
    """
    labels = labels or {}
    out = list(findings)
    notes: list[dict] = []
    for w in sorted(waivers.waivers, key=lambda w: w.id):
        if checked is not None and w.requirement not in checked:
            continue
        base = {"id": w.id, "requirement": w.requirement, "focus": w.focus, "value": w.value,
                "expiry": w.expiry.isoformat(), "date": w.date.isoformat(),
                "location": f"{waivers.file}:{waivers.lines[w.id]}"}
        matches = [i for i, f in enumerate(out) if f.requirement == w.requirement and f.focus == w.focus
                   and (w.value is None or (f.value or "") == w.value)]
        if w.expiry < as_of:
            notes.append({**base, "kind": "expired", "matches": len(matches),
                          "message": f"expired on {w.expiry} (before the as-of date {as_of}); "
                                     + (f"its {len(matches)} finding(s) count again." if matches
                                        else "it matches no finding either.")})
            continue
        if w.date > as_of:
            notes.append({**base, "kind": "not-yet-in-force", "matches": len(matches),
                          "message": f"dated {w.date}, after the as-of date {as_of}; it does not apply yet."})
            continue
        if not matches:
            notes.append({**base, "kind": "unmatched", "matches": 0,
                          "message": "matches no finding: the gap may be closed, or the requirement, entity "
                                     "or value is wrong. Remove or correct the waiver."})
            continue
        record = {"id": w.id, "justification": " ".join(w.justification.split()), "author": w.author,
                  "author_label": labels.get(w.author, w.author), "approver": w.approver,
                  "approver_label": labels.get(w.approver, w.approver), "date": w.date.isoformat(),
                  "expiry": w.expiry.isoformat(), "location": base["location"]}
        if w.review:
            record["review"] = w.review
        for i in matches:
            if out[i].waiver is None:
                out[i] = dataclasses.replace(out[i], waiver=record)
    return out, notes


def labels_for(year: PartnershipYear) -> dict[str, str]:
    """Readable names for post and person ids (a post with its holder where there is one)."""
    people = {p.id: p.name for p in year.people}
    labels = dict(people)
    for post in year.posts:
        names = [people.get(t.person, t.person) for t in post.holders]
        labels[post.id] = post.title + (f" ({', '.join(names)})" if names else "")
    return labels


_MESSAGES = {
    "missing": "required field '{field}' is missing",
    "extra_forbidden": "unknown field '{field}'",
    "string_pattern_mismatch": "'{input}' is not a valid value for '{field}'",
    "string_too_short": "'{field}' is too short (at least {min_length} characters: say why the risk is accepted)",
}


def _validation_error(exc: ValidationError, doc: YamlDocument) -> ConfigError:
    return side_file_error(exc, doc, "waiver", "each waiver has id, requirement, focus, justification, author, "
                           "approver, date and expiry (see data/tower-hamlets/waivers.yaml).", _MESSAGES)


def side_file_error(exc: ValidationError, doc: YamlDocument, label: str, fix: str, messages: dict) -> ConfigError:
    """The first (topmost) validation error of a file beside the data (waivers, assessments, sign-offs,
    actions) as one line with its file and line: '<label> file: <problem> (at <path>)'."""
    err = min(exc.errors(include_url=False), key=lambda e: doc.line_of(_clean(e["loc"])) or 0)
    loc = _clean(err["loc"])
    field_name = next((str(p) for p in reversed(loc) if isinstance(p, str)), "value")
    values = {"field": field_name, "input": str(err.get("input"))[:60], "expected": "", **(err.get("ctx") or {})}
    template = messages.get(err["type"])
    message = template.format(**values) if template else f"'{field_name}': {err['msg'].removeprefix('Value error, ')}"
    where = ".".join(str(p) for p in loc) or "top level"
    line = doc.line_of(loc)
    if err["type"] == "missing" and loc[:-1] in doc.lines:
        line = doc.lines[loc[:-1]]
    return ConfigError(f"{label} file: {message} (at {where}).", file=doc.file, line=line, fix=fix)


def _clean(loc: tuple) -> tuple:
    return tuple(p for p in loc if isinstance(p, int) or not str(p).startswith(("function-", "lax-", "json-")))


def _validate(model: str, data, kind: str = "waivers"):
    """The plain copy of ``model.model_validate(data)`` (``model``: a class of ``side_models``), from
    the compiled cache in a cold process without importing pydantic (resources.validated): keyed by the
    data, the models' and the data model's source and pydantic's release."""
    from ..plain import plain
    from ..resources import validated

    here = Path(__file__).resolve()
    package = here.parent.parent
    sources = [here, here.parent / "side_models.py", package / "model.py", package / "model_values.py",
               package / "plain.py", package / "safe_text.py"]
    return validated(kind, f"thscp_kg.load.side_models:{model}", data, sources, derive=plain)



def _display(path: Path) -> str:
    """A path as the user should see it (yamlsafe.display_path: links not followed)."""
    from ..yamlsafe import display_path

    return display_path(path)
