"""Check every table in data/ and say what was checked: the basis of ``pei-analysis validar``.

Each check returns a line for the summary; the first failure raises DataError. The tidy POA
table must be reproducible from the raw extracts it cites, so an edit by hand that is not in
data/raw/ is caught here; each product's catalogue key too (the catalogue must still recognise each
original's descriptions as the products the table says they are).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from pei_analysis.errors import DataError
from pei_analysis.files import exclusive_lock
from pei_analysis.ingest import journal
from pei_analysis.ingest.catalogue_match import assign_keys
from pei_analysis.ingest.history_checks import to_period_figures
from pei_analysis.ingest.originals import original_period
from pei_analysis.ingest.readers import parse_any
from pei_analysis.paths import data_dir as _data_dir
from pei_analysis.tables.catalogue import Catalogue, load_catalogue
from pei_analysis.tables.poa import (
    POA_ANNUAL_CSV,
    POA_CSV,
    PRODUCT_KEY,
    annual_years,
    load_poa,
    load_poa_annual,
    periods,
)


@dataclass
class ValidationReport:
    """What ``validar`` checked, and the tables it checked (so a caller need not load them again)."""

    checks: list[str] = field(default_factory=list)
    poa: pd.DataFrame | None = None
    #: The annual totals of past years known only as a whole (``poa_anual.csv``; empty when there are none).
    poa_anual: pd.DataFrame | None = None
    pei: object = None
    linkage: pd.DataFrame | None = None
    observations: pd.DataFrame | None = None
    #: What was recovered before checking (an import or an undo a killed run left half done), in Spanish.
    avisos: list[str] = field(default_factory=list)


def check_poa_reproducible(table: pd.DataFrame, root: Path, catalogue: Catalogue | None = None) -> list[str]:
    """Re-import every raw extract the table cites and compare it, row by row, with the table.

    Each product is keyed again against the catalogue (never accepting a new product), so a key
    edited by hand in the table, or a catalogue edit that no longer recognises an original, is caught.
    """
    catalogue = catalogue if catalogue is not None else load_catalogue(root)
    lines = []
    for archivo, rows in table.groupby("archivo_origen", sort=True):
        raw = _original(root, archivo, POA_CSV)
        anio, cuatrimestre = int(rows["anio"].iloc[0]), int(rows["cuatrimestre"].iloc[0])
        cifras = str(rows["cifras_origen"].iloc[0])
        earlier = table[(table["anio"] == anio) & (table["cuatrimestre"] < cuatrimestre)]
        keyed = assign_keys(parse_any(raw, anio, cuatrimestre), catalogue, raw).rows
        again = to_period_figures(keyed, earlier, cifras, raw)
        _check_same(rows, again, archivo, root / POA_CSV)
        lines.append(f"{archivo}: los {len(again)} productos coinciden con la tabla ordenada (reimportado)")
    return lines


def check_annual_reproducible(
    annual: pd.DataFrame, poa: pd.DataFrame, root: Path, catalogue: Catalogue | None = None
) -> list[str]:
    """Re-import every annual original the annual table cites and compare it; a year in both tables is
    refused.

    Each product is keyed again against the catalogue, as in :func:`check_poa_reproducible`.

    A year is known by its cuatrimestres or by its total, never both: the projection would count it twice.
    """
    both = sorted(set(annual_years(annual)) & {int(a) for a in poa["anio"]})
    if both:
        raise DataError(
            f"el año {both[0]} está a la vez en poa_ejecucion.csv (por cuatrimestres) y en poa_anual.csv "
            "(total anual): retire una de las dos.",
            path=root / POA_ANNUAL_CSV,
            field="anio",
        )
    catalogue = catalogue if catalogue is not None else load_catalogue(root)
    lines = []
    for archivo, rows in annual.groupby("archivo_origen", sort=True):
        raw = _original(root, archivo, POA_ANNUAL_CSV)
        again = assign_keys(parse_any(raw, int(rows["anio"].iloc[0]), None, annual=True), catalogue, raw).rows
        _check_same(rows, again, archivo, root / POA_ANNUAL_CSV)
        lines.append(f"{archivo}: los {len(again)} totales anuales coinciden con poa_anual.csv (reimportado)")
    return lines


def _original(root: Path, archivo: str, table: Path) -> Path:
    """The original in data/raw/ a row of *table* cites, refused (naming the table) when it is missing."""
    raw = root / "raw" / archivo
    if not raw.exists():
        raise DataError(
            f"la tabla cita el archivo {archivo}, que no está en data/raw/.",
            path=root / table,
            field="archivo_origen",
        )
    return raw


def _check_same(rows: pd.DataFrame, again: pd.DataFrame, archivo: str, table: Path) -> None:
    """Refuse the first figure where the table's *rows* differ from the original read *again*, naming the
    table's line (*rows* keep the table's index: line = index + 2, after the header) and the period."""
    columns = [c for c in again.columns if c in rows.columns]
    diff = _first_difference(rows.reset_index(drop=True)[columns], again[columns])
    if diff is not None:
        i, column, ours, theirs = diff
        row = rows.iloc[min(i, len(rows) - 1)]
        annual = "cuatrimestre" not in rows.columns
        period = f"{int(row['anio'])}, " + (
            "total anual" if annual else f"cuatrimestre {int(row['cuatrimestre'])}"
        )
        what = f"producto {int(again['producto'].iloc[i])} ({period})" if i < len(again) else period
        raise DataError(
            f"{what}: la tabla dice {_shown(ours)} y el original {archivo} dice {_shown(theirs)}; si la "
            "tabla se editó a mano, deshaga la edición (git checkout) o vuelva a importar el original.",
            path=table,
            line=int(rows.index[min(i, len(rows) - 1)]) + 2,
            field=column,
        )


def _shown(value) -> str:
    """A figure with its thousands («1,244,100»), as the report prints it; anything else as it is."""
    if isinstance(value, (int, float)) and not isinstance(value, bool) and float(value).is_integer():
        return f"{int(value):,}"
    return str(value)


def _first_difference(ours: pd.DataFrame, theirs: pd.DataFrame):
    """(row position, column, table's value, original's value) of the first difference, or None."""
    if len(ours) != len(theirs):
        return (min(len(ours), len(theirs)), "producto", f"{len(ours)} filas", f"{len(theirs)} filas")
    for column in theirs.columns:
        a = ours[column].astype("object").where(ours[column].notna(), None).tolist()
        b = theirs[column].astype("object").where(theirs[column].notna(), None).tolist()
        for i, (x, y) in enumerate(zip(a, b, strict=True)):
            if x != y:
                return (i, column, x, y)
    return None


def validate_all(data_dir: str | Path | None = None) -> ValidationReport:
    """Run every check on data/; raise DataError at the first failure.

    An import or an undo that a killed run left half done is recovered first (the lock is taken
    only then), so what is checked is a committed state of data/.
    """
    root = _data_dir(data_dir)
    report = ValidationReport()
    report.avisos.extend(journal.settle(root, "validar"))
    poa = load_poa(root)
    if poa.empty:  # every later check (links to products, the summary) needs at least one period
        raise DataError(
            "la tabla no tiene ninguna fila, solo encabezados: importe un período con "
            "pei-analysis importar (o restáurela con git).",
            path=root / POA_CSV,
            line=2,
        )
    report.poa = poa
    report.checks.append(
        f"poa_ejecucion.csv: {len(poa)} filas cumplen el esquema (tipos, rangos, sin repetidos)"
    )
    catalogue = load_catalogue(root)
    report.checks.append(
        f"catálogo de productos: {len(catalogue.productos)} productos, "
        f"{catalogue.por_anio['anio'].nunique()} "
        f"{'año' if catalogue.por_anio['anio'].nunique() == 1 else 'años'} de números y descripciones, "
        f"{len(catalogue.correspondencias)} correspondencias; cada clave del POA está en el catálogo"
    )
    report.checks.extend(check_poa_reproducible(poa, root, catalogue))
    annual = report.poa_anual = load_poa_annual(root)
    if not annual.empty:
        report.checks.append(
            f"poa_anual.csv: {len(annual)} filas de {len(annual_years(annual))} años cumplen el esquema"
        )
        report.checks.extend(check_annual_reproducible(annual, poa, root, catalogue))
    report.checks.append(check_originals_used(poa, root, report.avisos))
    report.checks.extend(_pei_checks(root, report))
    return report


def check_originals_used(table: pd.DataFrame, root: Path, notes: list[str]) -> str:
    """Refuse an original of the POA in data/raw/ whose period the table does not have.

    Such a file is the trace of a lost period (two imports at once, where one overwrote the other)
    or of an import killed halfway, so it is a refusal, not a warning: every edition build runs
    this validation first, and must not publish with a period missing. An original replaced
    with ``--reemplazar`` stays in data/raw/ (originals are immutable) and is not counted: its
    period is in the table. Before refusing, the check waits for an import in progress (the lock)
    and looks again, so it never blames a file that import is still committing.
    """
    unused = _unused_originals(table, load_poa_annual(root), root)
    if unused:
        with exclusive_lock(root, "validar"):
            notes.extend(journal.recover(root))
            unused = _unused_originals(load_poa(root), load_poa_annual(root), root)
    if unused:
        listed = ", ".join(f"{name} ({_period(anio, cuatrimestre)})" for name, anio, cuatrimestre in unused)
        name, anio, cuatrimestre = unused[0]
        option = "--anual" if cuatrimestre is None else f"--cuatrimestre {cuatrimestre}"
        raise DataError(
            "ningún período de la tabla del POA usa "
            f"{'este original' if len(unused) == 1 else 'estos originales'}: {listed}. ¿Una importación que "
            f"no terminó, o que otra pisó? Vuelva a importarlo (pei-analysis importar data/raw/{name} "
            f"--anio {anio} {option} ...) o, si sobra, retírelo de data/raw/.",
            path=root / "raw" / name,
        )
    return "data/raw/: cada original del POA corresponde a un período de la tabla"


def _period(anio: int, cuatrimestre: int | None) -> str:
    return f"{anio}, total anual" if cuatrimestre is None else f"{anio}, cuatrimestre {cuatrimestre}"


def _unused_originals(
    table: pd.DataFrame, annual: pd.DataFrame, root: Path
) -> list[tuple[str, int, int | None]]:
    present = set(periods(table))
    years = set(annual_years(annual))
    found = []
    raw_dir = root / "raw"
    for path in sorted(raw_dir.iterdir()) if raw_dir.is_dir() else []:
        period = original_period(path.name) if path.is_file() else None
        if period is None:
            continue
        anio, cuatrimestre = period
        if (cuatrimestre is None and anio not in years) or (cuatrimestre and period not in present):
            found.append((path.name, anio, cuatrimestre))
    return found


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
        f"vínculos POA-PEI: {len(links)} filas, {links[PRODUCT_KEY].nunique()} productos vinculados; "
        "todos los identificadores existen en el PEI y cada clave en el catálogo"
    )
    from pei_analysis.tables.observations import load_observations

    observations = report.observations = load_observations(root, pei=pei)
    lines.append(
        f"observaciones de indicadores del PEI: {len(observations)} filas válidas"
        + (" (aún sin datos de una fuente citada)" if observations.empty else "")
    )
    return lines
