"""The import journal: what an import or an undo does to data/ is one transaction, never half of it.

Without it a killed import left an original that no period used in data/raw/, and a crash between
the table and the undo record left ``deshacer`` a stale record that undid more than the last
import. The journal lives in ``data/.deshacer/`` (ignored by git, outside every edition
fingerprint):

* ``en_curso.json``: an import begun and not committed. It is written and flushed before anything
  else changes, and names the originals the import adds and, for each table it writes, the SHA-256
  of the table before and after it; the next command that reads or writes data/ rolls that import
  back (:func:`recover`).
* ``registro.json``: the last committed import, the same entry. ``deshacer`` undoes exactly this
  one, and only while every table is still the one it left (:func:`undo`). Renaming
  ``en_curso.json`` to this name is the commit of an import.
* ``deshaciendo.json``: an undo begun and not finished; the next command finishes it.
* ``<tabla>-<sha>.csv``: each table before an import, the copy an undo or a rollback restores.

An import is one transaction however many files it brings: a folder of past reports (nine
originals, the POA table and the annual totals) is committed, rolled back and undone as a whole.

Order of an import: save each table before, write ``en_curso.json``, copy each original (temporary
name, flush, rename), write each table (the same), rename ``en_curso.json`` to ``registro.json``,
then delete what no entry names. A crash before the rename is rolled back; after it the import is
complete. Rolling back rather than completing is always possible (the tables before are saved) and
matches what the analyst saw: the import never said «Importado». Every step runs under the data
folder's lock (``files.exclusive_lock``), taken by the callers in ``importer.py``.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import re
from pathlib import Path

from pei_analysis.errors import DataError
from pei_analysis.files import (
    atomic_write_bytes,
    atomic_write_text,
    exclusive_lock,
    fsync_dir,
    sha256_bytes,
    sha256_file,
    temporary_leftovers,
)
from pei_analysis.tables.poa import POA_CSV

JOURNAL_DIR = ".deshacer"
PENDING = "en_curso.json"
RECORD = "registro.json"
UNDOING = "deshaciendo.json"
#: A saved table: its name, a dash and 16 hex digits of its SHA-256 (``poa_ejecucion-0123….csv``).
SAVED = re.compile(r"^[a-z_]+-[0-9a-f]{16}\.csv$")
NOTHING_TO_UNDO = (
    "no hay ninguna importación que deshacer en esta copia (se guarda solo la última). "
    "Con git: git checkout -- data/ && git clean -f data/raw/"
)


def table_hash(root: Path, table: Path | str = POA_CSV) -> str | None:
    """SHA-256 of a table of data/ as it is on disk; None when the file does not exist."""
    path = root / table
    return sha256_file(path) if path.exists() else None


def begin(
    root: Path, periods: list[list], archivos: list[str], added: list[str], tables: list[tuple[Path, str]]
) -> dict:
    """Save every table as it is and write the pending entry: from here on a crash is rolled back.

    *periods* are ``[anio, cuatrimestre]`` pairs (``cuatrimestre`` None for a year's total), one per
    file in *archivos*; *tables* the ``(path under data/, new text)`` pairs the import will write.
    """
    folder = root / JOURNAL_DIR
    written = []
    for table, text in tables:
        before = (root / table).read_bytes() if (root / table).exists() else None
        saved = None
        if before is not None:
            saved = f"{Path(table).stem}-{sha256_bytes(before)[:16]}.csv"
            atomic_write_bytes(folder / saved, before)
        written.append(
            {
                "ruta": Path(table).as_posix(),
                "antes": sha256_bytes(before) if before is not None else None,
                "despues": sha256_bytes(text.encode("utf-8")),
                "copia": saved,
            }
        )
    entry = {
        "orden": "importar",
        "periodos": [list(p) for p in periods],
        "archivos": list(archivos),
        "originales_agregados": list(added),
        "tablas": written,
        "fecha": dt.datetime.now().isoformat(timespec="seconds"),
    }
    if len(periods) == 1:  # the single-file entry keeps the fields it always had
        entry.update(periodo=list(periods[0]), archivo=archivos[0])
    atomic_write_text(folder / PENDING, json.dumps(entry, ensure_ascii=False, indent=1) + "\n")
    return entry


def copy_original(data: bytes, target: Path) -> None:
    """Put an original in data/raw/ whole or not at all (temporary name, flushed, one rename)."""
    atomic_write_bytes(target, data)


def write_table(root: Path, text: str, table: Path | str = POA_CSV) -> None:
    """Replace a table of data/ (by default the tidy POA table) with *text* in one rename."""
    atomic_write_text(root / table, text)


def commit(root: Path) -> None:
    """The commit point of an import: the pending entry becomes the record ``deshacer`` reads."""
    folder = root / JOURNAL_DIR
    os.replace(folder / PENDING, folder / RECORD)
    fsync_dir(folder)
    _prune(folder)


def interrupted(root: Path) -> bool:
    """Whether a killed run left an import or an undo half done (a cheap check, without the lock)."""
    folder = root / JOURNAL_DIR
    return (folder / PENDING).exists() or (folder / UNDOING).exists()


def settle(root: Path, command: str) -> list[str]:
    """Recover an interrupted transaction if there is one, taking the lock only then.

    Readers (``validar``, each chapter of an edition) call this: when all is well they neither wait
    nor write anything in data/.
    """
    if not interrupted(root):
        return []
    with exclusive_lock(root, command):
        return recover(root)


def recover(root: Path) -> list[str]:
    """Bring data/ back to a committed state after a killed run; the caller holds the lock.

    An interrupted undo is finished (the analyst asked for it, and the table before is saved); an
    interrupted import is rolled back. Both steps can be repeated, so a crash during a recovery is
    recovered by the next command. Returns a Spanish note per transaction recovered.
    """
    folder = root / JOURNAL_DIR
    notes = []
    if (folder / UNDOING).exists():
        entry = _read(folder / UNDOING)
        _finish_undo(root, entry)
        notes.append(
            f"se terminó de deshacer la importación de {_label(entry)}, que una orden interrumpida "
            "había dejado a medias."
        )
    if (folder / PENDING).exists():
        entry = _read(folder / PENDING)
        _roll_back(root, entry)
        again = "el archivo" if len(_files(entry)) == 1 else "los archivos"
        notes.append(
            f"la importación de {_label(entry)} (archivo {', '.join(_files(entry))}) se interrumpió antes "
            f"de terminar y se deshizo: data/ quedó como antes de ella. Vuelva a importar {again}."
        )
    _prune(folder)
    return notes


def undo(root: Path) -> dict:
    """Undo exactly the last committed import, and only if the table is still the one it left."""
    folder = root / JOURNAL_DIR
    if not (folder / RECORD).exists():
        raise DataError(NOTHING_TO_UNDO)
    entry = _read(folder / RECORD)
    if "tabla_despues" not in entry and "tablas" not in entry:
        raise DataError(
            "el registro de la última importación lo dejó una versión anterior del programa, sin la huella "
            "de la tabla, y no se puede comprobar que siga siendo la última. No se deshace nada. Con git: "
            "git checkout -- data/ && git clean -f data/raw/",
            path=folder / RECORD,
        )
    for table in _tables(entry):
        if table_hash(root, table["ruta"]) != table["despues"]:
            raise DataError(
                f"la tabla {table['ruta']} cambió después de la última importación registrada "
                f"({_label(entry)}): ya no es la que esa importación dejó (¿una edición a mano o un git "
                "pull?), y deshacerla ahora borraría también esos cambios. No se deshace nada. Con git se "
                f"ve qué cambió: git log -p -- data/{table['ruta']}",
                path=root / table["ruta"],
            )
    os.replace(folder / RECORD, folder / UNDOING)
    fsync_dir(folder)
    try:
        _finish_undo(root, entry)
    except OSError:
        if all(table_hash(root, t["ruta"]) == t["despues"] for t in _tables(entry)):  # nothing undone yet
            os.replace(folder / UNDOING, folder / RECORD)
            fsync_dir(folder)
        raise
    return entry


def _finish_undo(root: Path, entry: dict) -> None:
    for table in _tables(entry):
        _restore_table(root, entry, table)
    _remove_originals(root, entry)
    folder = root / JOURNAL_DIR
    (folder / UNDOING).unlink()
    fsync_dir(folder)
    _prune(folder)


def _roll_back(root: Path, entry: dict) -> None:
    for table in _tables(entry):
        _restore_table(root, entry, table)
        for leftover in temporary_leftovers(root / table["ruta"]):
            leftover.unlink(missing_ok=True)
    _remove_originals(root, entry)
    folder = root / JOURNAL_DIR
    (folder / PENDING).unlink()
    fsync_dir(folder)


def _tables(entry: dict) -> list[dict]:
    """The tables an entry wrote; an entry of the one-table version names only the POA table."""
    if "tablas" in entry:
        return entry["tablas"]
    return [
        {
            "ruta": POA_CSV.as_posix(),
            "antes": entry["tabla_antes"],
            "despues": entry.get("tabla_despues"),
            "copia": entry["tabla_anterior"],
        }
    ]


def _files(entry: dict) -> list[str]:
    return entry.get("archivos") or [entry["archivo"]]


def _restore_table(root: Path, entry: dict, table: dict) -> None:
    """Put back a table as it was before the import, if the table on disk is the one the import wrote.

    A table the import created (none before) is removed.
    """
    path = root / table["ruta"]
    current = table_hash(root, table["ruta"])
    if current == table["antes"]:
        return
    saved = root / JOURNAL_DIR / table["copia"] if table["copia"] else None
    data = saved.read_bytes() if saved is not None and saved.exists() else None
    restorable = table["antes"] is None or (data is not None and sha256_bytes(data) == table["antes"])
    if current != table["despues"] or not restorable:
        raise DataError(
            f"no se puede deshacer la importación de {_label(entry)}: la tabla ya no es ni la de antes ni "
            "la que dejó esa importación, o falta la copia de la de antes en data/.deshacer/. Revise la "
            "tabla con git (git diff data/) antes de seguir.",
            path=path,
        )
    if table["antes"] is None:
        path.unlink()
        fsync_dir(path.parent)
    else:
        atomic_write_bytes(path, data)


def _remove_originals(root: Path, entry: dict) -> None:
    """Delete the originals the import added (only those: an original it found in place stays)."""
    for name in entry["originales_agregados"]:
        target = root / "raw" / name
        target.unlink(missing_ok=True)
        for leftover in temporary_leftovers(target):
            leftover.unlink(missing_ok=True)
    fsync_dir(root / "raw")


def _prune(folder: Path) -> None:
    """Delete from the journal what no entry names: older saved tables, a killed write's temporary files.

    Only files of those two kinds go; anything else (the record of an older version) stays.
    """
    if not folder.is_dir():
        return
    keep = {PENDING, RECORD, UNDOING}
    for name in (PENDING, RECORD, UNDOING):
        if (folder / name).exists():
            entry = _read(folder / name)
            keep.update(t.get("copia") for t in entry.get("tablas", []))
            keep.add(entry.get("tabla_anterior"))
    for path in folder.iterdir():
        ours = bool(SAVED.match(path.name)) or path.name.startswith(".")
        if ours and path.name not in keep and path.is_file():
            path.unlink(missing_ok=True)


def _read(path: Path) -> dict:
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise DataError(
            f"no se puede leer el diario de importaciones ({exc}). Si nadie está importando, revise data/ "
            "con git y borre este archivo.",
            path=path,
        ) from exc


def _label(entry: dict) -> str:
    """«2024, cuatrimestre 3, del 2026-11-30 10:00:00», or the periods of a batch."""
    return f"{describe(entry)}, del {entry['fecha'].replace('T', ' ')}"


def describe(entry: dict) -> str:
    """The periods an entry imported: «2024, cuatrimestre 3», or «9 archivos (2021, cuatrimestre 1 a …)»."""
    periods = entry.get("periodos") or [entry["periodo"]]
    labels = [f"{a}, total anual" if c is None else f"{a}, cuatrimestre {c}" for a, c in periods]
    if len(labels) == 1:
        return labels[0]
    return f"{len(labels)} archivos ({labels[0]} a {labels[-1]})"
