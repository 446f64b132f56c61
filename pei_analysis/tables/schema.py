"""Validate tidy tables against the machine-readable schema stored beside them.

The schema (``<tabla>.schema.yaml``) is the one description of a table's columns, types,
units and ranges: the data log cites it, and every load checks it with pandera, so a table
edited by hand cannot reach a notebook without passing the same checks as an import.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pandas as pd
import pandera.pandas as pa
import yaml

from pei_analysis.errors import DataError

_DTYPES = {"entero": "int64", "decimal": "float64", "texto": "str"}


@dataclass(frozen=True)
class TableSchema:
    """A table's schema as read from its YAML file."""

    path: Path
    name: str
    columns: list[dict]
    unique: list[str]

    @property
    def column_names(self) -> list[str]:
        return [c["nombre"] for c in self.columns]

    def read_csv(self, csv_path: Path) -> pd.DataFrame:
        """Read the CSV with this schema's types and validate it."""
        try:
            raw = pd.read_csv(csv_path, dtype=str, keep_default_na=False, encoding="utf-8")
        except (OSError, pd.errors.ParserError, UnicodeDecodeError) as exc:
            raise DataError(f"no se puede leer como CSV UTF-8 ({exc}).", path=csv_path) from exc
        missing = [c for c in self.column_names if c not in raw.columns]
        if missing:
            raise DataError(
                f"faltan columnas: {', '.join(missing)} (el esquema {self.path.name} las exige).",
                path=csv_path,
                line=1,
            )
        table = raw[self.column_names].copy()
        for column in self.columns:
            table[column["nombre"]] = self._convert(raw, column, csv_path)
        return self.validate(table, csv_path)

    def _convert(self, raw: pd.DataFrame, column: dict, csv_path: Path) -> pd.Series:
        name, kind = column["nombre"], column["tipo"]
        values = raw[name].str.strip()
        empty = values == ""
        if empty.any() and not column.get("nulo", False):
            row = int(empty.to_numpy().nonzero()[0][0])
            raise DataError("celda vacía en una columna obligatoria.", path=csv_path, line=row + 2, field=name)
        if kind == "texto":
            return values.where(~empty, None).astype("str")
        numbers = pd.to_numeric(values.where(~empty, None), errors="coerce")
        bad = numbers.isna() & ~empty
        if kind == "entero":
            bad |= numbers.notna() & (numbers % 1 != 0)
        if bad.any():
            row = int(bad.to_numpy().nonzero()[0][0])
            expected = "un número entero" if kind == "entero" else "un número"
            raise DataError(
                f"se esperaba {expected} y se encontró «{values.iloc[row]}».",
                path=csv_path,
                line=row + 2,
                field=name,
            )
        return numbers.astype("Int64" if column.get("nulo") else "int64") if kind == "entero" else numbers

    def pandera_schema(self) -> pa.DataFrameSchema:
        columns = {}
        for c in self.columns:
            checks = []
            if "minimo" in c:
                checks.append(pa.Check.ge(c["minimo"], error=f"debe ser ≥ {c['minimo']}"))
            if "maximo" in c:
                checks.append(pa.Check.le(c["maximo"], error=f"debe ser ≤ {c['maximo']}"))
            if "valores" in c:
                checks.append(pa.Check.isin(c["valores"], error=f"debe ser uno de: {', '.join(c['valores'])}"))
            if "patron" in c:
                checks.append(pa.Check.str_matches(c["patron"], error=f"debe cumplir el patrón {c['patron']}"))
            columns[c["nombre"]] = pa.Column(
                nullable=bool(c.get("nulo", False)), checks=checks, title=c.get("descripcion")
            )
        return pa.DataFrameSchema(columns, unique=self.unique or None, strict=True, ordered=True)

    def validate(self, table: pd.DataFrame, source: Path | str | None = None) -> pd.DataFrame:
        """Check *table* against the schema; DataError names the first offending row and column."""
        source = Path(source) if source is not None else self.path
        try:
            self.pandera_schema().validate(table, lazy=True)
        except pa.errors.SchemaErrors as exc:
            raise _first_failure(exc, source) from None
        return table


def _first_failure(exc: pa.errors.SchemaErrors, source: Path) -> DataError:
    cases = exc.failure_cases.sort_values("index", na_position="first", kind="stable")
    case = cases.iloc[0]
    column = case["column"] if isinstance(case["column"], str) else None
    index = case["index"]
    line = int(index) + 2 if pd.notna(index) else None
    check = str(case["check"])
    value = case["failure_case"]
    if "unique" in check or "duplicated" in check.lower():
        reason = f"fila repetida: la combinación de {check} ya aparece antes (valor «{value}»)."
    elif "column_in_dataframe" in check or "column_in_schema" in check or "ordered" in check:
        reason = f"columna inesperada o fuera de orden: «{value}»."
    else:
        reason = f"valor «{value}» no permitido: {check}."
    return DataError(reason, path=source, line=line, field=column)


def load_schema(path: Path) -> TableSchema:
    """Read a ``*.schema.yaml`` file (safely: no YAML tags that build objects)."""
    try:
        spec = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as exc:
        raise DataError(f"no se puede leer el esquema ({exc}).", path=path) from exc
    if not isinstance(spec, dict) or not isinstance(spec.get("columnas"), list):
        raise DataError("el esquema debe tener una lista «columnas».", path=path, field="columnas")
    for i, column in enumerate(spec["columnas"], start=1):
        if not isinstance(column, dict) or column.get("tipo") not in _DTYPES or not column.get("nombre"):
            raise DataError(
                f"la columna n.º {i} necesita «nombre» y «tipo» (entero, decimal o texto).",
                path=path,
                field="columnas",
            )
    return TableSchema(
        path=path, name=spec.get("tabla", path.stem), columns=spec["columnas"], unique=spec.get("clave_unica", [])
    )
