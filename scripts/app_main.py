"""The one-folder build's program (scripts/build_app.py): the same command as `facilitator`."""

import sys

from facilitator.cli import main

if __name__ == "__main__":
    # Double-clicked (no arguments): start the server, which opens the regie, rather than print the help and close.
    main(args=sys.argv[1:] or ["serve"], prog_name="rode-draad")
