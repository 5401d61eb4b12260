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
    #: How long a participant's cookie lives, in seconds (one long afternoon and then some).
    PARTICIPANT_COOKIE_SECONDS = 24 * 3600
    #: Days a new bijeenkomst is kept after its date or its last activity, whichever is later; then a start of the
    #: server announces its deletion and a later one deletes it (see services/retention.py). The join screen says so.
    RETENTION_DAYS = 30
    #: Tests only: the day (yyyy-mm-dd) the start-up retention check takes as today; empty means the real date.
    RETENTION_TODAY = ""
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
    #: Load the clusterer's libraries (scikit-learn, the Dutch word list) when the server starts, instead of at the
    #: first "Stel thema's voor": that first load holds the interpreter for seconds and would delay every phone's
    #: ack in the middle of the afternoon. Costs about 1.5 s of start-up and 110 MB from the start.
    WARM_UP_CLUSTERING = True
    #: Benchmarks only (FACILITATOR_LAG_PROBE=1): measure how late the event loop wakes up and serve the samples
    #: to the facilitator at /host/lag-probe (see facilitator/lag_probe.py and bench/README.md). Off in a real room.
    LAG_PROBE = False
