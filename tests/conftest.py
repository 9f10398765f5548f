from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
REQUIREMENT_FIXTURES = ROOT / "tests" / "requirements"
THSCP_2023_24 = ROOT / "data" / "tower-hamlets" / "2023-24.yaml"


@pytest.fixture(scope="session")
def catalogue():
    from thscp_kg.rules.catalogue import load_catalogue
    return load_catalogue()


@pytest.fixture(scope="session")
def shapes():
    from thscp_kg.validate.shapes import shapes_graph
    return shapes_graph()


@pytest.fixture(scope="session")
def thscp_run():
    from thscp_kg.pipeline import check_file
    return check_file(THSCP_2023_24, display="data/tower-hamlets/2023-24.yaml")


# Measuring a child process's own peak memory. On Linux a child's ru_maxrss starts from its
# parent's resident size at fork (the high-water mark survives exec), so a child started from a
# large pytest worker reports the worker's memory, not its own. The command is therefore started
# by a small launcher process, which forks the real child from its own fresh, small memory and
# writes the child's rusage to a file: that figure is the child's alone.
MEASURE_LAUNCHER = """
import json, os, subprocess, sys
child = subprocess.Popen(sys.argv[2:])
_, status, usage = os.wait4(child.pid, 0)
with open(sys.argv[1], "w") as fh:
    json.dump({"status": status, "cpu": usage.ru_utime + usage.ru_stime, "maxrss": usage.ru_maxrss}, fh)
sys.exit(os.waitstatus_to_exitcode(status) % 256)
"""


def measured_command(argv: list[str], usage_file: Path) -> list[str]:
    """``argv`` wrapped in the launcher; after it exits, read the child's usage with ``child_usage``."""
    import sys

    return [sys.executable, "-c", MEASURE_LAUNCHER, str(usage_file), *argv]


def child_usage(usage_file: Path) -> tuple[int, float, int]:
    """(exit code, CPU seconds, peak resident bytes) of the measured child."""
    import json
    import os
    import sys

    data = json.loads(usage_file.read_text())
    return (os.waitstatus_to_exitcode(data["status"]), data["cpu"],
            data["maxrss"] * (1 if sys.platform == "darwin" else 1024))
