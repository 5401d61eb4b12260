"""The floor: a bare python-socketio server on eventlet doing only the core job, for comparison.

    python bench/floor_server.py [--host 127.0.0.1] [--port 0] [--key KEY]

It takes a phone's submission, emits it to the host room and acks it, and stores NOTHING: no
database, no journal, no fsync, no Flask. It speaks just enough of Rode Draad's protocol for
bench/load.py to drive it unchanged (see bench/README.md, "The floor"):

    GET  /host/login?key=KEY  -> 303, cookie rd_host=KEY
    GET  /healthz             -> 200 {"ok": true}
    POST /host/sessions       -> 201 {"ok", "id", "join_code", "join_url", "host_url"}   (host cookie)
    POST /j/<code>            -> 200 {"ok": true, "session": id, "token": random}
    Socket.IO join_session {session, role}            -> room; ack {ok: true, role}
    Socket.IO submit_contribution {session, client_id, text}
                              -> contribution_added {contribution: {...}} to the host room, then
                                 ack {ok: true, id}

Served like the product (facilitator/cli.py): eventlet monkey-patched first, eventlet's own WSGI
server on a listening socket with TCP_NODELAY, gc.freeze() after start-up, log_output=False. It
prints the same host-link line as the product, so LiveServer-style parsing finds it.
Only loopback addresses are accepted: this is a benchmark tool, not a server for a room.
"""

import os

os.environ.setdefault("EVENTLET_NO_GREENDNS", "yes")

import warnings  # noqa: E402

warnings.filterwarnings("ignore", message=r"\s*Eventlet is deprecated")

import eventlet  # noqa: E402

eventlet.monkey_patch()

import argparse  # noqa: E402
import gc  # noqa: E402
import hmac  # noqa: E402
import json  # noqa: E402
import secrets  # noqa: E402
import socket  # noqa: E402
import sys  # noqa: E402
import time  # noqa: E402
from collections.abc import Callable, Iterable  # noqa: E402
from http.cookies import SimpleCookie  # noqa: E402
from typing import Any  # noqa: E402
from urllib.parse import parse_qs  # noqa: E402

import eventlet.wsgi  # noqa: E402
import socketio  # noqa: E402

HOST_COOKIE = "rd_host"
LOOPBACK = {"127.0.0.1", "localhost"}
MAX_MESSAGE_BYTES = 64 * 1024  # the product's SOCKETIO_MAX_MESSAGE_BYTES
CODE_LETTERS = "ABCDEFGHJKLMNPQRSTUVWXYZ"

StartResponse = Callable[..., Any]


def host_room(session_id: str) -> str:
    return f"host:{session_id}"


def participants_room(session_id: str) -> str:
    return f"phones:{session_id}"


class Floor:
    """The whole server: a Socket.IO server and a tiny WSGI app for the few HTTP routes."""

    def __init__(self, key: str, port: int) -> None:
        self.key = key
        self.port = port
        # Bijeenkomsten only (id <-> join code): a handful of entries, never the submissions.
        self.sessions: dict[str, str] = {}
        self.codes: dict[str, str] = {}
        self.sio = socketio.Server(
            async_mode="eventlet",
            max_http_buffer_size=MAX_MESSAGE_BYTES,
            logger=False,
            engineio_logger=False,
        )
        self.sio.on("join_session", self.on_join_session)
        self.sio.on("submit_contribution", self.on_submit_contribution)
        self.app = socketio.WSGIApp(self.sio, self.http)

    # -- Socket.IO -----------------------------------------------------------------------------

    def on_join_session(self, sid: str, payload: Any = None) -> dict[str, Any]:
        if not isinstance(payload, dict) or payload.get("session") not in self.sessions:
            return {"ok": False, "error": {"code": "not_found", "message": "unknown session"}}
        session_id, role = payload["session"], payload.get("role")
        if role == "host":
            environ = self.sio.get_environ(sid) or {}
            if not self.is_host(environ):
                return {"ok": False, "error": {"code": "not_authorised", "message": "host cookie"}}
            self.sio.enter_room(sid, host_room(session_id))
        elif role == "participant":
            self.sio.enter_room(sid, participants_room(session_id))
        else:
            return {"ok": False, "error": {"code": "invalid_input", "message": "role"}}
        return {"ok": True, "role": role}

    def on_submit_contribution(self, sid: str, payload: Any = None) -> dict[str, Any]:
        if not isinstance(payload, dict) or not isinstance(payload.get("client_id"), str):
            return {"ok": False, "error": {"code": "invalid_input", "message": "client_id"}}
        session_id, client_id = payload.get("session"), payload["client_id"]
        contribution = {  # the same fields the product sends to screens
            "id": client_id,
            "text": str(payload.get("text", "")),
            "created_at": time.time(),
            "table": None,
            "perspective": None,
            "hidden": False,
        }
        self.sio.emit("contribution_added", {"contribution": contribution}, to=host_room(str(session_id)))
        return {"ok": True, "id": client_id}

    # -- HTTP ----------------------------------------------------------------------------------

    def is_host(self, environ: dict[str, Any]) -> bool:
        cookie = SimpleCookie(environ.get("HTTP_COOKIE", ""))
        morsel = cookie.get(HOST_COOKIE)
        return morsel is not None and hmac.compare_digest(morsel.value.encode(), self.key.encode())

    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def http(self, environ: dict[str, Any], start_response: StartResponse) -> Iterable[bytes]:
        method, path = environ["REQUEST_METHOD"], environ.get("PATH_INFO", "")
        if method == "GET" and path == "/healthz":
            return respond(start_response, "200 OK", {"ok": True})
        if method == "GET" and path == "/host/login":
            key = parse_qs(environ.get("QUERY_STRING", "")).get("key", [""])[0]
            if not hmac.compare_digest(key.encode(), self.key.encode()):
                return respond(start_response, "403 Forbidden", {"ok": False})
            start_response(
                "303 See Other",
                [
                    ("Location", "/host/"),
                    ("Set-Cookie", f"{HOST_COOKIE}={self.key}; HttpOnly; Path=/; SameSite=Lax"),
                    ("Content-Length", "0"),
                ],
            )
            return [b""]
        if method == "POST" and path == "/host/sessions":
            if not self.is_host(environ):
                return respond(start_response, "403 Forbidden", {"ok": False})
            read_json(environ)  # the title; not kept
            session_id = secrets.token_hex(6)
            code = "".join(secrets.choice(CODE_LETTERS) for _ in range(6))
            while code in self.codes:
                code = "".join(secrets.choice(CODE_LETTERS) for _ in range(6))
            self.sessions[session_id], self.codes[code] = code, session_id
            body = {
                "ok": True,
                "id": session_id,
                "join_code": code,
                "join_url": f"{self.base_url()}/j/{code}",
                "host_url": f"{self.base_url()}/host/s/{session_id}",
            }
            return respond(start_response, "201 Created", body)
        if method == "POST" and path.startswith("/j/"):
            joined = self.codes.get(path[3:].upper())
            if joined is None:
                return respond(start_response, "404 Not Found", {"ok": False})
            read_json(environ)  # the table; not kept
            return respond(start_response, "200 OK", {"ok": True, "session": joined, "token": secrets.token_urlsafe(24)})
        return respond(start_response, "404 Not Found", {"ok": False})


def read_json(environ: dict[str, Any]) -> Any:
    try:
        length = min(int(environ.get("CONTENT_LENGTH") or 0), MAX_MESSAGE_BYTES)
        return json.loads(environ["wsgi.input"].read(length) or b"null") if length else None
    except (ValueError, OSError):
        return None


def respond(start_response: StartResponse, status: str, body: dict[str, Any]) -> list[bytes]:
    data = json.dumps(body).encode()
    start_response(status, [("Content-Type", "application/json"), ("Content-Length", str(len(data)))])
    return [data]


def listening_socket(host: str, port: int) -> socket.socket:
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    # As in the product: small frames go out at once (Nagle would add 40 ms to an ack after an emit).
    sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    sock.bind((host, port))
    sock.listen(1024)
    return sock


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Bare python-socketio floor server for bench/load.py.")
    parser.add_argument("--host", default="127.0.0.1", help="127.0.0.1 (or localhost): loopback only")
    parser.add_argument("--port", type=int, default=0, help="port; 0 picks a free one")
    parser.add_argument("--key", default=None, help="facilitator key (default: a random one)")
    args = parser.parse_args(argv)
    if args.host not in LOOPBACK:
        parser.error("--host must be a loopback address: the floor is a benchmark tool")
    sock = listening_socket("127.0.0.1", args.port)
    port = sock.getsockname()[1]
    floor = Floor(args.key or secrets.token_urlsafe(24), port)
    print("Rode Draad vloer (kale python-socketio, slaat niets op) draait.")
    print(f"Gespreksleider (open op deze laptop): http://127.0.0.1:{port}/host/login?key={floor.key}")
    print("Stoppen: Ctrl+C", flush=True)
    gc.collect()
    gc.freeze()
    try:
        eventlet.wsgi.server(sock, floor.app, log_output=False, max_size=4096)
    except KeyboardInterrupt:
        pass
    return 0


if __name__ == "__main__":
    sys.exit(main())
