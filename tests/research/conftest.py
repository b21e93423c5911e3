from __future__ import annotations

from pathlib import Path

import pytest

from tests.research.samples import examples_text, write


@pytest.fixture
def examples_csv(tmp_path: Path) -> Path:
    """METHODOLOGY §2.6 and §2.7 as an observations CSV for GM9901 Meetdorp."""
    return write(tmp_path / "waarnemingen.csv", examples_text())
