"""Files on disk: atomic writes, the one atomic folder swap, hashes and the decoding of what IGSS sends.

Readers and analysts must never see half a file or half an edition, so every write of the project
goes through a temporary file or folder beside its target and one ``os.replace``.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import tempfile
from pathlib import Path

from pei_analysis.errors import DataError


def atomic_write_text(target: Path, text: str) -> None:
    """Write *text* to *target* through a temporary file in the same folder and one rename.

    The file gets the permissions an ordinary ``open`` would give it (0644 under the usual umask),
    not the 0600 of a temporary file, so a web server running as another user can serve it. File
    and folder are flushed to disk before and after the rename: a crash leaves the old or the new
    file, never an empty one.
    """
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", dir=target.parent)
    try:
        os.fchmod(fd, 0o666 & ~current_umask())
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as handle:
            handle.write(text)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, target)
        _fsync_dir(target.parent)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


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


def _fsync_dir(folder: Path) -> None:
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


def replace_dir(new: Path, target: Path, old: Path) -> None:
    """Put folder *new* at *target* with renames, so readers see the old folder or the new one, never a mix.

    The previous *target* is moved aside to *old* (same file system) and deleted once *new* is in
    place; if the second rename fails, the previous folder is put back.
    """
    shutil.rmtree(old, ignore_errors=True)
    had_old = target.exists()
    if had_old:
        os.replace(target, old)
    try:
        os.replace(new, target)
    except BaseException:
        if had_old:
            os.replace(old, target)
        raise
    shutil.rmtree(old, ignore_errors=True)


def sha256_bytes(data: bytes) -> str:
    """The SHA-256 of *data*, as hexadecimal."""
    return hashlib.sha256(data).hexdigest()


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
