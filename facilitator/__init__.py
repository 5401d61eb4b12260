"""Rode Draad: live facilitation for Dutch dialoogsessies. `create_app` is the one factory."""

from __future__ import annotations

from pathlib import Path
from typing import Any

__version__ = "0.1.0"

_PACKAGE_DIR = Path(__file__).resolve().parent


def resource_dir(name: str) -> Path:
    """Return templates/, static/ or translations/: inside the package when installed, beside it in a checkout."""
    inside = _PACKAGE_DIR / name
    return inside if inside.is_dir() else _PACKAGE_DIR.parent / name


def create_app(config: dict[str, Any] | None = None) -> Any:
    """Build the Flask app with its Socket.IO server, storage and werkvormen."""
    from facilitator.web.app import setup

    app = _configured(config)
    setup(app)
    return app


def data_folder(chosen: str | None = None) -> Path:
    """Return the data folder every command uses: --data-dir, else the DATA_DIR setting, else the per-user one."""
    return Path(_configured({"DATA_DIR": chosen} if chosen else None).config["DATA_DIR"])


def _configured(config: dict[str, Any] | None) -> Any:
    """Return a Flask app with its settings laid in order (defaults, instance config.py, FACILITATOR_*, config)."""
    from flask import Flask

    from facilitator.config import DefaultConfig, data_dir

    app = Flask(
        __name__,
        template_folder=str(resource_dir("templates")),
        static_folder=str(resource_dir("static")),
        instance_relative_config=True,
    )
    app.config.from_object(DefaultConfig)
    app.config.from_pyfile("config.py", silent=True)
    app.config.from_prefixed_env("FACILITATOR")
    app.config.update(config or {})
    app.config["DATA_DIR"] = str(data_dir(app.config["DATA_DIR"]))
    return app
