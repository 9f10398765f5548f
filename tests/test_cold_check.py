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
