"""Shared fixtures: an app on in-memory storage, HTTP clients, Socket.IO test clients."""

from __future__ import annotations

import os
from collections.abc import Iterator
from typing import Any

import pytest

from facilitator import create_app

HOST_KEY = "test-facilitator-key-0123456789abcdef"

# No test opens a browser: every server a test starts inherits this (LiveServer also passes --no-browser).
os.environ.setdefault("FACILITATOR_OPEN_BROWSER", "false")


@pytest.fixture
def app() -> Any:
    return create_app({"STORAGE": "memory", "HOST_KEY": HOST_KEY, "TESTING": True})


@pytest.fixture
def deps(app: Any) -> Any:
    return app.extensions["rode_draad"]


@pytest.fixture
def socketio(app: Any) -> Any:
    return app.extensions["rode_draad"].realtime.socketio


@pytest.fixture
def host_http(app: Any) -> Any:
    client = app.test_client()
    response = client.get(f"/host/login?key={HOST_KEY}")
    assert response.status_code == 303
    return client


@pytest.fixture
def bijeenkomst(host_http: Any) -> dict[str, Any]:
    response = host_http.post("/host/sessions", json={"title": "Dialoogsessie", "series": "Mentale veerkracht"})
    assert response.status_code == 201
    return response.get_json()


class Phones:
    """Makes joined phones (HTTP join, then a Socket.IO test client that has sent join_session)."""

    def __init__(self, app: Any, socketio: Any, bijeenkomst: dict[str, Any]) -> None:
        self.app, self.socketio, self.bijeenkomst = app, socketio, bijeenkomst
        self.clients: list[Any] = []

    def join(self, **fields: Any) -> Any:
        http = self.app.test_client()
        response = http.post(f"/j/{self.bijeenkomst['join_code']}", json=fields)
        assert response.status_code == 200
        client = self.socketio.test_client(self.app, flask_test_client=http)
        ack = client.emit("join_session", {"session": self.bijeenkomst["id"], "role": "participant"}, callback=True)
        assert ack == {"ok": True, "role": "participant"}
        client.token = response.get_json()["token"]
        self.clients.append(client)
        return client

    def close(self) -> None:
        for client in self.clients:
            if client.is_connected():
                client.disconnect()


@pytest.fixture
def phones(app: Any, socketio: Any, bijeenkomst: dict[str, Any]) -> Iterator[Phones]:
    made = Phones(app, socketio, bijeenkomst)
    yield made
    made.close()


@pytest.fixture
def host_socket(app: Any, socketio: Any, host_http: Any, bijeenkomst: dict[str, Any]) -> Iterator[Any]:
    client = socketio.test_client(app, flask_test_client=host_http)
    ack = client.emit("join_session", {"session": bijeenkomst["id"], "role": "host"}, callback=True)
    assert ack == {"ok": True, "role": "host"}
    yield client
    if client.is_connected():
        client.disconnect()

