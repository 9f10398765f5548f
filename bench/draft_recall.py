"""Recall and precision of `thscp-kg draft` on the bundled THSCP sources, per kind of fact.

    .venv/bin/python bench/draft_recall.py            # table; exit 1 if a target is missed
    .venv/bin/python bench/draft_recall.py --json     # the figures as JSON

The reference is the hand-encoded data/tower-hamlets/2023-24.yaml. A drafted fact *matches* a
hand-encoded fact of the same kind when they name the same thing (names or titles equal once
case, punctuation and words such as 'the' are ignored, one's words contained in the other's, or
an acronym of it: 'ELFT') or share an evidence quote (one contains the other), as this script's
`_match_*` functions say per kind. Recall: hand facts matched by some drafted fact. Precision:
drafted facts that match a hand fact, or that a person has judged a true statement of the source
(bench/draft_judgements.yaml: kind, the drafted key, the reason). A drafted fact neither matched
nor judged counts against precision and is listed, so a change to the drafter cannot raise the
figure without a person looking. Targets (issue 17): recall >= 70% and precision >= 95% per kind.
"""
from __future__ import annotations

import argparse
import json
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from thscp_kg.documents.draft import _tokens, acronyms, draft_year  # noqa: E402
from thscp_kg.documents.extract import read_document  # noqa: E402
from thscp_kg.documents.normalise import normalise_text  # noqa: E402

SOURCES = ROOT / "data" / "tower-hamlets" / "sources"
HAND = ROOT / "data" / "tower-hamlets" / "2023-24.yaml"
JUDGEMENTS = ROOT / "bench" / "draft_judgements.yaml"
RECALL_TARGET, PRECISION_TARGET = 0.70, 0.95
GENERIC = {"thscp", "group", "sub", "board", "of", "the"}


def _quotes(entry: dict, *nested: str) -> set[str]:
    out = {normalise_text(e["quote"]).lower() for e in entry.get("evidence") or [] if e.get("quote")}
    for key in nested:
        for item in entry.get(key) or []:
            out |= _quotes(item)
    return out


def _overlap(a: set[str], b: set[str]) -> bool:
    return any(x in y or y in x for x in a for y in b)


def _same_name(a: str, b: str) -> bool:
    ta, tb = _tokens(a) - GENERIC, _tokens(b) - GENERIC
    if ta and tb and (ta <= tb or tb <= ta):
        return True
    return re.sub(r"[&\s]", "", a).upper() in acronyms(b) or re.sub(r"[&\s]", "", b).upper() in acronyms(a)


STATUTORY = {"local-authority", "integrated-care-board", "police"}


def _match_organisations(d: dict, h: dict) -> bool:
    if d["kind"] in STATUTORY or h["kind"] in STATUTORY:  # one local authority, ICB and police force each
        return d["kind"] == h["kind"]
    return _same_name(d["name"], h["name"]) or _overlap(_quotes(d), _quotes(h))


def _match_people(d: dict, h: dict) -> bool:
    return normalise_text(d["name"]).lower() == normalise_text(h["name"]).lower()


def _match_posts(d: dict, h: dict) -> bool:
    titles = bool((_tokens(d["title"]) - GENERIC) & (_tokens(h["title"]) - GENERIC)) or _same_name(d["title"], h["title"])
    holders = {x["person"] for x in d.get("holders", [])} & {x["person"] for x in h.get("holders", [])}
    return titles and (bool(holders) or _overlap(_quotes(d, "holders"), _quotes(h, "holders")))


def _match_named(d: dict, h: dict) -> bool:
    return _same_name(d["name"], h["name"]) or _overlap(_quotes(d), _quotes(h))


def _match_sections(d: dict, h: dict) -> bool:
    return d["topic"] == h["topic"] and _key(d.get("heading", "")) == _key(h.get("heading", ""))


def _match_funding(d: dict, h: dict) -> bool:
    return d["line"] == h["line"] and d["amount"] == h["amount"]


def _match_counts(d: dict, h: dict) -> bool:
    return d["measure"] == h["measure"] and float(d["value"]) == float(h["value"])


def _match_reviews(d: dict, h: dict) -> bool:
    return _key(d["title"]) == _key(h["title"])


def _match_statements(d: dict, h: dict) -> bool:
    return d["kind"] == h["kind"] and (_key(d["value"]) == _key(h["value"]) or _overlap(_quotes(d), _quotes(h)))


def _key(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", " ", normalise_text(str(text)).lower()).strip()


def _funding_lines(year: dict) -> list[dict]:
    f = year.get("funding") or {}
    lines = [{"line": f"contribution {c['contributor']}", "amount": float(c["amount"]["amount"]), "evidence": c["evidence"],
              "key": f"contribution-{float(c['amount']['amount']):.0f}"} for c in f.get("contributions", [])]
    lines += [{"line": "expenditure", "amount": float(e["amount"]["amount"]), "evidence": e["evidence"],
               "key": f"expenditure-{float(e['amount']['amount']):.0f}"} for e in f.get("expenditure", [])]
    for total in ("stated_income_total", "stated_expenditure_total"):
        if f.get(total):
            lines.append({"line": total, "amount": float(f[total]["amount"]), "evidence": f.get("evidence", []),
                          "key": total})
    return lines


def _contribution_lines(year: dict) -> list[dict]:
    # Contributors are ids, which differ between the files (lbth / local-authority): compare amounts.
    out = _funding_lines(year)
    for line in out:
        if line["line"].startswith("contribution"):
            line["line"] = "contribution"
    return out


def _sections(year: dict) -> list[dict]:
    return [dict(s, key=f"{s['topic']}: {s.get('heading')}") for d in year.get("documents", []) for s in d.get("sections", [])]


def _statements(year: dict) -> list[dict]:
    return [dict(s, key=f"{s['kind']}: {s['value']}") for d in year.get("documents", []) for s in d.get("statements", [])]


# Fields compared on matched pairs: the draft's reading of a fact, not only that it exists.
ATTRIBUTES = {"organisations": ("kind",), "groups": ("kind",), "linked boards": ("kind", "statutory"),
              "sections": ("has_content",), "counts": ("stated_period",), "practice reviews": ("status",),
              "funding lines": ("line",)}

KINDS = {
    # kind: (how to list the facts of a file, how a drafted fact matches a hand one)
    "organisations": (lambda y: y.get("organisations", []), _match_organisations),
    "people": (lambda y: y.get("people", []), _match_people),
    "posts": (lambda y: y.get("posts", []), _match_posts),
    "groups": (lambda y: y.get("groups", []), _match_named),
    "linked boards": (lambda y: y.get("linked_boards", []), _match_named),
    "sections": (_sections, _match_sections),
    "funding lines": (_contribution_lines, _match_funding),
    "counts": (lambda y: y.get("activity_counts", []), _match_counts),
    "practice reviews": (lambda y: y.get("practice_reviews", []), _match_reviews),
    "document statements": (_statements, _match_statements),
}


_DEFAULTS = {"has_content": True, "statutory": None}


def _name(fact: dict) -> str:
    for field in ("key", "id", "measure"):
        if field in fact:
            return str(fact[field]) + (f" {fact['value']}" if field == "measure" else "")
    return str(fact)


def measure(judgements: list[dict] | None = None) -> dict:
    import yaml

    from thscp_kg.rules.profile import load_profile

    docs = [read_document(p, f"data/tower-hamlets/sources/{p.name}") for p in sorted(SOURCES.glob("0*.txt"))]
    draft, _ = draft_year(docs, load_profile().profile, base=HAND.parent)  # as if drafted beside the hand file
    draft = json.loads(json.dumps(draft, default=str))
    hand = json.loads(json.dumps(yaml.safe_load(HAND.read_text(encoding="utf-8")), default=str))
    if judgements is None:
        judgements = yaml.safe_load(JUDGEMENTS.read_text(encoding="utf-8")) or []
    judged = {(j["kind"], j["fact"]): j for j in judgements}
    texts = {f"sources/{d.name}": d for d in docs}  # the draft names each file relative to the data file
    sources = {s["id"]: s.get("file") for s in draft["sources"]}
    out = {}
    for kind, (facts_of, match) in KINDS.items():
        drafted, wanted = facts_of(draft), facts_of(hand)
        # One to one: each hand fact is matched by at most one drafted fact and the other way round,
        # so a duplicate in the draft is not counted as correct twice.
        pairs, used = [], set()
        for h in wanted:
            d = next((i for i, d in enumerate(drafted) if i not in used and match(d, h)), None)
            if d is not None:
                used.add(d)
                pairs.append((drafted[d], h))
        found = [h for _, h in pairs]
        correct, unjudged, wrong = [], [], []
        for i, d in enumerate(drafted):
            for ev in d.get("evidence", []):  # every drafted quote is in the text of the source it names
                assert texts[sources[ev["source"]]].find_quote(ev["quote"]), (kind, ev)
            if i in used:
                correct.append(d)
                continue
            j = judged.get((kind, _name(d)))
            if j and j["correct"]:
                correct.append(d)
            elif j:
                wrong.append(_name(d))
            else:
                unjudged.append(_name(d))
        fields = ATTRIBUTES.get(kind, ())
        compared = [(d.get(f, _DEFAULTS.get(f)), h.get(f, _DEFAULTS.get(f))) for d, h in pairs for f in fields]
        out[kind] = {
            "attributes": list(fields),
            "attribute_agreement": round(sum(a == b for a, b in compared) / len(compared), 3) if compared else None,
            "attribute_disagreements": sorted({f"{_name(d)}.{f}: {d.get(f)} (hand {h.get(f)})" for d, h in pairs
                                               for f in fields if d.get(f, _DEFAULTS.get(f)) != h.get(f, _DEFAULTS.get(f))}),
            "hand": len(wanted), "found": len(found),
            "recall": round(len(found) / len(wanted), 3) if wanted else None,
            "drafted": len(drafted), "correct": len(correct),
            "precision": round(len(correct) / len(drafted), 3) if drafted else None,
            "missed": sorted(_name(h) for h in wanted if all(h is not f for f in found)),
            "judged_wrong": sorted(wrong), "unjudged": sorted(unjudged),
        }
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args(argv)
    result = measure()
    if args.json:
        print(json.dumps(result, indent=2, sort_keys=True))
    else:
        print(f"{'kind':22} {'recall':>16} {'precision':>16}   attributes agreeing on matched facts")
        for kind, r in result.items():
            recall = f"{r['found']}/{r['hand']} {r['recall']:.0%}" if r["hand"] else "-"
            precision = f"{r['correct']}/{r['drafted']} {r['precision']:.0%}" if r["drafted"] else "-"
            agree = f"{', '.join(r['attributes'])}: {r['attribute_agreement']:.0%}" if r["attribute_agreement"] is not None else ""
            print(f"{kind:22} {recall:>16} {precision:>16}   {agree}")
            for label in ("missed", "judged_wrong", "unjudged", "attribute_disagreements"):
                if r[label]:
                    print(f"    {label}: {', '.join(r[label])}")
    missed = [k for k, r in result.items() if (r["recall"] is not None and r["recall"] < RECALL_TARGET)
              or (r["precision"] is not None and r["precision"] < PRECISION_TARGET)]
    if missed:
        print(f"Targets (recall >= {RECALL_TARGET:.0%}, precision >= {PRECISION_TARGET:.0%}) missed for: {', '.join(missed)}")
    return 1 if missed else 0


if __name__ == "__main__":
    sys.exit(main())
