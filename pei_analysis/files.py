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
    """Write *text* to *target* through a temporary file in the same folder and one rename."""
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", dir=target.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as handle:
            handle.write(text)
        os.replace(tmp, target)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


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
