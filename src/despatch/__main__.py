"""`python -m despatch`, and the `despatch` command: the command line, Ctrl-C while it loads included."""

from __future__ import annotations

import sys


def run() -> int:
    """The command line (``cli.main``). Ctrl-C while its modules load ends it as Ctrl-C during a
    command does: "Interrupted." and status 130, not a traceback."""
    try:
        from .cli import main
    except KeyboardInterrupt:
        sys.stderr.write("Interrupted.\n")
        return 130
    return main()


if __name__ == "__main__":
    raise SystemExit(run())
