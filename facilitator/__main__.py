"""`python -m facilitator`: the same command as `facilitator`."""

from .cli import main

main()
