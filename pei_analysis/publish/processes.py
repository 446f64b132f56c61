"""The child processes of a build (papermill and its kernels, Jupyter Book), and what Ctrl-C or SIGTERM does.

Why a module of its own: a build that was stopped must not leave work running behind it. Before,
Ctrl-C reached papermill through the terminal but SIGTERM did not, and a run killed with SIGKILL
left papermill writing into a deleted folder for about ten seconds. Now every child runs in its
own process group (so the terminal's Ctrl-C reaches only this process, which stops the children
itself, in order) and dies with this process even when it is killed with SIGKILL (Linux's
``PR_SET_PDEATHSIG``, set by a two-line wrapper before the real program starts, because
``preexec_fn`` is unsafe in a program with threads). Jupyter kernels leave on their own within a
second of their papermill dying (ipykernel watches ``JPY_PARENT_PID``), and they are stopped too.

:func:`stop_on_signals` turns SIGTERM into :class:`Terminated` (a ``KeyboardInterrupt``, so every
``finally`` that removes a temporary folder runs for both); :func:`critical` defers both signals
over a step that must not be cut in half, such as publishing an edition.
"""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Sequence
from pathlib import Path

#: Runs ``argv[2:]`` after asking Linux to kill it when its parent (``argv[1]``) dies.
_WRAPPER = (
    "import ctypes, os, signal, sys\n"
    "try:\n"
    "    ctypes.CDLL(None).prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG\n"
    "except (AttributeError, OSError):\n"
    "    pass\n"
    "if os.getppid() != int(sys.argv[1]):\n"
    "    os._exit(143)\n"
    "os.execv(sys.argv[2], sys.argv[2:])\n"
)
#: Seconds a child has, after SIGTERM, before it is killed.
GRACE = 2.0

_lock = threading.Lock()
_running: set[subprocess.Popen] = set()
_stopping = threading.Event()
_deferred: list[int] = []
_critical_depth = 0


class Terminated(KeyboardInterrupt):
    """SIGTERM, raised like Ctrl-C so the same clean-up runs; the command exits with 143 (128 + 15)."""

    exit_code = 143


class Stopped(RuntimeError):
    """A child was not started, or was stopped, because the build is being interrupted."""


def stopping() -> bool:
    """Whether the build is stopping its children (a failing child is then no news)."""
    return _stopping.is_set()


def run(command: Sequence[str], *, env: dict[str, str] | None = None) -> subprocess.CompletedProcess:
    """``subprocess.run(command, capture_output=True, text=True)``, in its own process group, dying with us.

    Raises :class:`Stopped` when the build is being interrupted. If the caller itself is
    interrupted while waiting (Ctrl-C in the main thread), the child is stopped before the
    exception goes on.
    """
    wrapped = [sys.executable, "-c", _WRAPPER, str(os.getpid()), *command]
    with _lock:
        if _stopping.is_set():
            raise Stopped("la construcción se está interrumpiendo")
        proc = subprocess.Popen(
            wrapped,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            env=env,
            start_new_session=True,
        )
        _running.add(proc)
    try:
        out, err = proc.communicate()
    except BaseException:
        _stop([proc])
        raise
    finally:
        with _lock:
            _running.discard(proc)
    if _stopping.is_set():
        raise Stopped("la construcción se está interrumpiendo")
    return subprocess.CompletedProcess(list(command), proc.returncode, out, err)


@contextlib.contextmanager
def stopping_children():
    """On any exception out of the block (Ctrl-C, SIGTERM, a failure), stop every child still running.

    Wrap the block that waits for worker threads: their children are stopped before the thread
    pool waits for the threads, so an interrupted build ends in seconds, not when papermill does.
    """
    try:
        yield
    except BaseException:
        _stopping.set()
        with _lock:
            procs = list(_running)
        _stop(procs)
        raise


@contextlib.contextmanager
def fresh_start():
    """Clear the interruption flag when the block ends, so the next build in this process can start
    children."""
    try:
        yield
    finally:
        _stopping.clear()


def _stop(procs: Sequence[subprocess.Popen]) -> None:
    """SIGTERM each child's group and its descendants' groups (kernels start their own), SIGKILL after
    :data:`GRACE`."""
    groups = set()
    for proc in procs:
        groups.add(proc.pid)
        groups.update(_descendants(proc.pid))
    _signal_groups(groups, signal.SIGTERM)
    deadline = time.monotonic() + GRACE
    for proc in procs:
        with contextlib.suppress(subprocess.TimeoutExpired):
            proc.wait(timeout=max(0.0, deadline - time.monotonic()))
    _signal_groups(groups, signal.SIGKILL)
    for proc in procs:
        proc.wait()


def _signal_groups(pids: set[int], signum: int) -> None:
    for pid in pids:
        for send in (os.killpg, os.kill):
            with contextlib.suppress(ProcessLookupError, PermissionError):
                send(pid, signum)


def _descendants(pid: int) -> set[int]:
    """Every process below *pid*, read from /proc (empty where there is no /proc)."""
    parents: dict[int, list[int]] = {}
    for entry in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = entry.read_text().rsplit(")", 1)[1].split()
        except (OSError, IndexError):
            continue
        parents.setdefault(int(fields[1]), []).append(int(entry.parent.name))
    found, todo = set(), [pid]
    while todo:
        for child in parents.get(todo.pop(), []):
            if child not in found:
                found.add(child)
                todo.append(child)
    return found


# --------------------------------------------------------------------------- signals


@contextlib.contextmanager
def stop_on_signals():
    """Within the block, SIGTERM raises :class:`Terminated` and Ctrl-C ``KeyboardInterrupt`` (both deferred
    inside :func:`critical`)."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    previous = {s: signal.getsignal(s) for s in (signal.SIGINT, signal.SIGTERM)}
    for signum in previous:
        signal.signal(signum, _on_signal)
    try:
        yield
    finally:
        for signum, handler in previous.items():
            signal.signal(signum, handler)


def _on_signal(signum: int, frame) -> None:
    if _critical_depth:
        _deferred.append(signum)
        return
    raise Terminated() if signum == signal.SIGTERM else KeyboardInterrupt()


@contextlib.contextmanager
def critical():
    """Defer Ctrl-C and SIGTERM until the block ends: a step cut in half would leave a state to repair.

    Only SIGKILL (or a power cut) can stop the block; :func:`pei_analysis.files.restore_replaced`
    repairs what that leaves.
    """
    global _critical_depth
    _critical_depth += 1
    try:
        yield
    finally:
        _critical_depth -= 1
        if not _critical_depth and _deferred:
            signum = _deferred[0]
            _deferred.clear()
            raise Terminated() if signum == signal.SIGTERM else KeyboardInterrupt()
