"""The command line's values, refused by the parser where a command could not take them: before
anything is read or built, with what each takes."""

from __future__ import annotations

import argparse
import os


def port(text: str) -> int:
    """A port number, refused by the parser where the system would refuse it with a traceback."""
    try:
        number = int(text)
    except ValueError:
        number = -1
    if not 0 <= number <= 65535:
        raise argparse.ArgumentTypeError(f"'{text}' is not a port number from 0 to 65535")
    return number


CONFIG = "mkdocs.yml"


def config_file(text: str) -> str:
    """A configuration file named with -f must be there: the defaults would be built in its stead. The
    default name may be absent (an edition of defaults)."""
    if text != CONFIG and not os.path.isfile(text):
        raise argparse.ArgumentTypeError(f"no configuration file '{text}'"
                                         + (" (a folder: name its mkdocs.yml)" if os.path.isdir(text) else ""))
    return text


def worker_count(text: str) -> int:
    """A number of worker processes, as the configuration's ``workers`` takes it."""
    if not text.isdigit():
        raise argparse.ArgumentTypeError(f"'{text}' is not a whole number of worker processes (0: one for each core)")
    return int(text)
