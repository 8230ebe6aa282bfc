"""The commands besides the build: convert, check, import, score, serve and accept-urls."""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from . import terminal
from .errors import Report
from .terminal import print_diagnostics


def cmd_convert(args: argparse.Namespace) -> int:
    """Convert one source to its TEI file."""
    from .site.readers import read_source
    from .tei.document import build_tei
    from .tei.xmlio import serialize
    from .volume import Volume, load_volume

    src = Path(args.input)
    if args.output and Path(args.output).exists() and src.exists() and os.path.samefile(args.output, src):
        from .errors import SourceError

        raise SourceError.at(str(args.output), 1, 1, "the TEI would replace the source it is made from",
                             found=f"{args.output}: the same file as {args.input}",
                             expected="another output file (-o d245.xml), or none (the TEI goes to standard output)")
    volume_id = args.volume or src.resolve().parent.name
    conv = read_source(src, str(src), volume_id)
    vol_yml = src.resolve().parent / "volume.yml"
    volume = load_volume(vol_yml) if vol_yml.exists() and not args.volume else Volume(id=volume_id, title=volume_id)
    data = serialize(build_tei(conv, volume, src.name))
    if args.output:
        # A new file renamed into place: the build's TEI folder and site share files by hard link,
        # and writing into one in place would change the other.
        out = Path(args.output)
        tmp = out.with_name(out.name + ".tmp")
        tmp.write_bytes(data)
        os.replace(tmp, out)
    else:
        sys.stdout.buffer.write(data)
    return 0


def cmd_check(args: argparse.Namespace) -> int:
    """Validate every source and TEI file of the edition; report every problem in one run."""
    from .check import check_edition
    from .config import load_config

    report: Report = check_edition(load_config(args.config))
    print_diagnostics(report.items)
    terminal.err.print(f"{len(report.errors)} error(s), {len(report.warnings)} warning(s).",
              style="bold red" if report.errors else "bold green")
    return 1 if report.errors else 0


def cmd_import(args: argparse.Namespace) -> int:
    """Import an official FRUS volume file as a volume of the edition."""
    from .config import load_config
    from .sources.frus_import import import_volume

    content = Path(args.content) if args.content else load_config(args.config).content_dir
    summary = import_volume(Path(args.volume_xml), content, replace=args.replace)
    terminal.err.print(str(summary), style="bold green")
    return 0


def cmd_score(args: argparse.Namespace) -> int:
    """Score the converter against official TEI."""
    from .score import run_score

    return run_score(Path(args.corpus), sys.stdout)


def cmd_serve(args: argparse.Namespace) -> int:
    """Build, serve on localhost and rebuild when a source changes."""
    from .serve import serve

    return serve(args.config, args.port, True if args.poll else None)


def cmd_accept_urls(args: argparse.Namespace) -> int:
    """Accept the URLs of the last build as the new ledger."""
    from .config import load_config
    from .urls.ledger import accept

    return accept(load_config(args.config))
