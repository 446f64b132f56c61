"""The originals kept in data/raw/: how an import names them, and which period and bytes each one holds.

Every report imported is kept there byte for byte under a name that says its period
(``poa_2024_c1_sicoin_ejecucion_fisica.txt``). That name and those bytes are how the other steps know
what was imported: the validation (an original whose period is not in the tables), the importer and
the inbox (a file already imported is not imported again), the archive (the reports an edition was
built with).
"""

from __future__ import annotations

import re
from pathlib import Path

from pei_analysis.errors import DataError
from pei_analysis.files import sha256_bytes, sha256_file
from pei_analysis.ingest import journal
from pei_analysis.ingest.readers import is_template

#: The name raw_name gives an original of the POA, with its period (an original of the PEI has another).
RAW_NAME = re.compile(r"^poa_(\d{4})_c([1-3])_")
#: The name raw_name gives an original with a year's total.
RAW_ANNUAL_NAME = re.compile(r"^poa_(\d{4})_anual_")


def raw_name(anio: int, cuatrimestre: int | None, source: Path) -> str:
    """Descriptive name in data/raw/ for an original of that period (``cuatrimestre`` None: the year's
    total)."""
    suffix = source.suffix.lower() or ".txt"
    kind = "plantilla" if is_template(source) else "sicoin_ejecucion_fisica"
    span = "anual" if cuatrimestre is None else f"c{cuatrimestre}"
    return f"poa_{anio}_{span}_{kind}{suffix}"


def raw_target(root: Path, anio: int, cuatrimestre: int | None, source: Path, data: bytes) -> Path:
    """Where the original of that period goes in data/raw/ (*root*: the data folder): its descriptive name,
    or, when a different file already has it, that name with the start of its own SHA-256 (data/raw/ is
    immutable: a report replaced keeps its original beside the new one)."""
    target = root / "raw" / raw_name(anio, cuatrimestre, source)
    if target.exists() and sha256_file(target) != sha256_bytes(data):
        target = target.with_stem(f"{target.stem}_{sha256_bytes(data)[:8]}")
    return target


def original_period(name: str) -> tuple[int, int | None] | None:
    """The period in an original's name: ``poa_2024_c2_…`` → (2024, 2), ``poa_2022_anual_…`` → (2022, None);
    None for a file that is not an original of the POA (the PEI's text)."""
    if match := RAW_NAME.match(name):
        return int(match[1]), int(match[2])
    if match := RAW_ANNUAL_NAME.match(name):
        return int(match[1]), None
    return None


def originals_by_hash(data_root: Path) -> dict[str, str]:
    """SHA-256 → name of every original of the POA kept in data/raw/ (each saved byte for byte)."""
    raw = data_root / "raw"
    if not raw.is_dir():
        return {}
    return {sha256_file(p): p.name for p in sorted(raw.iterdir()) if p.is_file() and original_period(p.name)}


def already_imported(files: list[Path], root: Path) -> tuple[list[Path], dict[Path, str]]:
    """The *files* to import, and those data/raw/ already keeps byte for byte, each with its original.

    A folder of past reports imported again with one more year in it, or a report the inbox already
    took, is then no refusal («ya está en los datos: use --reemplazar») but a no-op said in one line
    (:func:`repeated_line`). The test is the file's bytes, before it is read: a report imported by hand
    with options the inbox does not take (``--cifras``) is recognised without them. An importer holding
    the data's lock confirms it with :func:`check_still_kept`.
    """
    originals = originals_by_hash(root)
    keep, kept = [], {}
    for path in files:
        name = originals.get(sha256_file(path))
        if name is None:
            keep.append(path)
        else:
            kept[path] = name
    return keep, kept


def files_to_import(files: list[Path], root: Path, replace: bool) -> tuple[list[Path], dict[Path, str]]:
    """:func:`already_imported`, except with ``--reemplazar`` (*replace*: every file is imported) and after an
    import cut halfway (an original it wrote proves nothing, and its recovery removes it)."""
    if replace or journal.interrupted(root):
        return files, {}
    return already_imported(files, root)


def check_still_kept(kept: dict[Path, str], root: Path) -> None:
    """Refuse when an original a file was left out for is gone since: an import cut halfway had written it,
    and its recovery, in another command, removed it meanwhile."""
    originals = set(originals_by_hash(root).values())
    for path, name in kept.items():
        if name not in originals:
            raise DataError(
                f"se dejó fuera por ser igual a data/raw/{name}, que ya no está (una importación a medias se "
                "deshizo mientras tanto): vuelva a dar la misma orden.",
                path=path,
            )


def repeated_line(path: Path, original: str) -> str:
    """What the analyst reads of a file left out because data/raw/ already keeps it."""
    return f"{path.name}: ya está en los datos (igual a data/raw/{original}); no se importa de nuevo."
