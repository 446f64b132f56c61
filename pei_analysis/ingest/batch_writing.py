"""Write an import to data/ as one transaction of the journal, and undo the last one.

Checking a batch (:mod:`pei_analysis.ingest.importer`) and writing it are two trades: here a crash,
a full disk or a second command at the same time never leaves half a batch on disk, and a failure
says in Spanish what an analyst can do about it.
"""

from __future__ import annotations

import errno
from pathlib import Path

from pei_analysis.errors import DataError
from pei_analysis.files import exclusive_lock
from pei_analysis.ingest import journal
from pei_analysis.paths import data_dir as _data_dir


def write_batch(
    root: Path,
    periods: list[list],
    sources: list[str],
    originals: list[tuple[Path, bytes]],
    tables: list[tuple[Path, str]],
) -> None:
    """Write a checked batch as one transaction (journal.py has the order); any failure rolls it back now.

    ``periods`` and ``sources`` (one per file) go to the journal's entry; ``originals`` are (where in
    data/raw/, bytes) of each file, copied only where nothing is there yet; ``tables`` are (path under
    data/, text) of every table the batch changes.
    """
    added = [(target, data) for target, data in originals if not target.exists()]
    try:
        journal.begin(root, periods, sources, [target.name for target, _ in added], tables)
        for target, data in added:
            journal.copy_original(data, target)
        for path, text in tables:
            journal.write_table(root, text, path)
        journal.commit(root)
    except BaseException as exc:
        rolled_back = _roll_back_now(root)
        if isinstance(exc, OSError):
            tail = (
                "no se importó nada."
                if rolled_back
                else "la próxima orden deshará lo que se alcanzó a escribir."
            )
            raise DataError(f"{_os_reason(exc)}: {tail}", path=root) from exc
        raise


def _roll_back_now(root: Path) -> bool:
    """Roll back a failed import at once; if even that fails, the next command's recovery will."""
    try:
        journal.recover(root)
    except (OSError, DataError):
        return False
    return True


def _os_reason(exc: OSError) -> str:
    """The Spanish reason of a failed write; a full disk, the one an analyst can act on, said plainly."""
    if exc.errno == errno.ENOSPC:
        return "no queda espacio en el disco"
    return f"no se pudo escribir en la carpeta de datos ({exc.strerror or exc})"


def undo_last_import(data_dir: str | Path | None = None) -> dict:
    """Undo exactly the last journalled import: restore the table before it, remove the original it added.

    Refused, changing nothing, when the table is no longer the one that import left (edited by hand,
    or another period arrived by ``git pull``): undoing then would remove more than the import.
    """
    root = _data_dir(data_dir)
    if not (root / journal.JOURNAL_DIR).is_dir():
        raise DataError(journal.NOTHING_TO_UNDO)  # (the journal folder is no file of the analyst's)
    with exclusive_lock(root, "deshacer"):
        notes = journal.recover(root)
        try:
            entry = journal.undo(root)
        except OSError as exc:
            tail = (
                "la importación quedó a medio deshacer y la próxima orden terminará de deshacerla."
                if journal.interrupted(root)
                else "no se deshizo nada."
            )
            raise DataError(f"{_os_reason(exc)}: {tail}", path=root) from exc
    return {**entry, "avisos": notes}
