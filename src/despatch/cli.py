"""The command line: despatch build | serve | convert | check | import | score | accept-urls."""

from __future__ import annotations

import argparse
import atexit
import gc
import os
import sys
import threading
from contextlib import nullcontext
from typing import Callable, NoReturn, Sequence

from . import terminal
from .arguments import CONFIG, config_file, port, worker_count
from .errors import SourceError, os_error_text
from .stopping import Stopped, keep_interrupts, stop_on_signals
from .terminal import print_diagnostics


def cmd_build(args: argparse.Namespace) -> int:
    """Build the edition named by the configuration file."""
    # Importing the build makes many objects that all stay: a collection would walk them in vain.
    collecting = gc.isenabled()
    gc.disable()
    try:
        from .config import load_config
        from .site.build import build
        from .site.result import BuildFailed
    finally:
        if collecting:
            # The modules' objects join the permanent generation: turning collection back on would
            # otherwise make the next allocation walk every one of them (a twentieth of an edit's build).
            gc.freeze()
            gc.enable()

    err = terminal.err
    overrides = {"workers": args.workers, "strict_links": False if args.warn_links else None}
    if args.no_search:
        overrides["search"] = False
    config = load_config(args.config, remember=True, **overrides)
    if err.is_terminal:
        from .site.progress import progress_bar
        bar = progress_bar(err)
    else:
        bar = nullcontext(None)  # a log gets the summary alone
    with bar as tick:
        try:
            result = build(config, tick, hold=getattr(args, "held", None))
        except BuildFailed as failed:
            print_diagnostics(failed.report.items)
            err.print(f"Build failed: {len(failed.report.errors)} error(s), {len(failed.report.warnings)} warning(s); "
                      "the previous site was left as it was.", style="bold red")
            return 1
    print_diagnostics(result.report.warnings)
    extra = "".join(f", {k}: {v}" for k, v in sorted(result.stats.items()) if isinstance(v, (int, str)))
    if hasattr(result.stats.get("search"), "summary"):
        extra += "; " + result.stats["search"].summary()
    if result.incremental:
        extra += f"; incremental: {result.rendered} document page(s) rewritten"
    err.print(f"Built {result.documents} documents in {result.volumes} volume(s) and {result.pages} other pages "
              f"in {result.seconds:.2f} s; {len(result.report.warnings)} warning(s){extra}. Site: {config.site_dir}",
              style="bold green")
    return 0


class _Refused(Exception):
    """The build's own parser could not take the arguments: the whole parser says why."""


class _BuildParser(argparse.ArgumentParser):
    def error(self, message: str) -> NoReturn:
        raise _Refused(message)


def parser(only_build: bool = False) -> argparse.ArgumentParser:
    """The argument parser; ``only_build``: with the build command alone (the other six commands' parsers
    are a hundredth of an edited document's build), which hands any error to the whole parser."""
    p = (_BuildParser if only_build else argparse.ArgumentParser)(prog="despatch", description=__doc__)
    sub = p.add_subparsers(dest="command", required=True)
    cmds: dict[str, Callable[[argparse.Namespace], int]] = {}

    def add(name: str, fn: Callable[[argparse.Namespace], int]) -> argparse.ArgumentParser:
        sp = sub.add_parser(name, help=(fn.__doc__ or "").strip())
        sp.set_defaults(func=fn)
        cmds[name] = fn
        return sp

    b = add("build", cmd_build)
    b.add_argument("-f", "--config", default=CONFIG, type=config_file)
    b.add_argument("-j", "--workers", type=worker_count, default=None,
                   help="worker processes (0: one for each core); the output is the same for any number")
    b.add_argument("--no-search", action="store_true", help="skip the search index")
    b.add_argument("--warn-links", action="store_true", help="dangling links are warnings, not errors")
    if only_build:
        return p
    from . import commands  # here: a build needs none of them

    c = add("convert", commands.cmd_convert)
    c.add_argument("input")
    c.add_argument("--volume")
    c.add_argument("-o", "--output")
    k = add("check", commands.cmd_check)
    k.add_argument("-f", "--config", default=CONFIG, type=config_file)
    i = add("import", commands.cmd_import)
    i.add_argument("volume_xml")
    i.add_argument("-f", "--config", default=CONFIG, type=config_file)
    i.add_argument("--content", default=None)
    i.add_argument("--replace", action="store_true", help="replace a volume folder that exists already")
    s = add("score", commands.cmd_score)
    s.add_argument("corpus")
    v = add("serve", commands.cmd_serve)
    v.add_argument("-f", "--config", default=CONFIG, type=config_file)
    v.add_argument("-p", "--port", type=port, default=8000, help="the port on 127.0.0.1 (0: any free one)")
    v.add_argument("--poll", action="store_true",
                   help="look for changes by polling (network file systems send no notifications)")
    a = add("accept-urls", commands.cmd_accept_urls)
    a.add_argument("-f", "--config", default=CONFIG, type=config_file)
    return p


def main(argv: Sequence[str] | None = None) -> int:
    """Run a command: 0 success, 1 errors in the sources, 2 an internal error."""
    err = terminal.err
    try:
        args = parse(sys.argv[1:] if argv is None else list(argv))
    except KeyboardInterrupt:  # Ctrl-C while the parser's modules load
        err.print("Interrupted.")
        return 130
    if argv is None:
        args.held = []  # run as the program, which ends after the command: what the build made is not freed
        stop_on_signals()
        keep_interrupts()
    try:
        code = int(args.func(args))
        if argv is None:
            # Run as the program, which now ends: its last collection need not walk every object
            # (a tenth of a one-document rebuild). Callers that pass arguments keep collecting.
            gc.freeze()
            if args.func is cmd_build:
                _leave(code)
        return code
    except SourceError as exc:
        print_diagnostics(exc.diagnostics)
        return 1
    except OSError as exc:
        # A file that is missing, unreadable or unwritable is the user's to fix, not a bug to report.
        err.print(os_error_text(exc), style="red", markup=False)
        return 1
    except Stopped as stopped:
        err.print(f"Stopped by {stopped}; nothing of this run was published.", markup=False)
        return 128 + stopped.signum
    except KeyboardInterrupt:
        err.print("Interrupted.")
        return 130
    except Exception:  # noqa: BLE001 - the last line of defence: never a bare traceback
        import traceback

        err.print("despatch: internal error. Please report it with the text below:", style="bold red")
        err.print(traceback.format_exc(), markup=False)
        return 2


def parse(argv: list[str]) -> argparse.Namespace:
    """The command line's arguments; a build's by the build's parser alone (the same answer, or the
    whole parser's error)."""
    if argv[:1] == ["build"]:
        try:
            return parser(only_build=True).parse_args(argv)
        except _Refused:
            pass
    return parser().parse_args(argv)


def _leave(code: int) -> None:
    """End the program now, as a normal exit would but without freeing every object one by one (a
    tenth of an edit's build): streams flushed, exit handlers run. Not while another thread runs."""
    if threading.active_count() > 1:
        return
    try:
        for stream in (sys.stdout, sys.stderr):
            if stream is not None:
                stream.flush()
    except (OSError, ValueError):
        return  # a closed or broken stream: the normal exit reports it
    atexit._run_exitfuncs()
    os._exit(code)


if __name__ == "__main__":
    sys.exit(main())
