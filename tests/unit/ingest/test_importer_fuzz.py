"""Property-based fuzzing of the importers: they fail only with the project's own error, and a changed
figure that breaks the report's arithmetic is never accepted."""

from __future__ import annotations

import contextlib
import re
from pathlib import Path

import pandas as pd
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pei_analysis.errors import DataError
from pei_analysis.ingest import sicoin, template
from tests.conftest import RAW_POA

TEXT = RAW_POA.read_bytes().decode("utf-8")
LINES = TEXT.split("\n")
ORIGINAL = sicoin.parse(RAW_POA)
FIGURE = re.compile(r"\d")
FUZZ = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])


def _parse_text(tmp_path: Path, text: str, name: str = "fuzz.txt") -> pd.DataFrame:
    path = tmp_path / name
    path.write_bytes(text.encode("utf-8", errors="surrogatepass"))
    return sicoin.parse(path)


def _assert_checks_hold(table: pd.DataFrame, consecutive: bool = True) -> None:
    products = table["producto"].tolist()
    assert products == (list(range(1, len(table) + 1)) if consecutive else sorted(set(products)))
    assert min(products) >= 1
    assert (table["programado"] >= 0).all() and (table["ejecutado"] >= 0).all()
    pct = (table["ejecutado"] / table["programado"].where(table["programado"] > 0) * 100).fillna(0)
    assert ((pct - table["porcentaje_reportado"]).abs() <= sicoin.PERCENT_TOLERANCE).all()


line_edits = st.lists(
    st.tuples(
        st.sampled_from(["borrar", "duplicar", "intercambiar", "caracter"]),
        st.integers(0, len(LINES) - 1),
        st.integers(0, len(LINES) - 1),
        st.text(alphabet="0123456789,.%\t -<>/Aa\u00e9\ufeff\r", min_size=0, max_size=3),
    ),
    min_size=1,
    max_size=4,
)


@FUZZ
@given(edits=line_edits)
def test_a_mangled_extract_is_either_refused_with_a_data_error_or_passes_every_check(tmp_path, edits):
    lines = list(LINES)
    for kind, i, j, chars in edits:
        i, j = i % len(lines), j % len(lines)
        if kind == "borrar":
            del lines[i]
        elif kind == "duplicar":
            lines.insert(i, lines[i])
        elif kind == "intercambiar":
            lines[i], lines[j] = lines[j], lines[i]
        else:
            pos = j % (len(lines[i]) + 1)
            lines[i] = lines[i][:pos] + chars + lines[i][pos + 1 :]
        if not lines:
            lines = [""]
    try:
        table = _parse_text(tmp_path, "\n".join(lines))
    except DataError:
        return
    _assert_checks_hold(table)


figure_edits = st.lists(
    st.tuples(st.integers(0, 10_000), st.sampled_from("0123456789")), min_size=1, max_size=3
)


@FUZZ
@given(edits=figure_edits)
def test_a_changed_ejecutado_is_never_accepted(tmp_path, edits):
    positions = [m.start() for m in FIGURE.finditer(TEXT)]
    text = list(TEXT)
    for where, digit in edits:
        text[positions[where % len(positions)]] = digit
    try:
        table = _parse_text(tmp_path, "".join(text))
    except DataError:
        return
    _assert_checks_hold(table)
    assert table["ejecutado"].tolist() == ORIGINAL["ejecutado"].tolist()


@FUZZ
@given(data=st.binary(min_size=0, max_size=2_000))
def test_arbitrary_bytes_never_raise_anything_but_a_data_error(tmp_path, data):
    path = tmp_path / "bytes.txt"
    path.write_bytes(data)
    with contextlib.suppress(DataError):
        sicoin.parse(path, 2024, 1)


cell_text = st.one_of(
    st.text(max_size=8),
    st.integers(-10, 10**7).map(str),
    st.integers(0, 10**7).map("{:,}".format),
    st.floats(allow_nan=True, allow_infinity=True).map(str),
)


@FUZZ
@given(column=st.sampled_from(list(template.HEADERS)), row=st.integers(0, 35), value=cell_text)
def test_a_template_with_any_cell_changed_is_refused_or_yields_valid_figures(tmp_path, column, row, value):
    frame = pd.DataFrame(
        {
            "año": 2024,
            "cuatrimestre": 2,
            "programa": ORIGINAL["programa"],
            "nombre del programa": ORIGINAL["programa_nombre"],
            "subprograma": ORIGINAL["subprograma"],
            "nombre del subprograma": ORIGINAL["subprograma_nombre"],
            "producto": ORIGINAL["producto"],
            "descripción": ORIGINAL["descripcion"],
            "sigla": ORIGINAL["sigla"].fillna(""),
            "unidad": ORIGINAL["unidad"],
            "programado anual vigente": ORIGINAL["programado"],
            "ejecutado": ORIGINAL["ejecutado"],
            "% de avance": "",
        }
    ).astype(str)
    frame.loc[row, column] = value
    path = tmp_path / "plantilla.csv"
    frame.to_csv(path, index=False)
    try:
        table = template.parse(path, 2024, 2)
    except DataError:
        return
    _assert_checks_hold(table, consecutive=False)
    assert table["unidad"].isin(["producción", "pagos"]).all()
