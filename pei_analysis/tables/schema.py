"""Validate tidy tables against the machine-readable schema stored beside them.

The schema (``<tabla>.schema.yaml``) is the one description of a table's columns, types,
units and ranges: the data log is generated from it, and every load checks it, so a table
edited by hand cannot reach a notebook without passing the same checks as an import.

One mechanism serves every table in ``data/``: a CSV (:meth:`TableSchema.read_csv`, or
:meth:`TableSchema.from_text` for rows a caller has already split) and the tables of a YAML
document (:meth:`TableSchema.from_records`, whose cells are YAML values). Both convert the cells
to the column's ``tipo`` and then run the same value checks (ranges, closed lists and patterns
with pandera; uniqueness and references here). A refusal is a :class:`Failure`; the caller says
where a row lives (a CSV line, a YAML node) and the schema's ``mensajes`` may give a column its
own wording, so each table keeps the refusal text its users and tests know.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd
import pandera.pandas as pa

from pei_analysis.errors import DataError

#: The column types, and how a refusal of a YAML value names the type it expected.
KIND_NAMES = {
    "texto": "un texto no vacío",
    "entero": "un número entero",
    "decimal": "un número",
    "fecha": "una fecha ISO (AAAA-MM-DD) entre comillas",
    "ordinal": 'un número de orden como "2" o "2.1"',
    "logico": "verdadero o falso",
}
_ORDINAL = re.compile(r"^\d+(\.\d+)?$")
_INTEGER_TEXT = re.compile(r"^-?\d+$")
#: A key absent from a YAML block (unlike an explicit null).
ABSENT = object()


@dataclass(frozen=True)
class Failure:
    """One refused cell (or row): where it is in the table and what the schema says about it."""

    row: int | None
    column: str | None
    check: str
    value: Any = None
    detail: str = ""
    first: int | None = None


def _is_iso_date(value: Any) -> bool:
    if not isinstance(value, str) or not re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
        return False
    try:
        dt.date.fromisoformat(value)
    except ValueError:
        return False
    return True


def _record_ok(kind: str, value: Any) -> bool:
    """Whether a YAML value has the column's kind (YAML values arrive typed: no conversion)."""
    integer = isinstance(value, int) and not isinstance(value, bool)
    return {
        "texto": isinstance(value, str) and value.strip() != "",
        "entero": integer,
        "decimal": integer or (isinstance(value, float)),
        "fecha": _is_iso_date(value),
        "ordinal": integer or (isinstance(value, str) and _ORDINAL.match(value) is not None),
        "logico": isinstance(value, bool),
    }[kind]


@dataclass(frozen=True)
class TableSchema:
    """A table's schema as read from its YAML file (or from one section of a multi-table file)."""

    path: Path
    name: str
    columns: list[dict]
    unique: list[str]
    description: str = ""
    block: str | None = None
    keys: list[str] = field(default_factory=list)
    optional: list[str] = field(default_factory=list)
    messages: dict = field(default_factory=dict)

    @property
    def column_names(self) -> list[str]:
        return [c["nombre"] for c in self.columns]

    def column(self, name: str) -> dict:
        return next(c for c in self.columns if c["nombre"] == name)

    def key_of(self, name: str) -> str | None:
        """The YAML key a column is read from, or None if the reader derives it (a parent's id)."""
        key = self.column(name).get("clave", name)
        return key if key in self.keys else None

    def nullable(self, column: dict) -> bool:
        key = column.get("clave", column["nombre"])
        return bool(column.get("nulo", False)) or key in self.optional

    # ------------------------------------------------------------------ reading a CSV

    def read_csv(self, csv_path: Path) -> pd.DataFrame:
        """Read the CSV with this schema's types and validate it."""
        try:
            raw = pd.read_csv(csv_path, dtype=str, keep_default_na=False, encoding="utf-8")
        except pd.errors.EmptyDataError:
            raise DataError(
                "el archivo está vacío: le falta incluso la fila de encabezados (restáurelo con git o con "
                "pei-analysis deshacer).",
                path=csv_path,
                line=1,
            ) from None
        except (OSError, pd.errors.ParserError, UnicodeDecodeError) as exc:
            raise DataError(f"no se puede leer como CSV UTF-8 ({exc}).", path=csv_path) from exc
        missing = [c for c in self.column_names if c not in raw.columns]
        if missing:
            raise DataError(
                f"faltan columnas: {', '.join(missing)} (el esquema {self.path.name} las exige).",
                path=csv_path,
                line=1,
            )
        return self.from_text(raw, csv_path)

    def from_text(
        self,
        raw: pd.DataFrame,
        source: Path,
        lines: list[int] | None = None,
        references: Mapping[str, Any] | None = None,
    ) -> pd.DataFrame:
        """Convert text cells (a CSV's) to the schema's types, then validate; ``lines[i]`` is row i's line."""
        table = raw[self.column_names].copy()
        for column in self.columns:
            converted = self._convert(raw, column)
            if isinstance(converted, Failure):
                raise self.refusal(converted, source, lines=lines, references=references)
            table[column["nombre"]] = converted
        return self.validate(table, source, lines=lines, references=references)

    def _convert(self, raw: pd.DataFrame, column: dict) -> pd.Series | Failure:
        name, kind = column["nombre"], column["tipo"]
        values = raw[name].str.strip()
        empty = values == ""
        if empty.any() and not column.get("nulo", False):
            row = int(empty.to_numpy().nonzero()[0][0])
            return Failure(row, name, "nulo", "", "celda vacía en una columna obligatoria.")
        if kind not in ("entero", "decimal"):  # in a CSV, fecha, ordinal and logico stay text
            return values.where(~empty, None).astype("str")
        numbers = pd.to_numeric(values.where(~empty, None), errors="coerce")
        bad = numbers.isna() & ~empty
        if kind == "entero":
            bad |= ~empty & ~values.str.fullmatch(_INTEGER_TEXT.pattern)
        if bad.any():
            row = int(bad.to_numpy().nonzero()[0][0])
            expected = "un número entero" if kind == "entero" else "un número"
            text = values.iloc[row]
            return Failure(row, name, "tipo", text, f"se esperaba {expected} y se encontró «{text}».")
        return numbers.astype("Int64" if column.get("nulo") else "int64") if kind == "entero" else numbers

    # ------------------------------------------------------------------ reading YAML values

    def from_records(self, records: list[dict]) -> pd.DataFrame | Failure:
        """Type-check YAML values (``ABSENT`` for a missing optional key) and build the typed table.

        Returns the table, or the first :class:`Failure` (the caller knows where the row lives in the
        document and raises). Value checks are left to :meth:`check`, once every table is built.
        """
        for i, record in enumerate(records):
            for column in self.columns:
                failure = self._check_value(i, column, record.get(column["nombre"], ABSENT))
                if failure is not None:
                    return failure
        rows = [{k: (None if v is ABSENT else v) for k, v in r.items()} for r in records]
        table = pd.DataFrame(rows, columns=self.column_names)
        for column in self.columns:
            name, kind = column["nombre"], column["tipo"]
            if kind == "entero":
                table[name] = table[name].astype("Int64" if self.nullable(column) else "int64")
            elif kind == "decimal":
                table[name] = table[name].astype("float64")
            elif kind == "fecha":
                table[name] = pd.to_datetime(table[name], format="%Y-%m-%d")
            elif kind == "ordinal":
                table[name] = table[name].map(lambda v: None if v is None else str(v))
        return table

    def _check_value(self, row: int, column: dict, value: Any) -> Failure | None:
        name, kind = column["nombre"], column["tipo"]
        if value is ABSENT:
            return None
        if value is None:
            if column.get("nulo", False):
                return None
            return Failure(row, name, "nulo", None, f"está vacío; se esperaba {KIND_NAMES[kind]}.")
        if _record_ok(kind, value):
            return None
        expected = KIND_NAMES[kind] + (" o null" if column.get("nulo", False) else "")
        return Failure(row, name, "tipo", value, f"valor {value!r} no válido; se esperaba {expected}.")

    # ------------------------------------------------------------------ value checks

    def pandera_schema(self) -> pa.DataFrameSchema:
        columns = {}
        for c in self.columns:
            checks = []
            if "minimo" in c:
                checks.append(pa.Check.ge(c["minimo"], error=f"debe ser ≥ {c['minimo']}"))
            if "maximo" in c:
                checks.append(pa.Check.le(c["maximo"], error=f"debe ser ≤ {c['maximo']}"))
            if "valores" in c:
                checks.append(
                    pa.Check.isin(c["valores"], error=f"debe ser uno de: {', '.join(c['valores'])}")
                )
            if "patron" in c:
                checks.append(
                    pa.Check.str_matches(c["patron"], error=f"debe cumplir el patrón {c['patron']}")
                )
            columns[c["nombre"]] = pa.Column(
                nullable=self.nullable(c), checks=checks, title=c.get("descripcion")
            )
        return pa.DataFrameSchema(columns, strict=True, ordered=True)

    def failures(self, table: pd.DataFrame, references: Mapping[str, Any] | None = None) -> list[Failure]:
        """Every value failure of *table*, by row: ranges, lists, patterns, references, uniqueness."""
        failures: list[Failure] = []
        try:
            self.pandera_schema().validate(table, lazy=True)
        except pa.errors.SchemaErrors as exc:
            cases = exc.failure_cases.sort_values("index", na_position="first", kind="stable")
            failures.extend(self._pandera_failure(case) for _, case in cases.iterrows())
        failures.extend(self._reference_failures(table, references or {}))
        failures.extend(self._unique_failures(table))
        return sorted(failures, key=lambda f: -1 if f.row is None else f.row)

    def check(self, table: pd.DataFrame, references: Mapping[str, Any] | None = None) -> Failure | None:
        """The first value failure of *table* (by row), or None."""
        failures = self.failures(table, references)
        return failures[0] if failures else None

    def _pandera_failure(self, case: pd.Series) -> Failure:
        column = case["column"] if isinstance(case["column"], str) else None
        row = int(case["index"]) if pd.notna(case["index"]) else None
        check, value = str(case["check"]), case["failure_case"]
        if (
            column in self.column_names
            and self.column(column)["tipo"] == "entero"
            and isinstance(value, float)
        ):
            value = int(value) if value.is_integer() else value
        if "column_in_dataframe" in check or "column_in_schema" in check or "ordered" in check:
            return Failure(row, column, "columnas", value, f"columna inesperada o fuera de orden: «{value}».")
        kind = next(
            (k for k in ("minimo", "maximo", "valores", "patron") if self._is_check(column, k, check)), check
        )
        return Failure(row, column, kind, value, f"valor «{value}» no permitido: {check}.")

    def _is_check(self, column: str | None, kind: str, check: str) -> bool:
        if column not in self.column_names or kind not in self.column(column):
            return False
        prefix = {
            "minimo": "debe ser ≥",
            "maximo": "debe ser ≤",
            "valores": "debe ser uno de",
            "patron": "debe cumplir",
        }
        return check.startswith(prefix[kind])

    def _reference_failures(self, table: pd.DataFrame, references: Mapping[str, Any]) -> list[Failure]:
        out = []
        for c in self.columns:
            target = c.get("referencia")
            if target is None or target not in references:
                continue
            values = table[c["nombre"]]
            bad = (values.notna() & ~values.isin(list(references[target]))).to_numpy()
            if bad.any():
                row = int(bad.nonzero()[0][0])
                value = values.iloc[row]
                out.append(
                    Failure(row, c["nombre"], "referencia", value, f"«{value}» no existe en {target}.")
                )
        return out

    def _unique_failures(self, table: pd.DataFrame) -> list[Failure]:
        if not self.unique or table.empty:
            return []
        key = self.unique
        if "clave_unica" not in self.messages:
            # The wording (and the row: the first of the repeated rows) of the pandera check it replaces.
            rows = table.duplicated(key, keep=False).to_numpy().nonzero()[0]
            if not len(rows):
                return []
            value = table[key[0]].iloc[int(rows[0])]
            detail = (
                "fila repetida: la combinación de multiple_fields_uniqueness ya "
                f"aparece antes (valor «{value}»)."
            )
            return [Failure(int(rows[0]), key[0], "clave_unica", value, detail)]
        repeats = table.duplicated(key, keep="first").to_numpy().nonzero()[0]
        if not len(repeats):
            return []
        row = int(repeats[0])
        groups = table.groupby(key, dropna=False, sort=False).ngroup().to_numpy()
        first = int((groups == groups[row]).nonzero()[0][0])
        return [Failure(row, key[0], "clave_unica", table[key[0]].iloc[row], first=first)]

    # ------------------------------------------------------------------ refusing

    def message(self, failure: Failure, table: pd.DataFrame | None = None, **context: Any) -> str:
        """The reason of a refusal: the schema's own wording for that check (``mensajes``), or the default."""
        if failure.check == "clave_unica":
            template = self.messages.get("clave_unica")
        elif failure.column in self.column_names:
            template = self.column(failure.column).get("mensajes", {}).get(failure.check)
        else:
            template = None
        if template is None:
            return failure.detail
        column = self.column(failure.column) if failure.column in self.column_names else {}
        variables = {}
        if table is not None and failure.row is not None:
            variables.update(table.iloc[failure.row].to_dict())  # the row's cells, by column name
        variables.update({"valor": failure.value, "columna": failure.column, "patron": column.get("patron")})
        variables.update({k: column[k] for k in ("minimo", "maximo") if k in column})
        if "valores" in column:
            variables["valores"] = ", ".join(column["valores"])
        variables.update(context)
        return template.format(**variables)

    def refusal(
        self,
        failure: Failure,
        source: Path,
        lines: list[int] | None = None,
        references: Mapping[str, Any] | None = None,
        table: pd.DataFrame | None = None,
    ) -> DataError:
        """A DataError for a failure in a CSV: line ``lines[row]`` (or row + 2: the header is line 1)."""

        def line_of(row: int | None) -> int | None:
            if row is None:
                return None
            return lines[row] if lines is not None else row + 2

        context = reference_context(self, failure, references)
        if failure.first is not None:
            context["anterior"] = f"línea {line_of(failure.first)}"
        reason = self.message(failure, table, **context)
        return DataError(reason, path=source, line=line_of(failure.row), field=failure.column)

    def validate(
        self,
        table: pd.DataFrame,
        source: Path | str | None = None,
        lines: list[int] | None = None,
        references: Mapping[str, Any] | None = None,
    ) -> pd.DataFrame:
        """Check *table* against the schema; DataError names the first offending row and column."""
        source = Path(source) if source is not None else self.path
        failure = self.check(table, references)
        if failure is not None:
            raise self.refusal(failure, source, lines=lines, references=references, table=table) from None
        return table


def reference_context(schema: TableSchema, failure: Failure, references: Mapping[str, Any] | None) -> dict:
    """Template variables describing the values a column's ``referencia`` allows (for its message)."""
    if failure.column not in schema.column_names:
        return {}
    target = schema.column(failure.column).get("referencia")
    if target is None or not references or target not in references:
        return {}
    allowed = sorted(references[target])
    return {"referidos": ", ".join(str(v) for v in allowed), "primero": allowed[0], "ultimo": allowed[-1]}
