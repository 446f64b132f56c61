"""Add a new period to data/: keep the file as received in data/raw/, update the tidy table.

Every check runs before anything is written: the file's own arithmetic (in the readers), then
its consistency with what data/ already holds (catalogue, period vs cumulative figures, values
wildly out of line with the product's history). Only then is the original copied into raw/ and
the table replaced in one rename; the previous table is kept so ``pei-analysis deshacer`` can
restore it.
"""

from __future__ import annotations

import datetime as dt
import json
import shutil
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from pei_analysis.calendar import check_import_period
from pei_analysis.errors import DataError
from pei_analysis.files import sha256_file
from pei_analysis.ingest.limits import check_no_gap, check_outlier_factor
from pei_analysis.ingest.readers import parse_any
from pei_analysis.ingest.template import TEMPLATE_SUFFIXES
from pei_analysis.paths import data_dir as _data_dir
from pei_analysis.tables.poa import POA_CSV, load_poa, merge_period, write_table

CIFRAS = ("periodo", "acumulado")
#: Told "periodo", a median ratio to the previous cuatrimestre at or above this looks cumulative.
CUMULATIVE_RATIO = 1.6
#: Told "acumulado", a median ratio to the sum of earlier cuatrimestres below this looks like a period figure.
PERIOD_RATIO = 1.2
#: Default guard: a product whose figure is this many times above (or below) its usual level is refused.
OUTLIER_FACTOR = 5.0
#: The guard ignores products whose usual level is below this (small counts swing a lot).
OUTLIER_MIN_LEVEL = 50
UNDO_DIR = ".deshacer"


@dataclass(frozen=True)
class ImportResult:
    anio: int
    cuatrimestre: int
    productos: int
    ejecutado_total: int
    raw_path: Path
    table_path: Path


def raw_name(anio: int, cuatrimestre: int, source: Path) -> str:
    """Descriptive name in data/raw/ for an original of that period."""
    suffix = source.suffix.lower() or ".txt"
    kind = "plantilla" if suffix in (".csv", ".xlsx") else "sicoin_ejecucion_fisica"
    return f"poa_{anio}_c{cuatrimestre}_{kind}{suffix}"



def _at(source: Path, number) -> dict:
    """Where a figure sits: a line of a text extract, a row (fila) of a spreadsheet template."""
    is_template = source.suffix.lower() in TEMPLATE_SUFFIXES
    return {"row": int(number)} if is_template else {"line": int(number)}



def to_period_figures(new: pd.DataFrame, existing: pd.DataFrame, cifras: str, source: Path) -> pd.DataFrame:
    """Return *new* with ``ejecutado`` as the cuatrimestre's own production.

    Cumulative figures (January to the end of the cuatrimestre) become period figures by
    subtracting the earlier cuatrimestres of the same year, which must all be in data/.
    """
    new = new.copy()
    new["cifras_origen"] = cifras
    if cifras == "periodo":
        return new
    anio, cuatrimestre = int(new["anio"].iloc[0]), int(new["cuatrimestre"].iloc[0])
    earlier = existing[(existing["anio"] == anio) & (existing["cuatrimestre"] < cuatrimestre)]
    have = sorted(set(earlier["cuatrimestre"]))
    if have != list(range(1, cuatrimestre)):
        raise DataError(
            f"para convertir cifras acumuladas del cuatrimestre {cuatrimestre} hacen falta los cuatrimestres "
            f"anteriores de {anio} en los datos, y solo están: {have or 'ninguno'}.",
            path=source, field="--cifras",
        )
    before = earlier.groupby("producto")["ejecutado"].sum()
    prior = new["producto"].map(before).fillna(0).astype("int64")
    period = new["ejecutado"] - prior
    negative = period < 0
    if negative.any():
        row = new[negative].iloc[0]
        raise DataError(
            f"producto {row['producto']}: el acumulado {row['ejecutado']:,} es menor que lo ya reportado en "
            f"los cuatrimestres anteriores ({prior[negative].iloc[0]:,}); ¿son cifras del período?",
            path=source, **_at(source, row["linea_origen"]), field="ejecutado",
        )
    new["ejecutado"] = period
    return new


def check_period_or_cumulative(raw: pd.DataFrame, existing: pd.DataFrame, cifras: str, source: Path) -> None:
    """Catch cumulative figures imported as period figures, and the reverse, where the data shows it."""
    anio, cuatrimestre = int(raw["anio"].iloc[0]), int(raw["cuatrimestre"].iloc[0])
    earlier = existing[(existing["anio"] == anio) & (existing["cuatrimestre"] < cuatrimestre)]
    if earlier.empty:
        return
    if cifras == "periodo":
        previous = earlier[earlier["cuatrimestre"] == earlier["cuatrimestre"].max()].set_index("producto")["ejecutado"]
        ratio = _median_ratio(raw, previous)
        if ratio is not None and ratio >= CUMULATIVE_RATIO:
            raise DataError(
                f"las cifras parecen acumuladas desde enero: la mediana de ejecutado es {ratio:.1f} veces la del "
                "cuatrimestre anterior. Si lo son, importe con --cifras acumulado.",
                path=source, field="ejecutado",
            )
    else:
        previous = earlier.groupby("producto")["ejecutado"].sum()
        ratio = _median_ratio(raw, previous)
        if ratio is not None and ratio < PERIOD_RATIO:
            raise DataError(
                f"las cifras no parecen acumuladas: la mediana de ejecutado es solo {ratio:.2f} veces lo reportado "
                "en los cuatrimestres anteriores. Si son del período, importe con --cifras periodo.",
                path=source, field="ejecutado",
            )


def _median_ratio(new: pd.DataFrame, previous: pd.Series) -> float | None:
    prev = new["producto"].map(previous)
    usable = (prev >= OUTLIER_MIN_LEVEL) & (new["ejecutado"] > 0)
    if usable.sum() < 3:
        return None
    return float((new.loc[usable, "ejecutado"] / prev[usable]).median())


def check_catalogue(new: pd.DataFrame, existing: pd.DataFrame, source: Path) -> None:
    """Refuse products missing (or new, or renamed) against the latest earlier period."""
    anio, cuatrimestre = int(new["anio"].iloc[0]), int(new["cuatrimestre"].iloc[0])
    earlier = existing[(existing["anio"] < anio) | ((existing["anio"] == anio) & (existing["cuatrimestre"] < cuatrimestre))]
    if earlier.empty:
        return
    last = earlier[["anio", "cuatrimestre"]].drop_duplicates().sort_values(["anio", "cuatrimestre"]).iloc[-1]
    previous = earlier[(earlier["anio"] == last["anio"]) & (earlier["cuatrimestre"] == last["cuatrimestre"])]
    label = f"{int(last['anio'])}, cuatrimestre {int(last['cuatrimestre'])}"
    missing = sorted(set(previous["producto"]) - set(new["producto"]))
    if missing:
        raise DataError(
            f"faltan productos que estaban en {label}: {', '.join(map(str, missing))}. Si el catálogo cambió, "
            "importe con --aceptar-cambios-de-catalogo.",
            path=source, field="producto",
        )
    added = sorted(set(new["producto"]) - set(previous["producto"]))
    if added:
        row = new[new["producto"] == added[0]].iloc[0]
        raise DataError(
            f"productos nuevos respecto de {label}: {', '.join(map(str, added))}. Si el catálogo cambió, "
            "importe con --aceptar-cambios-de-catalogo.",
            path=source, **_at(source, row["linea_origen"]), field="producto",
        )
    merged = new.merge(previous[["producto", "sigla", "unidad"]], on="producto", suffixes=("", "_antes"))
    changed = merged[(merged["sigla"].fillna("") != merged["sigla_antes"].fillna(""))
                     | (merged["unidad"] != merged["unidad_antes"])]
    if not changed.empty:
        row = changed.iloc[0]
        raise DataError(
            f"el producto {row['producto']} cambió de sigla o unidad respecto de {label} "
            f"({row['sigla_antes'] or 'sin sigla'}/{row['unidad_antes']} → {row['sigla'] or 'sin sigla'}/"
            f"{row['unidad']}). Si el catálogo cambió, importe con --aceptar-cambios-de-catalogo.",
            path=source, **_at(source, row["linea_origen"]), field="producto",
        )


def check_outliers(new: pd.DataFrame, existing: pd.DataFrame, factor: float, source: Path) -> None:
    """Refuse an ejecutado *factor* times above or below the product's median earlier cuatrimestre."""
    if not factor or existing.empty:
        return
    usual = existing.groupby("producto")["ejecutado"].median()
    level = new["producto"].map(usual)
    known = level >= OUTLIER_MIN_LEVEL
    high = known & (new["ejecutado"] > factor * level)
    low = known & (new["ejecutado"] * factor < level)
    wild = high | low
    if wild.any():
        row = new[wild].iloc[0]
        typical = level[wild].iloc[0]
        raise DataError(
            f"producto {row['producto']}: ejecutado {row['ejecutado']:,} está fuera de línea con su historia "
            f"(mediana por cuatrimestre {typical:,.0f}; se admite hasta {factor:g} veces más o menos). "
            "Revise la cifra, o ajuste la guardia con --factor-atipicos.",
            path=source, **_at(source, row["linea_origen"]), field="ejecutado",
        )


def import_file(
    source: Path,
    *,
    anio: int,
    cuatrimestre: int,
    cifras: str | None = None,
    replace: bool = False,
    accept_catalogue_changes: bool = False,
    outlier_factor: float = OUTLIER_FACTOR,
    data_dir: str | Path | None = None,
    today: dt.date | None = None,
) -> ImportResult:
    """Import a SICOIN extract or a filled template into data/; on any failure write nothing."""
    root = _data_dir(data_dir)
    source = Path(source)
    check_import_period(anio, cuatrimestre, today)
    check_outlier_factor(outlier_factor)
    if cifras is None:
        if cuatrimestre > 1:
            raise DataError(
                "indique si las cifras del archivo son del período o acumuladas desde enero: "
                "--cifras periodo o --cifras acumulado.",
                field="--cifras",
            )
        cifras = "periodo"  # in the first cuatrimestre both are the same figure
    if cifras not in CIFRAS:
        raise DataError(f"--cifras debe ser «periodo» o «acumulado» y se indicó «{cifras}».", field="--cifras")
    if not source.is_file():
        raise DataError("el archivo no existe.", path=source)
    raw = parse_any(source, anio, cuatrimestre)
    existing = load_poa(root)
    others = existing[~((existing["anio"] == anio) & (existing["cuatrimestre"] == cuatrimestre))]
    check_period_or_cumulative(raw, others, cifras, source)
    new = to_period_figures(raw, others, cifras, source)
    check_no_gap(anio, cuatrimestre, others, source)
    if not accept_catalogue_changes:
        check_catalogue(new, others, source)
    check_outliers(new, others, outlier_factor, source)

    raw_dir = root / "raw"
    target = raw_dir / raw_name(anio, cuatrimestre, source)
    source_hash = sha256_file(source)
    if target.exists() and sha256_file(target) != source_hash:
        # data/raw/ is immutable: a different file for the same period gets a name of its own.
        target = target.with_stem(f"{target.stem}_{source_hash[:8]}")
    new["archivo_origen"] = target.name
    merged = merge_period(existing, new, replace=replace, path=root / POA_CSV)
    created = not target.exists()
    previous_table = (root / POA_CSV).read_bytes()
    if created:
        shutil.copyfile(source, target)
    try:
        table_path = write_table(merged, root)
    except BaseException:
        if created:
            target.unlink(missing_ok=True)
        raise
    _save_undo(root, previous_table, target if created else None, anio, cuatrimestre)
    return ImportResult(
        anio=anio,
        cuatrimestre=cuatrimestre,
        productos=len(new),
        ejecutado_total=int(new["ejecutado"].sum()),
        raw_path=target,
        table_path=table_path,
    )


def _save_undo(root: Path, previous_table: bytes, added_raw: Path | None, anio: int, cuatrimestre: int) -> Path:
    """Keep what the last import replaced (one level), outside git's view (data/.deshacer is ignored)."""
    journal = root / UNDO_DIR
    shutil.rmtree(journal, ignore_errors=True)
    journal.mkdir()
    (journal / "poa_ejecucion.csv").write_bytes(previous_table)
    record = {
        "periodo": [anio, cuatrimestre],
        "original_agregado": added_raw.name if added_raw else None,
        "fecha": dt.datetime.now().isoformat(timespec="seconds"),
    }
    (journal / "registro.json").write_text(json.dumps(record, ensure_ascii=False, indent=1), encoding="utf-8")
    return journal


def undo_last_import(data_dir: str | Path | None = None) -> dict:
    """Restore the table as it was before the last import and remove the original that import added."""
    root = _data_dir(data_dir)
    journal = root / UNDO_DIR
    record_path = journal / "registro.json"
    if not record_path.exists():
        raise DataError(
            "no hay ninguna importación que deshacer en esta copia (se guarda solo la última). "
            "Con git: git checkout -- data/ && git clean -f data/raw/",
            path=journal,
        )
    record = json.loads(record_path.read_text(encoding="utf-8"))
    shutil.copyfile(journal / "poa_ejecucion.csv", root / POA_CSV)
    if record.get("original_agregado"):
        (root / "raw" / record["original_agregado"]).unlink(missing_ok=True)
    shutil.rmtree(journal)
    return record
