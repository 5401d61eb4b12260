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

    # -- sending the verslag by e-mail (each also as FACILITATOR_MAIL_HOST etc. in the environment) --------
    #: The SMTP server, e.g. "smtp.office365.com"; empty means: mailing is off (download and send it yourself).
    MAIL_HOST = ""
    #: Its port: 587 for STARTTLS (the usual); set 465 with MAIL_SECURITY "ssl", 25 for a plain relay.
    MAIL_PORT = 587
    #: "starttls", "ssl" or "none" (only for a relay on the local network; the password would travel in clear).
    MAIL_SECURITY = "starttls"
    #: Login name at the mailserver; empty means: no login.
    MAIL_USER = ""
    #: Its password; never shown on a page or written to a log.
    MAIL_PASSWORD = ""
    #: The From address of the verslag, e.g. "verslag@samenwerkingsverband.nl"; required when MAIL_HOST is set.
    MAIL_SENDER = ""
    #: Seconds to wait for the mailserver on each step before giving up.
    MAIL_TIMEOUT = 20
    #: Extra CA bundle (PEM file) for a mailserver with the organisation's own certificate; verification stays on.
    MAIL_CA_FILE = ""
    #: Chromium or Chrome that prints the verslag to PDF; empty means: look for chromium/chrome on the PATH.
    CHROMIUM = ""
