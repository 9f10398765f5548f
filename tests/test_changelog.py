"""The law-change workflow: no catalogue entry changes without a dated, sourced changelog line.

Each line in catalogue/CHANGELOG.yaml records the entry's content hash after the change (its
text, citations and their check records, modality, aspects, the profile parameters it rests on,
and its shapes' triples; thscp_kg/rules/changelog.py). If an entry differs from the hash its latest
line records, it changed without a line: add one (``./thscp-kg rules --hashes`` prints the hash).
"""
from __future__ import annotations

import datetime as dt

from thscp_kg.rules.changelog import current_hashes, load_changelog, parameter_value, parameters_of
from thscp_kg.validate.shapes import shapes_graph


def test_every_entry_has_a_changelog_line_with_its_current_hash(catalogue):
    changelog = load_changelog()
    stale = []
    for req_id, digest in sorted(current_hashes(catalogue, shapes_graph()).items()):
        latest = changelog.latest(req_id)
        if latest is None or latest.hash != digest:
            stale.append(f"{req_id} (now {digest}, recorded {latest.hash if latest else 'nothing'})")
    assert stale == [], ("changed without a changelog line: " + "; ".join(stale)
                         + ". Add a line to catalogue/CHANGELOG.yaml (./thscp-kg rules --hashes).")


def test_changelog_lines_name_real_entries_and_say_why(catalogue):
    ids = {r.id for r in catalogue.requirements}
    changelog = load_changelog()
    for line in changelog.changes:
        assert line.requirement in ids or line.requirement.startswith("profile:"), line.requirement
        if line.changed != ["added"] or not line.change.startswith("First catalogued"):
            assert line.source or "verification" in line.changed, line  # a change rests on a text
    added = {c.requirement for c in changelog.changes if "added" in c.changed}
    assert ids <= added, f"entries never recorded as added: {sorted(ids - added)}"


def test_changelog_is_in_date_order_per_entry(catalogue):
    changelog = load_changelog()
    for req in catalogue.requirements:
        days = [c.day for c in changelog.for_requirement(req.id)]
        assert days == sorted(days), req.id


def test_every_profile_parameter_an_entry_names_resolves(catalogue):
    from thscp_kg.rules.profile import load_profile

    dump = load_profile().data
    for req in catalogue.requirements:
        for name in parameters_of(req):
            parameter_value(dump, name)  # KeyError names the parameter


def test_changed_since_lists_the_entries_changed_on_or_after_a_date(catalogue):
    changelog = load_changelog()
    since = {c.requirement for c in changelog.since(dt.date(2026, 12, 1))}
    assert {"CA04-16I-01", "CA04-16J-01", "CA04-16G-01", "CWSA26-01", "CWSA26-02"} <= since
    assert "GOV-06" not in since  # unchanged since it was first catalogued
    assert changelog.since(dt.date(2099, 1, 1)) == []


def test_a_changed_entry_fails_the_hash_check(catalogue):
    """The check has teeth: editing an entry's statement changes its hash."""
    from thscp_kg.rules.changelog import content_hash
    from thscp_kg.rules.profile import load_profile

    dump, shapes = load_profile().data, shapes_graph()
    req = catalogue.get("CA04-16E-01")
    edited = req.model_copy(update={"statement": req.statement + " (edited)"})
    assert content_hash(edited, dump, shapes) != content_hash(req, dump, shapes)
    dump["documents"]["former_bodies"][2]["ceased_after"] = "2023-06-30"
    doc06 = catalogue.get("DOC-06")
    assert content_hash(doc06, dump, shapes) != current_hashes(catalogue, shapes)["DOC-06"]  # a parameter value
