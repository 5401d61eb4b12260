"""One answer to "where is the data?" for every command: --data-dir, else the DATA_DIR setting, else per user."""

from __future__ import annotations

from pathlib import Path

import flask
import pytest
from click.testing import CliRunner

from facilitator import create_app, data_folder
from facilitator.cli import main


@pytest.fixture
def per_user(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """No folder chosen; platformdirs' per-user data folder lies under tmp_path; the command starts elsewhere."""
    monkeypatch.delenv("FACILITATOR_DATA_DIR", raising=False)
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "xdg"))
    (tmp_path / "elders").mkdir()
    monkeypatch.chdir(tmp_path / "elders")
    return tmp_path / "xdg" / "rode-draad"


def served_folder(**config: str) -> Path:
    """Return the folder the server's app would use (the same layers as `facilitator serve`)."""
    return Path(create_app({"STORAGE": "memory", **config}).config["DATA_DIR"])


def test_the_default_is_the_per_user_folder_not_the_current_one(per_user: Path) -> None:
    assert data_folder() == per_user
    assert served_folder() == per_user


def test_the_environment_variable_is_read_by_every_command(per_user: Path, tmp_path: Path,
                                                           monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("FACILITATOR_DATA_DIR", "gedeeld")
    assert data_folder() == served_folder() == tmp_path / "elders" / "gedeeld"  # absolute, once, from here


def test_the_flag_wins_over_the_environment(per_user: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("FACILITATOR_DATA_DIR", str(tmp_path / "omgeving"))
    assert data_folder(str(tmp_path / "vlag")) == served_folder(DATA_DIR=str(tmp_path / "vlag")) == tmp_path / "vlag"


def test_an_instance_config_is_read_by_every_command(per_user: Path, tmp_path: Path,
                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    instance = tmp_path / "instance"
    instance.mkdir()
    (instance / "config.py").write_text(f"DATA_DIR = {str(tmp_path / 'instantie')!r}\n", encoding="utf-8")
    monkeypatch.setattr(flask.Flask, "auto_find_instance_path", lambda self: str(instance))
    assert data_folder() == served_folder() == tmp_path / "instantie"


def test_list_points_out_bijeenkomsten_in_the_old_default_folder(per_user: Path, tmp_path: Path) -> None:
    old = tmp_path / "elders" / "rode-draad-data"
    (old / "sessions").mkdir(parents=True)
    (old / "sessions" / "abc.json").write_text("{}", encoding="utf-8")
    result = CliRunner().invoke(main, ["list"])
    assert result.exit_code == 1
    assert result.stderr.splitlines() == [
        f"Er staat ook 1 bijeenkomst in {old}; start met --data-dir {old} om die te gebruiken.",
        f"Error: Geen bijeenkomsten gevonden in {per_user}.",
    ]
    # Chosen explicitly, the old folder is simply used, without a remark.
    result = CliRunner().invoke(main, ["list", "--data-dir", "rode-draad-data"])
    assert "Er staat ook" not in result.output
