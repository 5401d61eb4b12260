"""Settings with safe defaults; override with an instance config.py, FACILITATOR_* variables, or create_app(config)."""

from __future__ import annotations


class DefaultConfig:
    """Every setting Rode Draad reads, with its default."""

    #: Folder for the bijeenkomst files and the facilitator key (created when missing).
    DATA_DIR = "rode-draad-data"
    #: "tinydb" (one file per bijeenkomst, the default) or "memory" (tests only: nothing survives).
    STORAGE = "tinydb"
    #: Base URL phones use, e.g. "http://192.168.1.20:5000"; empty means: detect the LAN address.
    PUBLIC_URL = ""
    #: The facilitator's secret; empty means: read or create `<DATA_DIR>/facilitator.key`.
    HOST_KEY = ""
    #: "threading" for tests and tools; `facilitator serve` sets "eventlet".
    ASYNC_MODE = "threading"
    #: Dutch first; English second.
    BABEL_DEFAULT_LOCALE = "nl"
    LANGUAGES = ("nl", "en")
    #: Largest HTTP request body, in bytes.
    MAX_CONTENT_LENGTH = 64 * 1024
    #: Largest Socket.IO message, in bytes; a bigger frame closes only that connection.
    SOCKETIO_MAX_MESSAGE_BYTES = 64 * 1024
    #: How long a participant's cookie lives, in seconds (one long afternoon and then some).
    PARTICIPANT_COOKIE_SECONDS = 24 * 3600
    #: Days after its date that a bijeenkomst is deleted (at the next start); the join screen promises this.
    RETENTION_DAYS = 30
    #: Set when served over HTTPS so cookies get the Secure flag.
    SECURE_COOKIES = False
