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


def copy_thscp(folder: Path, name: str = "2023-24.yaml", source: Path = THSCP_2023_24) -> Path:
    """A THSCP data file copied into ``folder`` with its sources/ beside it (its ``file:`` paths
    are relative to the data file, and a declared file that is missing is bad input)."""
    import shutil

    folder.mkdir(parents=True, exist_ok=True)
    shutil.copy(source, folder / name)
    shutil.copytree(source.parent / "sources", folder / "sources", dirs_exist_ok=True)
    return folder / name
