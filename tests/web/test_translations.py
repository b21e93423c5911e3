"""Every user-facing string has a Dutch translation (formal), and the catalogues compile."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

LOCALE = Path(__file__).resolve().parents[2] / "src" / "meetlat" / "locale"


def _statistics(po: Path) -> str:
    result = subprocess.run(
        ["msgfmt", "--check", "--statistics", "-o", "/dev/null", str(po)],
        capture_output=True,
        text=True,
        check=True,
    )
    return result.stderr.strip().splitlines()[-1]


def test_the_dutch_catalogue_is_complete_and_has_no_fuzzy_entries() -> None:
    stats = _statistics(LOCALE / "nl" / "LC_MESSAGES" / "django.po")
    assert re.fullmatch(r"\d+ translated messages\.", stats), stats


def test_the_english_catalogue_compiles() -> None:
    stats = _statistics(LOCALE / "en" / "LC_MESSAGES" / "django.po")
    assert "translated" in stats or "untranslated" in stats


def test_dutch_texts_address_the_reader_formally() -> None:
    text = (LOCALE / "nl" / "LC_MESSAGES" / "django.po").read_text(encoding="utf-8")
    msgstrs = re.findall(r'^msgstr(?:\[\d\])? "(.*)"$', text, flags=re.MULTILINE)
    informal = [s for s in msgstrs if re.search(r"\b(je|jij|jouw|jullie)\b", s, re.IGNORECASE)]
    assert informal == []
