"""Settings come from environment variables, fail loudly, and are all documented."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured

from meetlat.envconf import database_from_url, env_bool, env_int, env_secret

ROOT = Path(__file__).resolve().parent.parent
SETTINGS = ROOT / "src" / "meetlat" / "settings.py"


def _settings_in_subprocess(env: dict[str, str], expr: str, tmp_path: Path) -> object:
    clean = {k: v for k, v in os.environ.items() if not k.startswith("MEETLAT_")}
    clean.update({"MEETLAT_DATA_DIR": str(tmp_path), **env})
    code = f"import json, meetlat.settings as s; print(json.dumps({expr}, default=str))"
    out = subprocess.run(
        [sys.executable, "-c", code], env=clean, capture_output=True, text=True, check=False
    )
    if out.returncode != 0:
        return {"error": out.stderr.strip().splitlines()[-1]}
    return json.loads(out.stdout)


def test_every_environment_variable_is_documented() -> None:
    names = set(re.findall(r'"(MEETLAT_[A-Z_]+)"', SETTINGS.read_text(encoding="utf-8")))
    doc = (ROOT / "docs" / "configuration.md").read_text(encoding="utf-8")
    assert names, "settings.py reads no variables?"
    assert sorted(n for n in names if n not in doc) == []


def test_without_environment_the_database_is_sqlite_with_wal_in_the_data_dir(
    tmp_path: Path,
) -> None:
    db = _settings_in_subprocess({}, "s.DATABASES['default']", tmp_path)
    assert isinstance(db, dict)
    assert db["ENGINE"] == "django.db.backends.sqlite3"
    assert db["NAME"] == str(tmp_path / "meetlat.sqlite3")
    assert "journal_mode=WAL" in db["OPTIONS"]["init_command"]


def test_the_secret_key_is_generated_once_into_the_data_dir(tmp_path: Path) -> None:
    first = _settings_in_subprocess({}, "s.SECRET_KEY", tmp_path)
    second = _settings_in_subprocess({}, "s.SECRET_KEY", tmp_path)
    assert isinstance(first, str) and len(first) > 40
    assert first == second
    assert (tmp_path / "secret_key").stat().st_mode & 0o077 == 0


def test_outside_debug_cookies_are_secure_and_argon2_hashes_passwords(tmp_path: Path) -> None:
    values = _settings_in_subprocess(
        {}, "[s.SESSION_COOKIE_SECURE, s.CSRF_COOKIE_SECURE, s.PASSWORD_HASHERS[0]]", tmp_path
    )
    assert values == [True, True, "django.contrib.auth.hashers.Argon2PasswordHasher"]


def test_a_malformed_boolean_stops_start_up(tmp_path: Path) -> None:
    result = _settings_in_subprocess({"MEETLAT_DEBUG": "perhaps"}, "s.DEBUG", tmp_path)
    assert isinstance(result, dict)
    assert "MEETLAT_DEBUG='perhaps' is not a boolean" in result["error"]


def test_env_readers_raise_on_bad_values(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("X_INT", "twelve")
    monkeypatch.setenv("X_BOOL", "yes")
    with pytest.raises(ImproperlyConfigured, match="X_INT='twelve' is not an integer"):
        env_int("X_INT", 1)
    assert env_bool("X_BOOL", False) is True
    monkeypatch.delenv("X_SECRET", raising=False)
    with pytest.raises(ImproperlyConfigured, match="X_SECRET is required"):
        env_secret("X_SECRET")


def test_secrets_can_come_from_a_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    secret = tmp_path / "s.txt"
    secret.write_text("from-file\n", encoding="utf-8")
    monkeypatch.delenv("X_SECRET", raising=False)
    monkeypatch.setenv("X_SECRET_FILE", str(secret))
    assert env_secret("X_SECRET") == "from-file"


def test_database_urls_are_parsed_for_postgres_and_sqlite() -> None:
    pg = database_from_url("postgres://meet:p%40ss@db.local:6543/meetlat?sslmode=require")
    assert pg["ENGINE"] == "django.db.backends.postgresql"
    assert (pg["USER"], pg["PASSWORD"], pg["HOST"], pg["PORT"], pg["NAME"]) == (
        "meet",
        "p@ss",
        "db.local",
        "6543",
        "meetlat",
    )
    assert pg["OPTIONS"] == {"sslmode": "require"}
    assert database_from_url("sqlite:////abs/x.db")["NAME"] == "/abs/x.db"
    with pytest.raises(ImproperlyConfigured, match="unsupported scheme 'mysql'"):
        database_from_url("mysql://x/y")
