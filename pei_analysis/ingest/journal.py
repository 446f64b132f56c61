"""The import journal: what an import or an undo does to data/ is one transaction, never half of it.

Without it a killed import left an original that no period used in data/raw/, and a crash between
the table and the undo record left ``deshacer`` a stale record that undid more than the last
import. The journal lives in ``data/.deshacer/`` (ignored by git, outside every edition
fingerprint):

* ``en_curso.json``: an import begun and not committed. It is written and flushed before anything
  else changes, and names the originals the import adds and the SHA-256 of the table before and
  after it; the next command that reads or writes data/ rolls that import back (:func:`recover`).
* ``registro.json``: the last committed import, the same entry. ``deshacer`` undoes exactly this
  one, and only while the table is still the one it left (:func:`undo`). Renaming
  ``en_curso.json`` to this name is the commit of an import.
* ``deshaciendo.json``: an undo begun and not finished; the next command finishes it.
* ``poa_ejecucion-<sha>.csv``: the table before an import, the copy an undo or a rollback restores.
* ``copia-<nombre>-<sha>.csv``: the same for each other table the import writes with the POA table (the
  product catalogue, ``data/catalogo/``), listed in the entry under ``otras_tablas`` with their
  fingerprints before and after; a table the import creates is recorded with no fingerprint before,
  and a rollback removes it.

Order of an import: save the tables before, write ``en_curso.json``, copy the original (temporary
name, flush, rename), write the tables (each the same way), rename ``en_curso.json`` to ``registro.json``,
then delete what no entry names. A crash before the rename is rolled back; after it the import is
complete. Rolling back rather than completing is always possible (the table before is saved) and
matches what the analyst saw: the import never said «Importado». Every step runs under the data
folder's lock (``files.exclusive_lock``), taken by the callers in ``importer.py``.
"""

from __future__ import annotations

import datetime as dt
import json
import os
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
SAVED_PREFIX = "poa_ejecucion-"
#: Prefix of the saved copy of each other table an import writes (the catalogue).
OTHER_PREFIX = "copia-"
NOTHING_TO_UNDO = (
    "no hay ninguna importación que deshacer en esta copia (se guarda solo la última). "
    "Con git: git checkout -- data/ && git clean -f data/raw/"
)


def table_hash(root: Path) -> str:
    """SHA-256 of the tidy POA table as it is on disk."""
    return sha256_file(root / POA_CSV)


def begin(
    root: Path,
    periodo: tuple[int, int],
    archivo: str,
    added: list[str],
    new_table: str,
    others: dict[Path, str] | None = None,
) -> dict:
    """Save the tables as they are and write the pending entry: from here on a crash is rolled back.

    ``others`` maps each other table the import writes (a path relative to data/) to its new text.
    """
    folder = root / JOURNAL_DIR
    before = (root / POA_CSV).read_bytes()
    before_hash = sha256_bytes(before)
    saved = f"{SAVED_PREFIX}{before_hash[:16]}.csv"
    atomic_write_bytes(folder / saved, before)
    entry = {
        "orden": "importar",
        "periodo": list(periodo),
        "archivo": archivo,
        "originales_agregados": list(added),
        "tabla_antes": before_hash,
        "tabla_despues": sha256_bytes(new_table.encode("utf-8")),
        "tabla_anterior": saved,
        "otras_tablas": [_save_other(root, Path(name), text) for name, text in (others or {}).items()],
        "fecha": dt.datetime.now().isoformat(timespec="seconds"),
    }
    atomic_write_text(folder / PENDING, json.dumps(entry, ensure_ascii=False, indent=1) + "\n")
    return entry


def _save_other(root: Path, name: Path, new_text: str) -> dict:
    """Save one more table as it is (if it exists) and return its line of the entry."""
    path = root / name
    before = path.read_bytes() if path.exists() else None
    record = {"archivo": name.as_posix(), "antes": None, "despues": sha256_bytes(new_text.encode("utf-8")),
              "copia": None}
    if before is not None:
        record["antes"] = sha256_bytes(before)
        record["copia"] = f"{OTHER_PREFIX}{name.stem}-{record['antes'][:16]}{name.suffix}"
        atomic_write_bytes(root / JOURNAL_DIR / record["copia"], before)
    return record


def copy_original(data: bytes, target: Path) -> None:
    """Put an original in data/raw/ whole or not at all (temporary name, flushed, one rename)."""
    atomic_write_bytes(target, data)


def write_table(root: Path, text: str) -> None:
    """Replace the tidy POA table with *text* in one rename."""
    atomic_write_text(root / POA_CSV, text)


def write_tables(root: Path, texts: dict[Path, str]) -> None:
    """Replace each other table (path relative to data/) with its text, each in one rename."""
    for name, text in texts.items():
        atomic_write_text(root / name, text)


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
        notes.append(f"se terminó de deshacer la importación de {_label(entry)}, que una orden interrumpida "
                     "había dejado a medias.")
    if (folder / PENDING).exists():
        entry = _read(folder / PENDING)
        _roll_back(root, entry)
        notes.append(f"la importación de {_label(entry)} (archivo {entry['archivo']}) se interrumpió antes de "
                     "terminar y se deshizo: data/ quedó como antes de ella. Vuelva a importar el archivo.")
    _prune(folder)
    return notes


def undo(root: Path) -> dict:
    """Undo exactly the last committed import, and only if the table is still the one it left."""
    folder = root / JOURNAL_DIR
    if not (folder / RECORD).exists():
        raise DataError(NOTHING_TO_UNDO, path=folder)
    entry = _read(folder / RECORD)
    if "tabla_despues" not in entry:
        raise DataError(
            "el registro de la última importación lo dejó una versión anterior del programa, sin la huella de "
            "la tabla, y no se puede comprobar que siga siendo la última. No se deshace nada. "
            "Con git: git checkout -- data/ && git clean -f data/raw/",
            path=folder / RECORD,
        )
    edited = _others_changed(root, entry)
    if edited:
        raise DataError(
            f"{edited} cambió después de la última importación registrada ({_label(entry)}): ya no es el que "
            "esa importación dejó (¿una edición a mano o un git pull?), y deshacerla ahora borraría también "
            "esos cambios. No se deshace nada. Con git se ve qué cambió: git log -p -- data/catalogo/",
            path=root / edited,
        )
    if table_hash(root) != entry["tabla_despues"]:
        raise DataError(
            f"la tabla cambió después de la última importación registrada ({_label(entry)}): ya no es la que "
            "esa importación dejó (¿una edición a mano o un git pull?), y deshacerla ahora borraría también "
            "esos cambios. No se deshace nada. Con git se ve qué cambió: git log -p -- data/poa/",
            path=root / POA_CSV,
        )
    os.replace(folder / RECORD, folder / UNDOING)
    fsync_dir(folder)
    try:
        _finish_undo(root, entry)
    except OSError:
        if table_hash(root) == entry["tabla_despues"]:  # nothing undone yet (a full disk): as it was
            os.replace(folder / UNDOING, folder / RECORD)
            fsync_dir(folder)
        raise
    return entry


def _others_changed(root: Path, entry: dict) -> str | None:
    """The first other table the import wrote that is no longer the one it left (its path in data/), or None."""
    return next((o["archivo"] for o in entry.get("otras_tablas", [])
                 if _hash_or_none(root / o["archivo"]) != o["despues"]), None)


def _hash_or_none(path: Path) -> str | None:
    return sha256_file(path) if path.exists() else None


def _finish_undo(root: Path, entry: dict) -> None:
    _restore_others(root, entry)
    _restore_table(root, entry)
    _remove_originals(root, entry)
    folder = root / JOURNAL_DIR
    (folder / UNDOING).unlink()
    fsync_dir(folder)
    _prune(folder)


def _roll_back(root: Path, entry: dict) -> None:
    _restore_others(root, entry)
    _restore_table(root, entry)
    _remove_originals(root, entry)
    for table in [POA_CSV, *(Path(o["archivo"]) for o in entry.get("otras_tablas", []))]:
        for leftover in temporary_leftovers(root / table):
            leftover.unlink(missing_ok=True)
    folder = root / JOURNAL_DIR
    (folder / PENDING).unlink()
    fsync_dir(folder)


def _restore_table(root: Path, entry: dict) -> None:
    """Put back the table before the import, if the table on disk is the one the import wrote."""
    current = table_hash(root)
    if current == entry["tabla_antes"]:
        return
    saved = root / JOURNAL_DIR / entry["tabla_anterior"]
    data = saved.read_bytes() if saved.exists() else b""
    if current != entry["tabla_despues"] or sha256_bytes(data) != entry["tabla_antes"]:
        raise DataError(
            f"no se puede deshacer la importación de {_label(entry)}: la tabla ya no es ni la de antes ni la que "
            "dejó esa importación, o falta la copia de la de antes en data/.deshacer/. Revise la tabla con git "
            "(git diff data/) antes de seguir.",
            path=root / POA_CSV,
        )
    atomic_write_bytes(root / POA_CSV, data)


def _restore_others(root: Path, entry: dict) -> None:
    """Put back each other table as it was before the import (remove it if the import created it).

    Like the POA table, only a table that is the one the import wrote (or the one before) is touched;
    anything else is refused, so a rollback never destroys an edit made since.
    """
    for other in entry.get("otras_tablas", []):
        path = root / other["archivo"]
        current = _hash_or_none(path)
        if current == other["antes"]:
            continue
        saved = root / JOURNAL_DIR / other["copia"] if other["copia"] else None
        data = saved.read_bytes() if saved is not None and saved.exists() else None
        if current != other["despues"] or (other["antes"] is not None and _hash_or_none(saved) != other["antes"]):
            raise DataError(
                f"no se puede deshacer la importación de {_label(entry)}: {other['archivo']} ya no es ni la de antes "
                "ni la que dejó esa importación, o falta su copia en data/.deshacer/. Revise data/ con git "
                "(git diff data/) antes de seguir.",
                path=path,
            )
        if data is None:
            path.unlink()
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
            keep.add(entry.get("tabla_anterior"))
            keep.update(o["copia"] for o in entry.get("otras_tablas", []) if o.get("copia"))
    for path in folder.iterdir():
        ours = path.name.startswith((SAVED_PREFIX, OTHER_PREFIX, "."))
        if ours and path.name not in keep and path.is_file():
            path.unlink(missing_ok=True)


def _read(path: Path) -> dict:
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise DataError(
            f"no se puede leer el diario de importaciones ({exc}). Si nadie está importando, revise data/ con git "
            "y borre este archivo.",
            path=path,
        ) from exc


def _label(entry: dict) -> str:
    anio, cuatrimestre = entry["periodo"]
    return f"{anio}, cuatrimestre {cuatrimestre}, del {entry['fecha'].replace('T', ' ')}"
