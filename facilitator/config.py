"""Settings with safe defaults; override with an instance config.py, FACILITATOR_* variables, or create_app(config)."""

from __future__ import annotations

import os
from pathlib import Path

#: The name of the per-user data folder: ~/.local/share/rode-draad on Linux, ~/Library/Application Support/rode-draad
#: on macOS, %LOCALAPPDATA%\rode-draad on Windows (platformdirs).
APP_NAME = "rode-draad"
#: The default data folder of earlier versions, relative to wherever the command was started; the commands point
#: out bijeenkomsten left there (cli.py), so that starting from another folder never seems to lose them.
OLD_DATA_DIR = "rode-draad-data"


class DefaultConfig:
    """Every setting Rode Draad reads, with its default."""

    #: Folder for the bijeenkomst files and the facilitator key (created when missing); empty means the per-user
    #: data folder (see `data_dir`), the same whichever folder a command is started from.
    DATA_DIR = ""
    #: "tinydb" (one file per bijeenkomst, the default) or "memory" (tests only: nothing survives).
    STORAGE = "tinydb"
    #: Base URL phones use, e.g. "http://192.168.1.20:5000"; empty means: detect the LAN address.
    PUBLIC_URL = ""
    #: A function returning the laptop's LAN addresses, default route first; None means `network.lan_addresses`.
    #: Tests pass a fake whose answer they change, to move the laptop to another network.
    LAN_ADDRESSES = None
    #: How often the host view asks for the laptop's addresses, in seconds (it warns within two of these).
    ADDRESS_CHECK_SECONDS = 4
    #: How long the host view waits for a phone to open the test QR code before it lists the likely causes.
    PROBE_WAIT_SECONDS = 60
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
    #: Events one phone may send at once before "te snel" (too_fast): a whole outbox after a reconnect (at most 20
    #: contributions per kind) plus a few taps. Counted per participant, so reconnecting does not refill it; the
    #: host is never limited. 0 switches the limit off (only for tests that fire thousands of events).
    PHONE_EVENTS_BURST = 30
    #: Events per second one phone may send sustained once its burst is used. Nobody types, votes or places cards
    #: this fast for long (a contribution takes seconds to type, a table draft saves at most once per 1.2 s).
    PHONE_EVENTS_PER_SECOND = 5.0
    #: Wrong join or role codes one address may try per CODE_GUESS_WINDOW_SECONDS before every lookup from it gets
    #: "te veel pogingen" (429). Addresses are kept in memory only, as a salted hash, and never logged or written.
    CODE_GUESSES_PER_ADDRESS = 10
    #: Wrong codes from all addresses together per window before every lookup gets 429 for a while: so that
    #: rotating addresses does not help (a 6-character code from 32 letters then takes years to guess).
    CODE_GUESSES_OVERALL = 300
    #: The sliding window for the two counts above, in seconds.
    CODE_GUESS_WINDOW_SECONDS = 60
    #: Phones one address may join per JOIN_WINDOW_SECONDS, with the right code: a phone joins once, so a handful
    #: covers a reload, another bijeenkomst, a mistake. In a meeting room every phone has its own address; a
    #: script that adds phones (or dots) by the hundred gets "te veel aanmeldingen" (429). The laptop's own
    #: 127.0.0.1 and ::1 are never limited, so that local tests and benchmarks can simulate a room. 0: no limit.
    JOINS_PER_ADDRESS = 5
    #: The sliding window for JOINS_PER_ADDRESS, in seconds.
    JOIN_WINDOW_SECONDS = 60
    #: How many reverse proxies stand in front of the server (0: none, the default). Only when this is set is the
    #: client's address taken from X-Forwarded-For (the last this-many hops), and its scheme and the name it asked
    #: for from X-Forwarded-Proto and X-Forwarded-Host; otherwise those headers are ignored. Set it only when
    #: every request comes through the proxy: anyone who can reach the server directly could then claim any address.
    REVERSE_PROXIES = 0
    #: A connection must send a complete request head (request line and headers) within this many seconds after it
    #: opened, or after the previous answer on a kept-alive connection; otherwise it is closed (slowloris). An
    #: answer that is under way, a long poll or a websocket is not cut by this.
    REQUEST_HEAD_SECONDS = 15
    #: A connection that lets a single read or write wait longer than this is closed (a request body that stops
    #: coming, a client that stops reading). Must stay above Socket.IO's ping interval plus ping timeout
    #: (25 + 20 s), between which every live phone sends something.
    SOCKET_TIMEOUT_SECONDS = 60
    #: How long a participant's cookie lives, in seconds (one long afternoon and then some).
    PARTICIPANT_COOKIE_SECONDS = 24 * 3600
    #: Days a new bijeenkomst is kept after its date or its last activity, whichever is later; then a start of the
    #: server announces its deletion and a later one deletes it (see services/retention.py). The join screen says so.
    RETENTION_DAYS = 30
    #: Tests only: the day (yyyy-mm-dd) the start-up retention check takes as today; empty means the real date.
    RETENTION_TODAY = ""
    #: The system whose firewall the connection test advises about: "Windows", "Darwin" (macOS), "Linux"; empty
    #: means this one (platform.system()). Tests set another to see that system's advice.
    PLATFORM = ""
    #: Set when served over HTTPS so cookies get the Secure flag.
    SECURE_COOKIES = False

    # -- sending the verslag by e-mail (each also as FACILITATOR_MAIL_HOST etc. in the environment); defaults only:
    # once saved on Instellingen → E-mail (mail_config.py), the settings there win, without a restart. ---------
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
    #: The name shown with it, e.g. "Samenwerkingsverband Noord"; empty: the address alone.
    MAIL_SENDER_NAME = ""
    #: Seconds to wait for the mailserver on each step before giving up.
    MAIL_TIMEOUT = 20
    #: Extra CA bundle (PEM file) for a mailserver with the organisation's own certificate; verification stays on.
    MAIL_CA_FILE = ""
    #: The browser that prints the verslag to PDF (Edge, Chrome or Chromium); empty means: look where they are
    #: installed (Program Files and LocalAppData on Windows, /Applications on macOS) and on the PATH.
    CHROMIUM = ""
    #: Load the clusterer's libraries (scikit-learn, the Dutch word list) when the server starts, instead of at the
    #: first "Stel thema's voor": that first load holds the interpreter for seconds and would delay every phone's
    #: ack in the middle of the afternoon. Costs about 1.5 s of start-up and 110 MB from the start.
    WARM_UP_CLUSTERING = True
    #: `facilitator serve` opens the facilitator's page (the printed link) in the default browser once it listens;
    #: False (FACILITATOR_OPEN_BROWSER=false, or --no-browser) leaves that to the facilitator. Tests turn it off.
    OPEN_BROWSER = True
    #: Benchmarks only (FACILITATOR_LAG_PROBE=1): measure how late the event loop wakes up and serve the samples
    #: to the facilitator at /host/lag-probe (see facilitator/web/lag_probe.py and bench/README.md). Off in a real room.
    LAG_PROBE = False


def data_dir(configured: str | os.PathLike[str] | int | None = None, *, system: str | None = None) -> Path:
    """Return the data folder as an absolute path: the configured one, else the per-user data folder.

    `system` ("Windows", "Darwin", "Linux") names another system than this one: tests ask for each system's folder.
    """
    if configured not in (None, ""):
        return Path(os.path.abspath(os.path.expanduser(str(configured))))
    from facilitator.platforms import user_data_dir

    return user_data_dir(APP_NAME, system)
