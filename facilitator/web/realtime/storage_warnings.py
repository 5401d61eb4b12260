"""Storage warnings: a bijeenkomst's host screens hear that storing fails (at most every few seconds) and that it
works again."""

from __future__ import annotations

import logging
import threading
import time

from flask import has_request_context
from flask_babel import gettext as _
from flask_socketio import SocketIO

from facilitator.core.domain import N_
from facilitator.web import wire
from facilitator.web.realtime.events import STORAGE_OK, STORAGE_WARNING
from facilitator.web.realtime.rooms import host_room

log = logging.getLogger(__name__)

#: Seconds between two storage_warning events to one bijeenkomst's host screens while writes keep failing.
STORAGE_WARNING_EVERY = 2.0


_STORAGE_WARNING_TEXT = N_(
    "Opslaan lukt niet: de schijf is vol of de map is niet schrijfbaar. "
    "Bijdragen blijven op de telefoons staan en worden opnieuw verstuurd."
)


def storage_warning_message() -> str:
    """Return what the host screen says while storing fails, translated (Dutch outside a request)."""
    return _(_STORAGE_WARNING_TEXT) if has_request_context() else _STORAGE_WARNING_TEXT


class StorageWarnings:
    """Which bijeenkomsten' last write failed, and the warnings their host screens get."""

    def __init__(self, socketio: SocketIO) -> None:
        self.socketio = socketio
        self._lock = threading.Lock()
        #: Bijeenkomsten whose last write failed, with when their host screens were last warned.
        self._warned: dict[str, float] = {}

    def health(self, session_id: str, ok: bool) -> None:
        """Warn a bijeenkomst's host screens that storing fails (at most every few seconds), or that it works again."""
        now = time.monotonic()
        with self._lock:
            if ok:
                if self._warned.pop(session_id, None) is None:
                    return
            else:
                last = self._warned.get(session_id)
                if last is not None and now - last < STORAGE_WARNING_EVERY:
                    return
                self._warned[session_id] = now
        if ok:
            log.warning("storing works again")
            ok_payload: wire.Nothing = {}
            self.socketio.emit(STORAGE_OK, ok_payload, to=host_room(session_id))
        else:
            warning: wire.StorageWarning = {"message": storage_warning_message()}
            self.socketio.emit(STORAGE_WARNING, warning, to=host_room(session_id))

    def failing(self, session_id: str) -> bool:
        """Tell whether the bijeenkomst's last write failed (so a host screen that joins now shows the warning)."""
        with self._lock:
            return session_id in self._warned
