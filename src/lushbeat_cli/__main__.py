"""``python -m lushbeat_cli``."""

from lushbeat_cli.cli import main

main()
