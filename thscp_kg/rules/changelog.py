"""The catalogue changelog (catalogue/CHANGELOG.yaml): every change to a requirement, dated and sourced.

Each line names the requirement, what changed (text, modality, verification, parameters ...),
why, the source that supports the change and the entry's content hash after it. The hash covers
everything that decides what the checker says about the requirement: the catalogue entry (text,
citations with their check records, modality, shapes, aspects), the values of the profile
parameters it rests on, and its shapes' triples. A meta-test recomputes each hash and fails when
an entry changed without a line (tests/test_changelog.py); ``thscp-kg rules --hashes`` prints the
hash to record, and ``thscp-kg rules --changed-since DATE`` lists what changed on or after a date.
"""
from __future__ import annotations

import datetime as dt
import hashlib
import json
from functools import lru_cache
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from ..errors import ConfigError
from ..resources import resource_dir
from .catalogue import URL, Catalogue, DateText, Requirement
from .reads import ChangelogReads

CHANGE_KINDS = ("added", "text", "modality", "severity", "verification", "citation", "parameters", "shapes",
                "commencement", "status")


class ChangeLine(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, defer_build=True)
    date: DateText
    requirement: str = Field(description="a requirement id, or 'profile:<path>' for a profile change that no "
                                         "entry's parameters carry")
    changed: list[Literal["added", "text", "modality", "severity", "verification", "citation", "parameters",
                          "shapes", "commencement", "status", "see-also"]] = Field(min_length=1)
    change: str = Field(min_length=3)
    why: str = Field(min_length=3)
    source: URL | None = Field(default=None, description="the text that supports the change")
    hash: str | None = Field(default=None, pattern=r"^[0-9a-f]{16}$",
                             description="the entry's content hash after the change")

    @property
    def day(self) -> dt.date:
        return dt.date.fromisoformat(self.date)


class Changelog(BaseModel, ChangelogReads):   # for_requirement, since
    model_config = ConfigDict(extra="forbid", frozen=True, defer_build=True)
    changes: list[ChangeLine]

    def latest(self, req_id: str) -> ChangeLine | None:
        """The entry's newest line (of two on one day, the later in the file)."""
        mine = list(enumerate(self.for_requirement(req_id)))
        return max(mine, key=lambda ic: (ic[1].day, ic[0]))[1] if mine else None


@lru_cache(maxsize=2)
def load_changelog(folder: Path | None = None) -> Changelog:
    """catalogue/CHANGELOG.yaml, validated; kept in the compiled cache (thscp_kg/resources.py) keyed by
    the file's bytes, this module's and the YAML reader's source and pydantic's release."""
    from pydantic.version import VERSION as pydantic_version

    from ..resources import cached, key_of

    folder = folder or resource_dir("catalogue")
    here = Path(__file__).resolve()
    key = key_of([folder / "CHANGELOG.yaml", here, here.parent / "catalogue.py", here.parent.parent / "yamlsafe.py"],
                 "changelog-1", str(folder.resolve()), "pydantic " + pydantic_version)
    return cached("changelog", key, lambda: _read_changelog(folder))


def _read_changelog(folder: Path) -> Changelog:
    from ..yamlsafe import load_yaml

    doc = load_yaml(folder / "CHANGELOG.yaml", "catalogue/CHANGELOG.yaml")
    try:
        return Changelog.model_validate(doc.data or {"changes": []})
    except ValidationError as exc:
        err = exc.errors(include_url=False)[0]
        raise ConfigError(f"changelog: {err['msg']} (at {'.'.join(map(str, err['loc']))}).", file=doc.file,
                          line=doc.line_of(tuple(err["loc"])), fix="correct the changelog line.") from None


# -- content hashes -----------------------------------------------------------------------------
def parameter_value(profile_dump: dict, name: str):
    """The value of a profile parameter a requirement names (``contents.<ID>`` is that entry's
    content rules; otherwise a dotted path). KeyError when the profile has no such parameter."""
    head, _, rest = name.partition(".")
    if head == "contents":
        rules = [r for r in profile_dump["contents"] if r["requirement"] == rest]
        if not rules:
            raise KeyError(name)
        return rules
    node = profile_dump
    for key in name.split(".") if head != "commencement" else ["commencement", rest]:
        if not isinstance(node, dict) or key not in node:
            raise KeyError(name)
        node = node[key]
    return node


def parameters_of(req: Requirement) -> list[str]:
    names = list(req.profile_parameters)
    names += [a.parameter for a in req.aspects if a.parameter]
    if req.commences:
        names.append(f"commencement.{req.commences}")
    return sorted(set(names))


def shape_digest(shapes, shape: str) -> str:
    """A digest of a named shape's triples and the blank nodes it owns (canonical labelling)."""
    from rdflib import BNode, Graph
    from rdflib.compare import to_canonical_graph

    from ..namespaces import SCP_SH

    node = SCP_SH[shape]
    sub = Graph()
    todo, seen = [node], set()
    while todo:
        s = todo.pop()
        if s in seen:
            continue
        seen.add(s)
        for p, o in shapes.predicate_objects(s):
            sub.add((s, p, o))
            if isinstance(o, BNode):
                todo.append(o)
    lines = sorted(line for line in to_canonical_graph(sub).serialize(format="nt").splitlines() if line.strip())
    return hashlib.sha256("\n".join(lines).encode("utf-8")).hexdigest()[:16]


def content_hash(req: Requirement, profile_dump: dict, shapes) -> str:
    """What the checker says about ``req`` depends on this and nothing else (module docstring)."""
    entry = req.model_dump(mode="json")
    if entry.get("see_also") is None:  # added in issue 12: entries without it keep their hashes
        entry.pop("see_also", None)
    payload = {
        "entry": entry,
        "parameters": {name: parameter_value(profile_dump, name) for name in parameters_of(req)},
        "shapes": {shape: shape_digest(shapes, shape) for shape in req.shapes},
    }
    text = json.dumps(payload, sort_keys=True, ensure_ascii=False, default=str)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]


def current_hashes(catalogue: Catalogue, shapes) -> dict[str, str]:
    """Every requirement's content hash under the default profile and the given shapes graph (the
    bundled shapes; the caller loads them: the rules stage does not import the validate stage)."""
    from .profile import load_profile

    profile_dump = load_profile().data
    return {r.id: content_hash(r, profile_dump, shapes) for r in catalogue.requirements}


def render_markdown(changelog: Changelog) -> list[str]:
    """The changelog as a section of reports/requirements.md: newest first; first cataloguing summarised."""
    def cell(text: str) -> str:
        return " ".join(str(text).split()).replace("|", "\\|")

    first = [c for c in changelog.changes if c.changed == ["added"] and c.change.startswith("First catalogued")]
    rest = sorted((c for c in changelog.changes if c not in first), key=lambda c: (c.date, c.requirement),
                  reverse=True)
    out = ["## Changes to the catalogue", "",
           "Generated from `catalogue/CHANGELOG.yaml`. Every change to an entry's text, parameters, verification",
           "or shapes has a dated line with its reason and source; a test fails when an entry changes without one",
           "(`thscp-kg rules --changed-since DATE` lists them; `thscp-kg rules --hashes` gives the hash to record).", ""]
    if first:
        days = sorted({c.date for c in first})
        out += [f"{len(first)} entries were first catalogued on {', '.join(days)} (from the research note, "
                "`requirements.md`).", ""]
    if rest:
        out += ["| Date | Requirement | Changed | What changed | Why | Source |", "|---|---|---|---|---|---|"]
        for c in rest:
            source = f"<{c.source}>" if c.source else "—"
            out.append(f"| {c.date} | {c.requirement} | {', '.join(c.changed)} | {cell(c.change)} | {cell(c.why)} | "
                       f"{source} |")
        out.append("")
    return out
