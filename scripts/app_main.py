"""The one-folder build's program (scripts/build_app.py): the same command as `facilitator`."""

from facilitator.cli import main

if __name__ == "__main__":
    main(prog_name="rode-draad")
