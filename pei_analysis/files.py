"""Files on disk: atomic writes, the one atomic folder swap, hashes and the decoding of what IGSS sends.

Readers and analysts must never see half a file or half an edition, so every write of the project
goes through a temporary file or folder beside its target and one ``os.replace``.
"""

from __future__ import annotations

import contextlib
import fcntl
import glob
import hashlib
import os
import shutil
import tempfile
import time
from pathlib import Path

from pei_analysis.errors import DataError


def atomic_write_text(target: Path, text: str) -> None:
    """Write *text* (UTF-8, line ends as given) to *target* through :func:`atomic_write_bytes`."""
    atomic_write_bytes(target, text.encode("utf-8"))


def atomic_write_bytes(target: Path, data: bytes) -> None:
    """Write *data* to *target* through a temporary file in the same folder and one rename.

    The file gets the permissions an ordinary ``open`` would give it (0644 under the usual umask),
    not the 0600 of a temporary file, so a web server running as another user can serve it. File
    and folder are flushed to disk before and after the rename: a crash leaves the old or the new
    file, never an empty or truncated one. A failed write (a full disk) removes its temporary file.
    The temporary file is named ``.<target name>.<random>`` so a recovery can find what a killed
    run left (:func:`temporary_leftovers`).
    """
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", dir=target.parent)
    try:
        os.fchmod(fd, 0o666 & ~current_umask())
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, target)
        fsync_dir(target.parent)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def temporary_leftovers(target: Path) -> list[Path]:
    """The temporary files a killed :func:`atomic_write_bytes` of *target* may have left beside it."""
    if not target.parent.is_dir():
        return []
    return sorted(target.parent.glob(f".{glob.escape(target.name)}.*"))


def current_umask() -> int:
    """The process's umask, read without changing it (``os.umask`` can only be read by setting it).

    Linux reports it in /proc/self/status; elsewhere it is read by setting and restoring it.
    """
    try:
        for line in Path("/proc/self/status").read_text(encoding="ascii").splitlines():
            if line.startswith("Umask:"):
                return int(line.split()[1], 8)
    except OSError:
        pass
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


def fsync_dir(folder: Path) -> None:
    """Flush a folder's entries (the rename) to disk; a no-op where folders cannot be opened."""
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def replace_dir(new: Path, target: Path, old: Path | None = None) -> None:
    """Put folder *new* at *target* with renames, so readers see the old folder or the new one, never a mix.

    The previous *target* is moved aside to *old* (default: ``.<target>.anterior`` beside it, so
    it survives the end of the process that moved it) and deleted once *new* is in place; if the
    second rename fails, the previous folder is put back. A run killed between the steps leaves a
    state :func:`restore_replaced` repairs, and that is the first thing this function does: a
    crash can never lose the published folder, only leave its copy aside for the next run.
    """
    old = old if old is not None else aside_path(target)
    restore_replaced(target, old)
    had_old = target.exists()
    if had_old:
        os.replace(target, old)
    try:
        os.replace(new, target)
    except BaseException:
        if had_old:
            os.replace(old, target)
        raise
    fsync_dir(target.parent)
    shutil.rmtree(old, ignore_errors=True)


def aside_path(target: Path) -> Path:
    """Where :func:`replace_dir` keeps the previous *target* while the new one moves in."""
    return target.parent / f".{target.name}.anterior"


def restore_replaced(target: Path, old: Path | None = None) -> None:
    """Repair what a :func:`replace_dir` killed half-way left: the published folder is never lost.

    *target* missing and *old* present (killed between the two renames): *old* goes back. Both
    present (killed after the second rename, or while deleting *old*): *old* is deleted.
    """
    old = old if old is not None else aside_path(target)
    if not old.exists():
        return
    if target.exists():
        shutil.rmtree(old, ignore_errors=True)
    else:
        os.replace(old, target)


def share_tree(folder: Path) -> None:
    """Give every folder and file below *folder* the permissions ``mkdir``/``open`` give (0755/0644 under
    umask 022).

    ``tempfile.mkdtemp`` and ``mkstemp`` create 0700/0600 entries, which a web server running as
    another user cannot read; whatever is published goes through here first.
    """
    umask = current_umask()
    os.chmod(folder, 0o777 & ~umask)
    for path in folder.rglob("*"):
        if path.is_symlink():
            continue
        os.chmod(path, (0o777 if path.is_dir() else 0o666) & ~umask)


def sha256_bytes(data: bytes) -> str:
    """The SHA-256 of *data*, as hexadecimal."""
    return hashlib.sha256(data).hexdigest()


def file_state(path: Path) -> tuple[Path, int, int]:
    """(resolved path, size, modification time) of *path*: the key under which a reading of the file is kept
    while the file does not change (an import reads each report more than once). Refused (DataError)
    when the file cannot be examined."""
    try:
        stat = path.stat()
    except OSError as exc:
        raise DataError(f"no se puede leer el archivo ({exc.strerror}).", path=path) from exc
    return path.resolve(), stat.st_size, stat.st_mtime_ns


def sha256_file(path: Path) -> str:
    """The SHA-256 of a file's bytes, as hexadecimal."""
    return sha256_bytes(Path(path).read_bytes())


def read_text(path: str | Path) -> str:
    """Read an extract as text: UTF-8 (with or without BOM), else Windows-1252, with line ends normalised."""
    path = Path(path)
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise DataError(f"no se puede leer el archivo ({exc.strerror}).", path=path) from exc
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = raw.decode("cp1252", errors="strict") if _is_cp1252(raw) else raw.decode("latin-1")
    return text.replace("\r\n", "\n").replace("\r", "\n")


def _is_cp1252(raw: bytes) -> bool:
    try:
        raw.decode("cp1252")
    except UnicodeDecodeError:
        return False
    return True


#: Name of the lock file a writing command holds in the folder it writes (data/ or site/).
LOCK_NAME = ".bloqueo"
#: How long a second writer waits for the first before refusing, in seconds.
LOCK_WAIT = 30.0


@contextlib.contextmanager
def exclusive_lock(folder: Path, command: str, wait: float = LOCK_WAIT):
    """Hold the one writer's lock of *folder* while the block runs; refuse in Spanish after *wait* seconds.

    Two imports at once lost a period silently (each read the table, each wrote its own), so
    every command that writes takes this lock first. It is an ``flock`` on ``<folder>/.bloqueo``:
    the system releases it when the holder dies, so a lock left by a killed run never blocks the
    next one (its file stays and says who held it last, which is overwritten). The file records the
    holder's command, process and start time, so a refusal can name the run in progress.
    """
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / LOCK_NAME
    fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
    try:
        deadline = time.monotonic() + wait
        while True:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() >= deadline:
                    raise DataError(
                        f"otra orden está escribiendo en {folder} ({_holder(path)}); espere a que termine y "
                        "vuelva a intentarlo.",
                        path=folder,
                    ) from None
                time.sleep(0.1)
        os.ftruncate(fd, 0)
        os.write(
            fd, f"{command} · proceso {os.getpid()} · desde {time.strftime('%Y-%m-%d %H:%M:%S')}\n".encode()
        )
        yield
    finally:
        os.close(fd)  # closing releases the flock


def _holder(path: Path) -> str:
    try:
        text = path.read_text(encoding="utf-8", errors="replace").strip()
    except OSError:
        text = ""
    return text or "orden desconocida"
