"""A process of its own that indexes volumes for a full build, one at a time, as the build asks.

A volume's indexing is mostly Pagefind's command, but also Python: finding the volume's document
pages, putting the bundle's filters in order, summarizing its words and preparing them for the router
(``prepared``: sent back with the answer, so the build's end only merges them). Run by a thread of the build,
that Python queued for the interpreter's lock behind the index pages the build renders meanwhile (a
volume's summary took 0.25–0.3 s instead of 0.07), and the next volume's command started late. Here
it runs beside the build. Asked to stop (a failed build), the process ends its Pagefind, reaps it and ends.
"""

from __future__ import annotations

import os
import pickle
import re
import signal
import struct
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any, BinaryIO

from .command import SearchError
from .staging import remove_own

_SIZE = struct.Struct("<Q")
_NAMED = re.compile(r"[\w.]*(Error|Exception)\b")


def available() -> bool:
    """Whether volumes can be indexed in a process of their own here (process groups: POSIX; and an
    interpreter to start, which an embedding program may not name)."""
    return os.name == "posix" and bool(sys.executable)


class Job:
    """The indexing process: ``index`` sends it one volume's folder and waits for its answer."""

    def __init__(self) -> None:
        import despatch

        # This despatch, wherever it was imported from; the safe path (-P) keeps the caller's folder,
        # which could hold anything, off the process's sys.path.
        home = str(Path(despatch.__file__).resolve().parent.parent)
        code = f"import sys; sys.path.insert(0, {home!r}); from despatch.search.job import main; main()"
        # What it says on its error stream (nothing, unless it fails) is kept for the build's error.
        self.said = tempfile.TemporaryFile()
        self.proc = subprocess.Popen([sys.executable, "-P", "-c", code], stdin=subprocess.PIPE,
                                     stdout=subprocess.PIPE, stderr=self.said, start_new_session=True)

    def index(self, volume_dir: Path, documents: list[str] | None = None) -> tuple[int, int, dict[str, int], bytes]:
        """(pages, Pagefind's peak KiB, its words counted for the router, its words prepared for the router
        and pickled: ``prepared.prepared_bytes``) of ``volume_dir`` indexed (``documents``: its pages'
        folders, if known), or the error the process met."""
        assert self.proc.stdin is not None and self.proc.stdout is not None
        try:
            _send(self.proc.stdin, (str(volume_dir), documents))
            ok, value = _receive(self.proc.stdout)
        except (OSError, EOFError, pickle.UnpicklingError, ValueError):
            status = self.proc.wait()
            last = self._last_said()
            raise SearchError.at(str(volume_dir), 1, 1, "the search indexing process ended before its answer"
                                 f" (exit status {status})" + (f": {last}" if last else "")) from None
        if ok:
            return value
        raise SearchError(*value) if isinstance(value, list) else SearchError.at(
            str(volume_dir), 1, 1, f"the search index of this volume failed: {value}")

    def _last_said(self) -> str:
        """The last error the process wrote on its error stream, else its last line ('' for none)."""
        self.said.seek(0)
        lines = [line.strip() for line in self.said.read().decode("utf-8", "replace").splitlines() if line.strip()]
        named = [line for line in lines if _NAMED.match(line)]  # "OSError: ...", as a traceback ends
        return (named or lines or [""])[-1]

    def close(self) -> None:
        """Let the process end (it ends when its input does)."""
        if self.proc.stdin is not None:
            try:
                self.proc.stdin.close()
            except OSError:
                pass
        self.proc.wait()
        if self.proc.stdout is not None:
            self.proc.stdout.close()
        self.said.close()

    def stop(self) -> None:
        """End the process and the Pagefind it runs, at once (a failed build). Its pipes stay open for
        the thread that uses it, which meets their end and closes them."""
        try:
            self.proc.terminate()   # it ends its command, reaps it and ends
            self.proc.wait(timeout=30)
        except ProcessLookupError:
            pass
        except subprocess.TimeoutExpired:
            os.killpg(self.proc.pid, signal.SIGKILL)  # its own process group: the command goes with it


def _send(stream: BinaryIO, value: Any) -> None:
    data = pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL)
    stream.write(_SIZE.pack(len(data)) + data)
    stream.flush()


def _receive(stream: BinaryIO) -> Any:
    head = stream.read(_SIZE.size)
    if len(head) < _SIZE.size:
        raise EOFError
    data = stream.read(_SIZE.unpack(head)[0])
    return pickle.loads(data)


def _answer(volume_dir: str, documents: list[str] | None = None) -> tuple[bool, Any]:
    """One volume indexed: (True, (pages, peak, its words counted, its words prepared)), or (False, the
    error's diagnostics or its text)."""
    from .indexer import _index_summarized
    from .prepared import prepared_bytes

    try:
        pages, peak, summary = _index_summarized(Path(volume_dir), None, documents)
        return True, (pages, peak, *prepared_bytes(summary))
    except SearchError as exc:
        return False, exc.diagnostics
    except Exception as exc:  # noqa: BLE001 (reported by the build, naming the volume)
        return False, repr(exc)


def _stopped(signum: int, frame: Any) -> None:
    """Told to stop (a failed build): every process this one started ends and is reaped, then this one.

    The signal goes to this process's group, which holds a command started a moment ago as well; this
    process ignores it. Nothing here takes a lock: the signal may have come while one was held.
    """
    signal.signal(signal.SIGTERM, signal.SIG_IGN)
    os.killpg(0, signal.SIGTERM)
    while True:
        try:
            os.waitpid(-1, 0)
        except ChildProcessError:
            break
        except InterruptedError:
            continue
    remove_own()  # the folder of links Pagefind was walking: os._exit runs no finally clause
    os._exit(1)


def main() -> None:
    """Index each volume folder read from standard input, answering on standard output, until it ends."""
    signal.signal(signal.SIGTERM, _stopped)
    stdin, stdout = sys.stdin.buffer, sys.stdout.buffer
    while True:
        try:
            volume_dir, documents = _receive(stdin)
        except EOFError:
            return
        _send(stdout, _answer(volume_dir, documents))
