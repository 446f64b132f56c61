"""Add a new period to data/: keep the file as received in data/raw/, update the tidy table.

All checks run before anything is written; the raw copy is removed again if the table cannot
be written, so a refused import leaves data/ exactly as it was.
"""

from __future__ import annotations

import hashlib
import shutil
from dataclasses import dataclass
from pathlib import Path

from pei_analysis.errors import DataError
from pei_analysis.paths import data_dir as _data_dir
from pei_analysis.poa import load_poa, merge_period, write_table
from pei_analysis.sources import sicoin


@dataclass(frozen=True)
class ImportResult:
    anio: int
    cuatrimestre: int
    productos: int
    ejecutado_total: int
    raw_path: Path
    table_path: Path


def raw_name(anio: int, cuatrimestre: int, source: Path) -> str:
    """Descriptive name in data/raw/ for a SICOIN extract of that period."""
    return f"poa_{anio}_c{cuatrimestre}_sicoin_ejecucion_fisica{source.suffix.lower() or '.txt'}"


def _sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def import_sicoin(
    source: Path,
    *,
    anio: int,
    cuatrimestre: int,
    replace: bool = False,
    data_dir: str | Path | None = None,
) -> ImportResult:
    """Import a SICOIN extract for (anio, cuatrimestre) into data/; refuse without writing on any failure."""
    root = _data_dir(data_dir)
    source = Path(source)
    if not source.is_file():
        raise DataError("el archivo no existe.", path=source)
    new = sicoin.parse(source, anio, cuatrimestre)
    existing = load_poa(root)
    raw_dir = root / "raw"
    target = raw_dir / raw_name(anio, cuatrimestre, source)
    if target.exists() and _sha256(target) != _sha256(source):
        # data/raw/ is immutable: a different file for the same period gets a name of its own.
        target = target.with_stem(f"{target.stem}_{_sha256(source)[:8]}")
    new["archivo_origen"] = target.name
    merged = merge_period(existing, new, replace=replace)
    created = not target.exists()
    if created:
        shutil.copyfile(source, target)
    try:
        table_path = write_table(merged, root)
    except BaseException:
        if created:
            target.unlink(missing_ok=True)
        raise
    return ImportResult(
        anio=anio,
        cuatrimestre=cuatrimestre,
        productos=len(new),
        ejecutado_total=int(new["ejecutado"].sum()),
        raw_path=target,
        table_path=table_path,
    )
