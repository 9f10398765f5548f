"""The cold `check` path (issue 16): the engine it picks when none is asked for, and the same reports."""
from __future__ import annotations

import pytest
from conftest import ROOT

from thscp_kg.validate import engines


def test_a_run_without_ttl_takes_the_findings_engine_and_ttl_takes_pyshacl_s_report(monkeypatch):
    monkeypatch.delenv(engines.ENV_VAR, raising=False)
    assert engines.cli_default(report_graph=False) == "shacl"
    assert engines.cli_default(report_graph=True) == "fast"
    monkeypatch.setenv(engines.ENV_VAR, "reference")      # the environment still decides when set
    assert engines.cli_default(report_graph=False) is None
    assert engines.cli_default(report_graph=True) is None


@pytest.mark.parametrize("data", ["data/tower-hamlets/2023-24.yaml", "tests/partnerships/harrowdale/2021-22.yaml"])
def test_the_default_engine_writes_the_same_reports_as_pyshacl_turbo(data, tmp_path, monkeypatch):
    """Every report file (and the exit code and summary) is byte-identical to an explicit --engine fast
    run, with and without validation-report.ttl; the baseline year is checked too (THSCP 2022-23)."""
    import contextlib
    import io

    from thscp_kg import cli

    monkeypatch.delenv(engines.ENV_VAR, raising=False)
    monkeypatch.chdir(ROOT)
    calls = []
    real = engines.run_engine
    monkeypatch.setattr(engines, "run_engine", lambda engine, *a, **k: calls.append(engine) or real(engine, *a, **k))
    for formats in ("json,md,html,sarif,junit,txt", "json,ttl"):
        outputs = {}
        for engine in ([], ["--engine", "fast"]):
            out = tmp_path / f"{formats}-{len(engine)}"
            text = io.StringIO()
            with contextlib.redirect_stdout(text):
                code = cli.main(["check", data, "--format", formats, "--output-dir", str(out), *engine])
            files = {p.relative_to(out).as_posix(): p.read_bytes() for p in sorted(out.rglob("*")) if p.is_file()}
            outputs[len(engine)] = (code, text.getvalue().replace(str(out), "OUT"), files)
        assert outputs[0] == outputs[2], formats
        assert len(outputs[0][2]) >= 2
    years = 2 if "tower-hamlets" in data else 1
    # without ttl: shacl for both years; with ttl: fast for this year, shacl for the baseline; then all fast
    assert calls == ["shacl"] * years + ["fast"] * years + ["fast"] + ["shacl"] * (years - 1) + ["fast"] * years


def test_normalise_is_the_typography_table_applied_with_translate():
    """load/evidence.py replaces each typographic variant with str.replace (faster); the result is
    what str.translate with the table gives, on every source document and on every variant."""
    import unicodedata

    from thscp_kg.load.evidence import _TYPOGRAPHY, normalise

    def by_translate(text: str) -> str:
        return " ".join(unicodedata.normalize("NFKC", text).translate(_TYPOGRAPHY).replace("**", "").split())

    texts = [p.read_text(encoding="utf-8") for p in sorted(ROOT.glob("data/*/sources/*.txt"))]
    texts += [p.read_text(encoding="utf-8") for p in sorted((ROOT / "tests").rglob("sources/*.txt"))]
    variants = "".join(chr(c) for c in _TYPOGRAPHY)
    texts += [variants, f"a{variants}b **bold**  c", "ﬁne – ‘quoted’ “text”\u00a0here\u00adsoft", ""]
    assert len(texts) > 8 and any(not t.isascii() for t in texts)
    for text in texts:
        assert normalise(text) == by_translate(text)


def test_a_selection_of_requirements_gives_the_same_findings_on_both_engines():
    """check --requirement: shacl validates every shape and keeps the selected shapes' results, which is
    what pyshacl-turbo's use_shapes gives (all 77 SHACL requirements compared one by one on THSCP
    2023-24 when this was written; here the ones with findings, and one without)."""
    from thscp_kg.pipeline import check_file

    path = ROOT / "data" / "tower-hamlets" / "2023-24.yaml"
    everything = check_file(path, engine="fast").assessment
    with_findings = sorted({f.requirement for f in everything.findings if not f.requirement.startswith("GOV")})
    assert len(with_findings) >= 5
    quiet = next(o.requirement for o in everything.outcomes if o.assessment == "shacl" and not o.findings)
    for selection in ([with_findings[0]], with_findings[1:4], [quiet]):
        fast = check_file(path, requirement_ids=selection, engine="fast").assessment
        shacl = check_file(path, requirement_ids=selection, engine="shacl").assessment
        assert bool(fast.findings) == (selection != [quiet]), selection     # the comparison is not of nothing
        assert [f.to_json() for f in shacl.findings] == [f.to_json() for f in fast.findings], selection
        assert [o.status for o in shacl.outcomes] == [o.status for o in fast.outcomes], selection
