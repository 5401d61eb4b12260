"""`python -m facilitator`: the same command as `facilitator`."""

from facilitator.cli import main

main()
