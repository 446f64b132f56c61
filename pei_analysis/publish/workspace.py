"""The temporary folder of a build, the one step that publishes it, and the repair of what a killed run left.

Why: a build happens in a hidden folder beside its destination (same file system, so publishing
is a rename). A run stopped by Ctrl-C or SIGTERM removes that folder itself; a run killed with
SIGKILL cannot, so the next run removes it. A folder in use by another run must survive that
clean-up: each build holds a lock (``flock``) on a file inside its folder for as long as it runs,
and the system releases it when the process dies, so "its lock is free" means "its owner is gone".

Publishing (:func:`publish_dir`) is :func:`pei_analysis.files.replace_dir` with Ctrl-C and SIGTERM
deferred and the permissions a web server needs; :func:`clear_leftovers` applies the recovery rule
of ``replace_dir`` (a copy aside with no folder in place goes back; a copy aside next to its
folder is deleted), so a crash at any point never loses a published folder.
"""

from __future__ import annotations

import contextlib
import fcntl
import os
import shutil
import tempfile
import time
from pathlib import Path

from pei_analysis.files import LOCK_NAME, exclusive_lock, replace_dir, restore_replaced, share_tree
from pei_analysis.publish import processes

#: What the name of a build's temporary folder contains (``.2024-c1.construyendo-k3j9``).
SCRATCH_MARK = ".construyendo-"
#: Suffix of the copy :func:`~pei_analysis.files.replace_dir` keeps aside (``.2024-c1.anterior``).
ASIDE_SUFFIX = ".anterior"
#: A temporary folder without its lock file is a run killed while creating it; older than this, it is a
#: leftover.
UNLOCKED_AGE = 60.0
#: Seconds a new build waits for its own folder's lock (another run's clean-up may be testing it for an
#: instant).
LOCK_WAIT = 5.0


@contextlib.contextmanager
def build_folder(parent: Path, name: str, command: str):
    """A locked temporary folder ``<parent>/.<name>.construyendo-XXXX`` for one build, removed when the block
    ends.

    Leftovers of killed runs in *parent* are removed first. The folder is removed on success,
    on failure and on Ctrl-C or SIGTERM alike.
    """
    parent.mkdir(parents=True, exist_ok=True)
    clear_scratch(parent)
    scratch = Path(tempfile.mkdtemp(prefix=f".{name}{SCRATCH_MARK}", dir=parent))
    try:
        with exclusive_lock(scratch, command, wait=LOCK_WAIT):
            yield scratch
    finally:
        shutil.rmtree(scratch, ignore_errors=True)


def clear_scratch(parent: Path) -> list[str]:
    """Remove the temporary folders of builds that are no longer running; return their names."""
    removed = []
    for path in sorted(parent.glob(f".*{SCRATCH_MARK}*")):
        if path.is_dir() and _abandoned(path):
            shutil.rmtree(path, ignore_errors=True)
            removed.append(path.name)
    return removed


def _abandoned(scratch: Path) -> bool:
    """Whether no running build holds *scratch*: its lock is free and says who held it, or it is old.

    ``files.exclusive_lock`` creates the lock file, locks it, then writes its holder: an empty
    file may be a build an instant before it locks, so only age condemns it.
    """
    lock = scratch / LOCK_NAME
    old = time.time() - scratch.stat().st_mtime > UNLOCKED_AGE
    try:
        fd = os.open(lock, os.O_RDWR)
    except FileNotFoundError:
        return old
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        return False
    finally:
        os.close(fd)
    return old or lock.stat().st_size > 0


def clear_leftovers(parent: Path) -> list[str]:
    """Repair *parent* after killed runs: abandoned build folders, copies aside, half-written files.

    Call it while holding *parent*'s lock (``files.exclusive_lock``): a copy aside or a temporary
    file belongs to a run that was publishing, and only a dead run leaves them while the lock is free.
    """
    if not parent.exists():
        return []
    removed = clear_scratch(parent)
    for aside in sorted(parent.glob(f".*{ASIDE_SUFFIX}")):
        target = parent / aside.name[1 : -len(ASIDE_SUFFIX)]
        restore_replaced(target, aside)
        removed.append(aside.name)
    for folder in (parent, parent / "latest"):
        for partial in folder.glob(".index.html.*"):  # files.atomic_write_text killed before its rename
            partial.unlink(missing_ok=True)
            removed.append(partial.name)
    return removed


def publish_dir(new: Path, target: Path) -> None:
    """Put *new* at *target* in one uninterruptible step, readable by a web server (0755/0644 under umask
    022)."""
    share_tree(new)
    with processes.critical():
        replace_dir(new, target)
