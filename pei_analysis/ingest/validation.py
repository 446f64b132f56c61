"""Check every table in data/ and say what was checked: the basis of ``pei-analysis validar``.

Each check returns a line for the summary; the first failure raises DataError. The tidy POA
table must be reproducible from the raw extracts it cites, so an edit by hand that is not in
data/raw/ is caught here.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from pei_analysis.errors import DataError
from pei_analysis.ingest.importer import to_period_figures
from pei_analysis.ingest.readers import parse_any
from pei_analysis.paths import data_dir as _data_dir
from pei_analysis.tables.poa import POA_CSV, load_poa


@dataclass
class ValidationReport:
    """What ``validar`` checked, and the tables it checked (so a caller need not load them again)."""

    checks: list[str] = field(default_factory=list)
    poa: pd.DataFrame | None = None
    pei: object = None
    linkage: pd.DataFrame | None = None
    observations: pd.DataFrame | None = None


def check_poa_reproducible(table: pd.DataFrame, root: Path) -> list[str]:
    """Re-import every raw extract the table cites and compare it, row by row, with the table."""
    lines = []
    for archivo, rows in table.groupby("archivo_origen", sort=True):
        raw = root / "raw" / archivo
        if not raw.exists():
            raise DataError(f"la tabla cita el archivo {archivo}, que no está en data/raw/.",
                            path=root / POA_CSV, field="archivo_origen")
        anio, cuatrimestre = int(rows["anio"].iloc[0]), int(rows["cuatrimestre"].iloc[0])
        cifras = str(rows["cifras_origen"].iloc[0])
        earlier = table[(table["anio"] == anio) & (table["cuatrimestre"] < cuatrimestre)]
        again = to_period_figures(parse_any(raw, anio, cuatrimestre), earlier, cifras, raw)
        mine = rows.reset_index(drop=True)[again.columns]
        diff = _first_difference(mine, again)
        if diff is not None:
            producto, column, ours, theirs = diff
            raise DataError(
                f"producto {producto}: la tabla dice {ours} y el archivo {archivo} dice {theirs}.",
                path=root / POA_CSV,
                field=column,
            )
        lines.append(f"{archivo}: los {len(again)} productos coinciden con la tabla ordenada (reimportado)")
    return lines


def _first_difference(ours: pd.DataFrame, theirs: pd.DataFrame):
    if len(ours) != len(theirs):
        return ("—", "producto", f"{len(ours)} filas", f"{len(theirs)} filas")
    for column in theirs.columns:
        a = ours[column].astype("object").where(ours[column].notna(), None).tolist()
        b = theirs[column].astype("object").where(theirs[column].notna(), None).tolist()
        for i, (x, y) in enumerate(zip(a, b, strict=True)):
            if x != y:
                return (theirs["producto"].iloc[i], column, x, y)
    return None


def validate_all(data_dir: str | Path | None = None) -> ValidationReport:
    """Run every check on data/; raise DataError at the first failure."""
    root = _data_dir(data_dir)
    report = ValidationReport()
    poa = load_poa(root)
    if poa.empty:  # every later check (links to products, the summary) needs at least one period
        raise DataError("la tabla no tiene ninguna fila, solo encabezados: importe un período con "
                        "pei-analysis importar (o restáurela con git).", path=root / POA_CSV, line=2)
    report.poa = poa
    report.checks.append(f"poa_ejecucion.csv: {len(poa)} filas cumplen el esquema (tipos, rangos, sin repetidos)")
    report.checks.extend(check_poa_reproducible(poa, root))
    report.checks.extend(_pei_checks(root, report))
    return report


def _pei_checks(root: Path, report: ValidationReport) -> list[str]:
    """PEI, linkage and indicator-observation checks; their loaders raise DataError on any problem."""
    lines = []
    from pei_analysis.tables.linkage import load_linkage
    from pei_analysis.tables.pei import load_pei

    pei = report.pei = load_pei(root)
    lines.append(
        f"PEI 2018-2022: {len(pei.objetivos)} objetivos, {len(pei.estrategias)} estrategias, "
        f"{len(pei.metas)} metas, {len(pei.acciones)} acciones, {len(pei.indicadores)} indicadores"
    )
    links = report.linkage = load_linkage(root, pei=pei)
    lines.append(
        f"vínculos POA-PEI: {len(links)} filas, {links['producto'].nunique()} productos vinculados; "
        "todos los identificadores existen en el PEI"
    )
    from pei_analysis.tables.observations import load_observations

    observations = report.observations = load_observations(root, pei=pei)
    lines.append(
        f"observaciones de indicadores del PEI: {len(observations)} filas válidas"
        + (" (aún sin datos de una fuente citada)" if observations.empty else "")
    )
    return lines
