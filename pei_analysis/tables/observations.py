"""The observations of the PEI indicators (``data/pei/observaciones_indicadores.csv``): load them, validated.

Each row is one cited public figure for one indicator. What is refused here (a wrong unit, an unknown
meta, a date in the future) would otherwise be scored against the wrong goal without anyone noticing.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pandas as pd

from pei_analysis.errors import DataError
from pei_analysis.paths import data_dir as _data_dir
from pei_analysis.tables.pei import PEI, load_pei
from pei_analysis.tables.schema import TableSchema
from pei_analysis.tables.schema_files import load_schema

OBSERVATIONS_CSV = Path("pei") / "observaciones_indicadores.csv"
OBSERVATIONS_SCHEMA = Path("pei") / "observaciones_indicadores.schema.yaml"

OBSERVATION_COLUMNS = ["meta_id", "fecha", "valor", "unidad", "fuente", "nota"]


def observations_schema(data_dir: str | Path | None = None) -> TableSchema:
    """The schema stored beside the observations file."""
    return load_schema(_data_dir(data_dir) / OBSERVATIONS_SCHEMA)


def load_observations(data_dir: str | Path | None = None, pei: PEI | None = None) -> pd.DataFrame:
    """Load ``<data_dir>/pei/observaciones_indicadores.csv``: observed values of the PEI indicators.

    Columns: meta_id, fecha (datetime), valor (float, in the terms of the indicator's meta_valor), unidad,
    fuente (the citation), nota; sorted by meta_id and fecha. Besides the schema (types, a citation in every
    row), every row must name an indicator of the PEI, carry that indicator's unidad exactly, give a real date
    that is not in the future and not repeat a (meta_id, fecha) pair, because a wrong unit or a typo in an id
    would otherwise be scored against the wrong goal without anyone noticing. A refusal raises
    :class:`~pei_analysis.errors.DataError` naming the line and the field.

    ``pei`` (the result of :func:`~pei_analysis.tables.pei.load_pei`) is loaded from ``data_dir`` if omitted.
    """
    root = _data_dir(data_dir)
    path = root / OBSERVATIONS_CSV
    table = observations_schema(root).read_csv(path)
    pei = pei if pei is not None else load_pei(root)
    indicadores = pei.indicadores.set_index("meta_id")
    lines = table.index.to_numpy() + 2  # header is line 1; same convention as pei_analysis.tables.schema

    fechas = _dates(table, path, lines)
    _check_known(table, pei, path, lines)
    _check_unrepeated(table, path, lines)
    _check_units(table, indicadores, path, lines)

    out = table.assign(fecha=fechas, valor=table["valor"].astype("float64"))
    return out.sort_values(["meta_id", "fecha"], kind="stable").reset_index(drop=True)[OBSERVATION_COLUMNS]


def _check_known(table: pd.DataFrame, pei: PEI, path: Path, lines) -> None:
    """Every row names an indicator of the PEI (a meta without an indicator is told apart from a typo)."""
    indicadores = pei.indicadores.set_index("meta_id")
    known = table["meta_id"].isin(indicadores.index).to_numpy()
    if known.all():
        return
    i = int((~known).nonzero()[0][0])
    meta_id = table["meta_id"].iloc[i]
    reason = (
        f"la meta «{meta_id}» existe pero no tiene indicador en el PEI"
        if meta_id in set(pei.metas["meta_id"])
        else f"la meta «{meta_id}» no existe en el PEI"
    )
    raise DataError(
        f"{reason}; se esperaba una de: {', '.join(indicadores.index)}.",
        path=path,
        line=int(lines[i]),
        field="meta_id",
    )


def _check_unrepeated(table: pd.DataFrame, path: Path, lines) -> None:
    """One observation per indicator and date; a repeat names the line of the first."""
    repeated = table.duplicated(["meta_id", "fecha"]).to_numpy()
    if not repeated.any():
        return
    i = int(repeated.nonzero()[0][0])
    same = (table["meta_id"] == table["meta_id"].iloc[i]) & (table["fecha"] == table["fecha"].iloc[i])
    first = int(lines[same.to_numpy().nonzero()[0][0]])
    raise DataError(
        f"{table['meta_id'].iloc[i]} ya tiene un valor para {table['fecha'].iloc[i]} en la línea "
        f"{first}; se esperaba una sola observación por indicador y fecha.",
        path=path,
        line=int(lines[i]),
        field="fecha",
    )


def _check_units(table: pd.DataFrame, indicadores: pd.DataFrame, path: Path, lines) -> None:
    """Each row carries exactly its indicator's unit, or it would be scored in the wrong terms."""
    expected = indicadores["unidad"].reindex(table["meta_id"]).to_numpy()
    wrong = table["unidad"].to_numpy() != expected
    if not wrong.any():
        return
    i = int(wrong.nonzero()[0][0])
    raise DataError(
        f"unidad «{table['unidad'].iloc[i]}» no válida para {table['meta_id'].iloc[i]}; "
        f"se esperaba «{expected[i]}», la unidad del indicador en el PEI.",
        path=path,
        line=int(lines[i]),
        field="unidad",
    )


def _dates(table: pd.DataFrame, path: Path, lines) -> pd.Series:
    """The ``fecha`` column as dates: each must exist (the schema's pattern lets 2021-02-30 through) and not
    be in the future."""
    fechas = pd.to_datetime(table["fecha"], format="%Y-%m-%d", errors="coerce")
    bad = fechas.isna().to_numpy()
    if bad.any():
        i = int(bad.nonzero()[0][0])
        raise DataError(
            f"la fecha «{table['fecha'].iloc[i]}» no existe; se esperaba una fecha real AAAA-MM-DD.",
            path=path,
            line=int(lines[i]),
            field="fecha",
        )
    future = (fechas > pd.Timestamp(dt.date.today())).to_numpy()
    if future.any():
        i = int(future.nonzero()[0][0])
        raise DataError(
            f"la fecha {table['fecha'].iloc[i]} es posterior a hoy; una observación no puede ser del futuro.",
            path=path,
            line=int(lines[i]),
            field="fecha",
        )
    return fechas
