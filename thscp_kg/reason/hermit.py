"""OWL consistency check of the ontology (and optionally data) with the HermiT reasoner owlready2 ships.

HermiT runs on Java. OWL 2's datatype map has no ``xsd:date`` or ``xsd:gYear``, so the copy
handed to the reasoner types those literals and ranges as plain literals: the reasoner checks
the class and property structure (disjointness, domains, ranges, functional properties); date
semantics are SHACL's job (docs/decisions/0006-reasoner.md).

HermiT is asked one question, "which classes are equivalent to owl:Nothing?" (its ``-U``), which it
can only answer for a consistent graph. owlready2's ``sync_reasoner_hermit`` also classifies the
properties and realises every individual, about 4x the CPU on a partnership-year, for answers this
check throws away (docs/decisions/0031-reasoner-asks-one-question.md).
"""
from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path

from rdflib import Graph, Literal
from rdflib.namespace import OWL, RDFS, XSD

from ..errors import ConfigError

_UNSUPPORTED = {XSD.date, XSD.gYear}
_HEADER = "Classes equivalent to "


@dataclass(frozen=True)
class ReasonerResult:
    consistent: bool
    unsatisfiable: tuple[str, ...]
    detail: str = ""


def java_available() -> bool:
    return shutil.which("java") is not None


def _owl2_safe(graph: Graph) -> Graph:
    out = Graph()
    for s, p, o in graph:
        if p == OWL.imports:  # the reasoner would fetch it; reused terms are declared locally (0006)
            continue
        if isinstance(o, Literal) and o.datatype in _UNSUPPORTED:
            o = Literal(str(o))
        elif o in _UNSUPPORTED and p == RDFS.range:
            o = RDFS.Literal
        out.add((s, p, o))
    return out


def hermit_command(path: Path) -> list[str]:
    """HermiT's command line with owlready2's Java, memory setting and bundled jar.

    The JIT stops at its first tier (C1): a HermiT run is a few seconds of one JVM, and the optimising
    compiler's threads took more CPU than they saved (measured on the ontology alone 2.7 -> 1.5 s of
    CPU, with THSCP 2023-24 6.6 -> 4.1 s, the wall time no longer; same verdicts; issue 16,
    docs/decisions/0032-suite-time-waits-and-repeated-work.md). A JVM without the option ignores it."""
    import owlready2

    hermit = Path(owlready2.__file__).parent / "hermit"
    classpath = os.pathsep.join([str(hermit), str(hermit / "HermiT.jar")])  # as owlready2 builds it
    return [owlready2.JAVA_EXE, "-XX:+IgnoreUnrecognizedVMOptions", "-XX:TieredStopAtLevel=1",
            f"-Xmx{owlready2.JAVA_MEMORY}M", "-cp", classpath,
            "org.semanticweb.HermiT.cli.CommandLine", "--no-prefixes", "--unsatisfiable", path.as_uri()]


def unsatisfiable_classes(output: str) -> tuple[str, ...]:
    """The class IRIs HermiT's ``-U`` answer lists, less owl:Nothing itself."""
    head, found, body = output.partition(_HEADER)
    if not found:
        raise ConfigError(f"HermiT gave no answer: {output.strip()[:300]}",
                          fix="run `thscp-kg reason` again; if it persists, reinstall owlready2.")
    lines = body.splitlines()[1:]
    return tuple(sorted(line.strip() for line in lines
                        if line.startswith("\t") and line.strip() != str(OWL.Nothing)))


def check_consistency(graph: Graph) -> ReasonerResult:
    """Run HermiT on ``graph``; raise ``ConfigError`` with a clear message when Java is missing."""
    if not java_available():
        raise ConfigError("the OWL reasoner needs Java, which is not installed.",
                          fix="install a Java runtime (Debian: apt-get install default-jre-headless); "
                              "every other check works without it.")
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "graph.nt"
        _owl2_safe(graph).serialize(path, format="nt", encoding="utf-8")
        run = subprocess.run(hermit_command(path), stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    output = run.stdout.decode("utf-8", "replace")
    if run.returncode != 0:
        if "Inconsistent ontology" in output:  # the test owlready2 makes of the same exit
            return ReasonerResult(False, ())
        raise ConfigError(f"HermiT stopped with exit {run.returncode}: {output.strip()[-300:]}",
                          fix="check that Java 8 or later is installed (`java -version`).")
    unsat = unsatisfiable_classes(output)
    return ReasonerResult(not unsat, unsat)
