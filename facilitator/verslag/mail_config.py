"""The mail settings the facilitator enters on Instellingen → E-mail, kept on this laptop only.

The settings (server, port, security, login name, sender) are a small JSON file in the data folder; the password
is a file of its own, created with mode 0600 so that only this user account can read it. On Windows the mode
only sets "read-only"; there the protection is the folder itself: the data folder lies in the user's
%LOCALAPPDATA%, which only that user (and administrators) can open. Neither file is ever logged or shown.

Once saved, the stored settings replace the MAIL_* settings from the environment or config.py, which stay the
defaults until then. Both files are read on every use, so a change takes effect at once, without a restart.
"""

from __future__ import annotations

import json
import os
import secrets
import threading
from collections.abc import Mapping
from pathlib import Path
from typing import Any

#: The settings the page edits, as the MAIL_* config keys mail.MailSettings.from_config reads.
FIELDS = ("MAIL_HOST", "MAIL_PORT", "MAIL_SECURITY", "MAIL_USER", "MAIL_SENDER", "MAIL_SENDER_NAME")
SETTINGS_FILE = "mail-settings.json"
PASSWORD_FILE = "mail-password"
#: Read and write for the owner only.
PRIVATE = 0o600


class MailSettingsStore:
    """The saved mail settings and password: files in `folder`, or in memory when folder is None (tests)."""

    def __init__(self, folder: str | os.PathLike[str] | None) -> None:
        self.folder = Path(folder) if folder is not None else None
        self._memory: dict[str, Any] | None = None
        self._memory_password: str | None = None
        self._lock = threading.Lock()

    def stored(self) -> dict[str, Any] | None:
        """Return the saved settings (MAIL_* keys), or None when the page was never saved."""
        if self.folder is None:
            return dict(self._memory) if self._memory is not None else None
        try:
            data = json.loads((self.folder / SETTINGS_FILE).read_text(encoding="utf-8"))
        except FileNotFoundError:
            return None
        except (OSError, ValueError):
            return None  # a damaged file counts as never saved: the defaults apply and the page can save again
        if not isinstance(data, dict):
            return None
        return {key: data[key] for key in FIELDS if key in data}

    def password(self) -> str | None:
        """Return the saved password, or None when none is saved."""
        if self.folder is None:
            return self._memory_password
        try:
            return (self.folder / PASSWORD_FILE).read_text(encoding="utf-8")
        except FileNotFoundError:
            return None

    def save(self, values: Mapping[str, Any], *, password: str | None = None, forget_password: bool = False) -> None:
        """Save the settings; a password replaces the saved one, None keeps it, forget_password removes it."""
        settings = {key: values.get(key, "") for key in FIELDS}
        with self._lock:
            if self.folder is None:
                self._memory = settings
                if forget_password:
                    self._memory_password = None
                elif password is not None:
                    self._memory_password = password
                return
            self.folder.mkdir(parents=True, exist_ok=True)
            if forget_password:
                (self.folder / PASSWORD_FILE).unlink(missing_ok=True)
            elif password is not None:
                _write_private(self.folder / PASSWORD_FILE, password.encode("utf-8"))
            _write_private(self.folder / SETTINGS_FILE, json.dumps(settings, indent=2).encode("utf-8"))

    def effective(self, config: Mapping[str, Any]) -> dict[str, Any]:
        """Return the MAIL_* settings to send with: the saved ones over the config's (environment, config.py)."""
        merged = {key: config.get(key) for key in (*FIELDS, "MAIL_PASSWORD", "MAIL_TIMEOUT", "MAIL_CA_FILE")}
        stored = self.stored()
        if stored is not None:
            merged.update(stored)
            # The page's login replaces the environment's as a whole: another user with the old password is no use.
            merged["MAIL_PASSWORD"] = ""
        saved_password = self.password()
        if saved_password is not None:
            merged["MAIL_PASSWORD"] = saved_password
        return merged


def _write_private(path: Path, data: bytes) -> None:
    """Replace a file atomically with one only this user can read: made 0600 from the start, never wider."""
    temporary = path.with_name(f".{path.name}.{secrets.token_hex(6)}.tmp")
    # os.open with the mode, not write-then-chmod: the file never exists readable by others, not even briefly.
    fd = os.open(temporary, os.O_CREAT | os.O_EXCL | os.O_WRONLY | getattr(os, "O_BINARY", 0), PRIVATE)
    try:
        with os.fdopen(fd, "wb") as file:
            file.write(data)
            file.flush()
            os.fsync(file.fileno())
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
