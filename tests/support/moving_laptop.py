"""`facilitator serve` on a laptop whose network addresses a test decides, by rewriting a file.

    python -m tests.support.moving_laptop ADDRESSES_FILE CONFIG_JSON serve --host 127.0.0.1 --port 0 ...

The real serve command runs unchanged (eventlet, the real routes and sockets); the one difference is the
app's LAN_ADDRESSES setting: a fake provider, like the repository fakes, that reads the addresses from
ADDRESSES_FILE (one JSON list) on every call, so a test moves the laptop to another network by writing it.
CONFIG_JSON holds further settings for create_app (e.g. {"PROBE_WAIT_SECONDS": 2}).
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any


class FileAddresses:
    """A LAN address provider that answers what the test last wrote to a file."""

    def __init__(self, path: Path) -> None:
        self.path = path

    def __call__(self) -> list[str]:
        return [str(a) for a in json.loads(self.path.read_text(encoding="utf-8"))]

    def move(self, *addresses: str) -> None:
        """Put the laptop on other addresses (default route first); written atomically for the reading server."""
        temporary = self.path.with_suffix(".tmp")
        temporary.write_text(json.dumps(list(addresses)), encoding="utf-8")
        temporary.replace(self.path)


def main(argv: list[str]) -> None:
    """Serve with the file's addresses and the extra settings."""
    addresses = FileAddresses(Path(argv[0]))
    extra: dict[str, Any] = json.loads(argv[1])
    import facilitator
    from facilitator import cli

    build = facilitator.create_app

    def create_app(config: dict[str, Any] | None = None) -> Any:
        return build({**(config or {}), **extra, "LAN_ADDRESSES": addresses})

    # serve imports create_app from the package when it runs: hand it this one.
    facilitator.create_app = create_app
    cli.main(argv[2:], standalone_mode=True)


if __name__ == "__main__":
    main(sys.argv[1:])
