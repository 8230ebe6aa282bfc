"""A stopped or killed build leaves nothing running and nothing half-written; one build of an edition at a time."""

from __future__ import annotations

import hashlib
import os
import pickle
import signal
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest
from conftest import copy_project

from despatch.site.lock import edition_lock
from despatch.stopping import Stopped

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from benchmarks.generate import generate

pytestmark = pytest.mark.skipif(not Path("/proc/self/environ").exists(), reason="reads processes from /proc")


def start_build(project: Path, mark: str) -> subprocess.Popen[str]:
    """`despatch build` in ``project``; every process it starts inherits ``mark`` in its environment."""
    env = {**os.environ, "DESPATCH_TEST_MARK": mark}
    return subprocess.Popen([sys.executable, "-m", "despatch", "build"], cwd=project, env=env, text=True,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE)


def marked(mark: str) -> list[int]:
    """The processes alive with ``mark`` in their environment."""
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                if f"DESPATCH_TEST_MARK={mark}".encode() in (entry / "environ").read_bytes():
                    found.append(int(entry.name))
            except OSError:
                continue
    return found


def none_left(mark: str, within: float = 10.0) -> bool:
    """No process with ``mark`` left, waiting up to ``within`` seconds for them to end."""
    deadline = time.monotonic() + within
    while marked(mark):
        if time.monotonic() > deadline:
            return False
        time.sleep(0.1)
    return True


def staged(build: Path) -> list[str]:
    """Staging and old folders in the build folder."""
    return sorted(p.name for p in build.iterdir() if ".new-" in p.name or ".old-" in p.name)


def wait_for_staging(proc: subprocess.Popen[str], build: Path, files: int = 200) -> None:
    """Until the build has written ``files`` files into its staging folder."""
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and proc.poll() is None:
        for folder in build.glob(".site.new-*"):
            if sum(len(names) for _, _, names in os.walk(folder)) >= files:
                return
        time.sleep(0.05)
    raise AssertionError(f"no staging folder with {files} files (build ended: {proc.poll()})")


def digest(root: Path) -> str:
    """One hash of every file's path and bytes under ``root``."""
    h = hashlib.sha256()
    for path in sorted(p for p in root.rglob("*") if p.is_file()):
        h.update(str(path.relative_to(root)).encode() + b"\0" + path.read_bytes())
    return h.hexdigest()


@pytest.fixture()
def edition(tmp_path: Path) -> Path:
    """A generated edition of 400 documents, built once (its site is the previous one below)."""
    generate(tmp_path, 400, seed=5)
    project = tmp_path / "despatch"
    done = subprocess.run([sys.executable, "-m", "despatch", "build"], cwd=project, capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stderr[-2000:]
    # The next build is a full one (its manifest gone), writing a whole new staging folder.
    (project / "build" / ".cache" / "manifest.json").unlink()
    return project


def test_sigterm_stops_the_build_and_its_processes(edition: Path) -> None:
    """SIGTERM: the workers stop, the staging goes, the previous site stays; exit status 143 with a message."""
    build, mark = edition / "build", uuid.uuid4().hex
    before = digest(build / "site")
    proc = start_build(edition, mark)
    wait_for_staging(proc, build)
    proc.send_signal(signal.SIGTERM)
    _, err = proc.communicate(timeout=60)
    assert proc.returncode == 128 + signal.SIGTERM, err
    assert "Stopped by SIGTERM; nothing of this run was published." in err
    assert "Traceback" not in err
    assert none_left(mark)
    assert staged(build) == []
    assert digest(build / "site") == before


def test_killed_build_leaves_no_workers_and_the_next_sweeps_its_staging(edition: Path) -> None:
    """SIGKILL cannot be handled: the workers end with their parent, and the next build removes its staging."""
    build, mark = edition / "build", uuid.uuid4().hex
    proc = start_build(edition, mark)
    wait_for_staging(proc, build)
    proc.kill()
    proc.communicate(timeout=60)
    assert none_left(mark)
    assert staged(build)  # what the killed build left
    done = subprocess.run([sys.executable, "-m", "despatch", "build"], cwd=edition, capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stderr[-2000:]
    assert staged(build) == []
    assert (build / "site" / "frus1958-60v1" / "d3" / "index.html").is_file()


def test_a_second_build_waits_for_the_first(edition: Path) -> None:
    """While the edition's lock is held, a build says it waits, and builds once the lock is let go."""
    build, mark = edition / "build", uuid.uuid4().hex
    with edition_lock(build):
        proc = start_build(edition, mark)
        assert proc.stderr is not None
        line = proc.stderr.readline()
        assert line.startswith(f"Waiting for another build of this edition to finish (process {os.getpid()}, "), line
        time.sleep(0.3)
        assert proc.poll() is None
    _, err = proc.communicate(timeout=120)
    assert proc.returncode == 0, err
    assert "Built 400 documents" in err


def test_the_lock_is_held_once_per_process_and_let_go(tmp_path: Path) -> None:
    """A build a preview falls back to takes the lock its caller holds; closing the last hold lets it go."""
    import fcntl  # here: the module is skipped, not broken, where the system has no file locks

    def free() -> bool:
        fd = os.open(tmp_path / ".cache" / "lock", os.O_RDWR)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            return True
        except BlockingIOError:
            return False
        finally:
            os.close(fd)

    with edition_lock(tmp_path):
        with edition_lock(tmp_path):
            assert not free()
        assert not free()
        assert (tmp_path / ".cache" / "lock").read_text() == f"{os.getpid()}\n"
    assert free()


def test_a_signal_becomes_an_interruption_in_the_program_only() -> None:
    """SIGTERM raises Stopped in the program; a forked copy ends by the signal; an ignored signal stays ignored."""
    code = """
import os, signal, sys
signal.signal(signal.SIGHUP, signal.SIG_IGN)
from despatch.stopping import Stopped, stop_on_signals
stop_on_signals()
assert signal.getsignal(signal.SIGHUP) is signal.SIG_IGN
pid = os.fork()
if pid == 0:
    os.kill(os.getpid(), signal.SIGTERM)
    os._exit(0)
print("child", os.waitpid(pid, 0)[1] & 0x7F)
try:
    os.kill(os.getpid(), signal.SIGTERM)
    signal.pause()
except Stopped as stopped:
    print("stopped", stopped.signum, stopped)
"""
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=30, check=False)
    assert done.returncode == 0, done.stderr
    assert done.stdout.split("\n")[:2] == [f"child {int(signal.SIGTERM)}", f"stopped {int(signal.SIGTERM)} SIGTERM"]
    assert issubclass(Stopped, KeyboardInterrupt)


def test_ctrl_c_at_any_moment_of_a_build_says_interrupted_and_nothing_else(tmp_path: Path) -> None:
    """Ctrl-C from the build's first tenth of a second to its end: "Interrupted." (or the build done),
    never a traceback, not even a worker's whose start it cut short; the site as it was; no process left."""
    project = copy_project(tmp_path / "edition")
    build = project / "build"
    done = subprocess.run([sys.executable, "-m", "despatch", "build"], cwd=project, capture_output=True, text=True,
                          check=False)
    assert done.returncode == 0, done.stderr[-2000:]
    before = digest(build / "site")
    # Ctrl-C's signal as a terminal sends it: a test run in the background ignores SIGINT, and so would
    # the builds it starts; a handled signal is set back to its default action in them.
    previous = signal.signal(signal.SIGINT, signal.default_int_handler)
    try:
        _ctrl_c_at_each_moment(project, before)
    finally:
        signal.signal(signal.SIGINT, previous)


def _ctrl_c_at_each_moment(project: Path, before: str) -> None:
    build = project / "build"
    for twentieths in range(2, 21):
        (build / ".cache" / "manifest.json").unlink(missing_ok=True)  # a full build: every pool starts
        mark = uuid.uuid4().hex
        proc = start_build(project, mark)
        time.sleep(twentieths / 20)
        proc.send_signal(signal.SIGINT)
        _, err = proc.communicate(timeout=60)
        at = f"Ctrl-C after {twentieths / 20:.2f} s"
        assert proc.returncode in (0, 130, -signal.SIGINT), f"{at}: {proc.returncode}\n{err}"
        assert "Traceback" not in err and "internal error" not in err, f"{at}:\n{err}"
        assert proc.returncode == 0 or err.strip().endswith("Interrupted."), f"{at}:\n{err}"
        assert none_left(mark), at
        assert staged(build) == [], at
        assert digest(build / "site") == before, at


class _Interrupting:
    """A finder of modules that raises Ctrl-C's KeyboardInterrupt as the command line's module loads."""

    def find_spec(self, name: str, path: object = None, target: object = None) -> None:
        if name == "despatch.cli":
            raise KeyboardInterrupt


def test_ctrl_c_while_the_command_line_loads_says_interrupted(monkeypatch: pytest.MonkeyPatch,
                                                              capsys: pytest.CaptureFixture[str]) -> None:
    """The `despatch` command's entry (`despatch.__main__:run`) loads the command line inside its own
    handler: Ctrl-C then is "Interrupted." and status 130, as during a command, not a traceback."""
    from despatch.__main__ import run

    monkeypatch.delitem(sys.modules, "despatch.cli", raising=False)
    monkeypatch.setattr(sys, "meta_path", [_Interrupting(), *sys.meta_path])
    try:
        code = run()
    except KeyboardInterrupt:  # escaped, it would end this test run too
        pytest.fail("Ctrl-C while the command line loaded escaped its entry")
    assert code == 130
    assert capsys.readouterr().err == "Interrupted.\n"


def test_a_worker_whose_start_was_cut_short_ends_quietly(monkeypatch: pytest.MonkeyPatch,
                                                         capsys: pytest.CaptureFixture[str]) -> None:
    """The fork server's hook: a pipe cut or a semaphore gone says nothing; any other error is printed."""
    monkeypatch.setattr(sys, "excepthook", sys.excepthook)  # the module sets it as it loads: put back after
    from despatch.site import quietstart

    for error in (EOFError(), pickle.UnpicklingError("pickle data was truncated"), FileNotFoundError(2, "gone")):
        quietstart.quiet(type(error), error, None)
    assert capsys.readouterr().err == ""
    monkeypatch.setattr(quietstart, "_DEFAULT", lambda kind, value, tb: print(f"{kind.__name__}: {value}", file=sys.stderr))
    quietstart.quiet(ImportError, ImportError("no module named x"), None)
    assert capsys.readouterr().err == "ImportError: no module named x\n"


def test_a_ctrl_c_in_a_finalizer_is_raised_again_where_the_program_runs() -> None:
    """Python prints a KeyboardInterrupt raised in a weak reference's callback as "Exception ignored"
    and goes on; the program raises it again where it runs, so the build stops and says so."""
    code = """
import gc, signal, weakref
from despatch.stopping import keep_interrupts
keep_interrupts()
class Thing:
    pass
def callback(ref):
    raise KeyboardInterrupt
thing = Thing()
ref = weakref.ref(thing, callback)
try:
    del thing
    import time
    time.sleep(5)   # the interruption comes back within a moment
    print("went on")
except KeyboardInterrupt:
    print("interrupted")
"""
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=30, check=False)
    assert done.stdout.strip() == "interrupted", done.stdout + done.stderr
    assert "Exception ignored" not in done.stderr and "Traceback" not in done.stderr, done.stderr
