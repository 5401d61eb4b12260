"""Registering socket handlers: Flask-SocketIO's `on` decorator and `request.sid` are untyped, so they are typed here,
in one place, instead of a `type: ignore` at every handler."""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

from flask import request
from flask_socketio import SocketIO

Handler = TypeVar("Handler", bound=Callable[..., object])


def listen(socketio: SocketIO, event: str) -> Callable[[Handler], Handler]:
    """Register a function as the handler of an event (Flask-SocketIO's `socketio.on`); it stays as it is."""
    register = socketio.on(event)

    def decorate(function: Handler) -> Handler:
        register(function)
        return function

    return decorate


def connection_sid() -> str:
    """Return the Socket.IO id of the connection whose event is being handled (Flask-SocketIO sets request.sid)."""
    sid = getattr(request, "sid", None)
    if not isinstance(sid, str):
        raise RuntimeError("connection_sid() outside a Socket.IO event")
    return sid
