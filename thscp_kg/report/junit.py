"""JUnit XML: one test suite per requirement, one test case per requirement and entity.

* An entity the requirement checked with no finding: a passing test case.
* An entity with findings: a ``<failure>`` (type = severity) whose message is the finding(s);
  if every finding on it is waived, the case is ``<skipped>`` with the waiver's justification.
* A manual requirement: one ``<skipped>`` case, "to be assessed by a person".
* A requirement with nothing to check this year: one ``<skipped>`` case, "not applicable".
* A requirement not yet in force (commenced later by regulations): one ``<skipped>`` case.

Test case names are the entity ("kind/id"); class names are ``thscp-kg.<requirement id>``.
Deterministic (no timestamps; attributes in a fixed order).
"""
from __future__ import annotations

import xml.etree.ElementTree as ET

from ..findings import Assessment, Status
from .common import STATUS_TEXT, citation, split_location, timing


def _text(f) -> str:
    lines = [f"{f.severity.value.upper()} {STATUS_TEXT[f.status]}: {f.message}"
             + (f" ({f.value})" if f.value and f.value not in f.message else "")]
    if timing(f):
        lines.append(f"Timing: {timing(f)}")
    lines += [f"Entity: {f.focus_label} ({f.location})", f"Source: {citation(f)} (verification {f.verification})",
              f"What to do: {f.remediation}"]
    if not f.fails_ci:
        lines.append("Unverified requirement: does not fail the run by default.")
    return "\n".join(lines)


def to_element(a: Assessment) -> ET.Element:
    root = ET.Element("testsuites", {"name": f"thscp-kg {a.partnership} {a.period}"})
    totals = {"tests": 0, "failures": 0, "skipped": 0}
    for o in a.outcomes:
        suite = ET.SubElement(root, "testsuite", {"name": f"{o.requirement} {o.title}"})
        props = ET.SubElement(suite, "properties")
        for name, value in (("requirement", o.requirement), ("modality", o.modality), ("severity", o.severity),
                            ("verification", o.verification), ("area", o.area), ("outcome", o.status.value),
                            ("as_of", a.as_of)):
            ET.SubElement(props, "property", {"name": name, "value": str(value)})
        counts = {"tests": 0, "failures": 0, "skipped": 0}
        classname = f"thscp-kg.{o.requirement}"
        mine = [f for f in a.findings if f.requirement == o.requirement]
        if o.status is Status.to_be_assessed or (o.assessment == "manual"):
            case = ET.SubElement(suite, "testcase", {"classname": classname, "name": "to be assessed", "time": "0"})
            ET.SubElement(case, "skipped", {"message": f"to be assessed by a person: {o.question or o.title}"})
            counts["tests"] += 1
            counts["skipped"] += 1
        elif o.status is Status.not_yet_in_force:
            case = ET.SubElement(suite, "testcase", {"classname": classname, "name": "not yet in force", "time": "0"})
            ET.SubElement(case, "skipped", {"message": "not yet in force: commenced by regulations on a later date "
                                                       "(profile commencement); see the report's look-ahead"})
            counts["tests"] += 1
            counts["skipped"] += 1
        elif o.vacuous and not mine:
            case = ET.SubElement(suite, "testcase", {"classname": classname, "name": "nothing recorded", "time": "0"})
            ET.SubElement(case, "skipped", {"message": "not evidenced: nothing this requirement checks is recorded "
                                                       "in the data, so nothing was checked (not met, not passed)"})
            counts["tests"] += 1
            counts["skipped"] += 1
        elif not o.entities and not mine:
            case = ET.SubElement(suite, "testcase", {"classname": classname, "name": "not applicable", "time": "0"})
            ET.SubElement(case, "skipped", {"message": "not applicable: nothing this requirement checks is in the data"})
            counts["tests"] += 1
            counts["skipped"] += 1
        else:
            for entity in sorted(set(o.entities) | {f.focus for f in mine}):
                on = [f for f in mine if f.focus == entity]
                attrs = {"classname": classname, "name": entity, "time": "0"}
                if on:
                    file, line = split_location(on[0].location)
                    attrs["file"] = file
                    if line:
                        attrs["line"] = str(line)
                case = ET.SubElement(suite, "testcase", attrs)
                counts["tests"] += 1
                open_ = [f for f in on if not f.waived and f.status is not Status.not_yet_due]
                if open_:
                    worst = min(open_, key=lambda f: f.severity.rank)
                    message = " | ".join(f.message + (f" ({f.value})" if f.value and f.value not in f.message else "")
                                         for f in open_)
                    failure = ET.SubElement(case, "failure", {"type": worst.severity.value, "message": message})
                    failure.text = "\n\n".join(_text(f) for f in open_)
                    counts["failures"] += 1
                elif any(f.status is Status.not_yet_due and not f.waived for f in on):
                    due = min(f.due or "" for f in on if f.status is Status.not_yet_due)
                    ET.SubElement(case, "skipped", {"message": f"not yet due (due {due})"})
                    counts["skipped"] += 1
                elif on:
                    w = on[0].waiver
                    ET.SubElement(case, "skipped", {"message": f"waived ({w['id']}) until {w['expiry']}: "
                                                               f"{w['justification']}"})
                    counts["skipped"] += 1
        suite.set("tests", str(counts["tests"]))
        suite.set("failures", str(counts["failures"]))
        suite.set("errors", "0")
        suite.set("skipped", str(counts["skipped"]))
        suite.set("time", "0")
        for key in totals:
            totals[key] += counts[key]
    root.set("tests", str(totals["tests"]))
    root.set("failures", str(totals["failures"]))
    root.set("errors", "0")
    root.set("skipped", str(totals["skipped"]))
    root.set("time", "0")
    return root


def render(a: Assessment) -> str:
    root = to_element(a)
    ET.indent(root, space="  ")
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, encoding="unicode") + "\n"
