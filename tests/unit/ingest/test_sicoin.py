"""The SICOIN importer: faithful to the source, and refusing anything that does not add up."""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd
import pytest

from pei_analysis import load_poa
from pei_analysis.errors import DataError
from pei_analysis.ingest import sicoin
from tests.conftest import RAW_POA


@pytest.fixture(scope="module")
def table() -> pd.DataFrame:
    return sicoin.parse(RAW_POA)


def _corrupt(tmp_path: Path, old: str, new: str, count: int = 1) -> Path:
    text = RAW_POA.read_bytes().decode("utf-8")
    assert text.count(old) >= 1, f"the fixture text {old!r} is not in the raw file"
    path = tmp_path / "corrupto.txt"
    path.write_bytes(text.replace(old, new, count).encode("utf-8"))
    return path


def _line_of(text: str) -> int:
    for number, line in enumerate(RAW_POA.read_text(encoding="utf-8").split("\n"), start=1):
        if text in line:
            return number
    raise AssertionError(text)


def test_importer_reproduces_the_committed_tidy_table_exactly(table):
    committed = load_poa()
    assert set(committed["cifras_origen"]) == {"periodo"}
    pd.testing.assert_frame_equal(table, committed[table.columns], check_dtype=False)


def test_importer_finds_all_36_products_numbered_in_order(table):
    assert table["producto"].tolist() == list(range(1, 37))


def test_importer_reads_the_period_from_the_report_title(table):
    assert set(table["anio"]) == {2024}
    assert set(table["cuatrimestre"]) == {1}


@pytest.mark.parametrize(
    ("producto", "programado", "ejecutado", "porcentaje"),
    [
        (1, 240_139, 73_511, 30.61),
        (4, 3_958_200, 1_367_720, 34.55),
        (17, 2_893_353, 976_636, 33.75),
        (19, 13, 0, 0.00),
        (25, 1_678_422, 427_073, 25.44),
        (32, 714_331, 242_281, 33.92),
        (36, 3_173, 457, 14.40),
    ],
)
def test_products_carry_the_numbers_printed_in_the_source(table, producto, programado, ejecutado, porcentaje):
    row = table.set_index("producto").loc[producto]
    assert (row["programado"], row["ejecutado"], row["porcentaje_reportado"]) == (
        programado,
        ejecutado,
        porcentaje,
    )
    source_line = RAW_POA.read_text(encoding="utf-8").split("\n")[row["linea_origen"] - 1]
    assert source_line.startswith(f"{producto}\t")
    assert f"{programado:,}" in source_line and f"{ejecutado:,}" in source_line


def test_every_product_of_the_source_is_in_the_table_with_its_figures(table):
    text = RAW_POA.read_text(encoding="utf-8")
    lines = re.findall(r"^(\d{1,2})\t.*?\t([\d,]+)\t([\d,]+)\t([\d.]+)%", text, flags=re.MULTILINE)
    assert len(lines) == 36
    by_product = table.set_index("producto")
    for numero, programado, ejecutado, pct in lines:
        row = by_product.loc[int(numero)]
        assert row["programado"] == int(programado.replace(",", ""))
        assert row["ejecutado"] == int(ejecutado.replace(",", ""))
        assert row["porcentaje_reportado"] == float(pct)


def test_subtotals_of_all_16_subprograms_equal_the_sum_of_their_products(table):
    subtotals = table.groupby(["programa", "subprograma"], as_index=False, sort=False)["ejecutado"].sum()
    subtotals = subtotals.rename(columns={"ejecutado": "subtotal"})
    assert len(subtotals) == 16
    expected = {
        ("11", "01"): 1_507_152,
        ("11", "02"): 1_834_023,
        ("11", "03"): 39_432,
        ("11", "04"): 201_531,
        ("11", "05"): 413_547,
        ("11", "06"): 191_181,
        ("11", "07"): 976_636,
        ("11", "08"): 12_203,
        ("11", "21"): 0,
        ("12", "01"): 151_114,
        ("12", "11"): 739_496,
        ("12", "21"): 0,
        ("15", "01"): 247_569,
        ("15", "02"): 435_509,
        ("15", "03"): 15,
        ("94", "01"): 457,
    }
    got = {(r.programa, r.subprograma): r.subtotal for r in subtotals.itertuples()}
    assert got == expected


def test_mangled_subtotal_lines_yield_clean_subprogram_names(table):
    names = table.drop_duplicates(["programa", "subprograma"]).set_index(["programa", "subprograma"])
    assert names.loc[("11", "02"), "subprograma_nombre"] == "ATENCIÓN MÉDICA POR ENFERMEDAD"
    assert names.loc[("11", "05"), "subprograma_nombre"] == "ATENCIÓN MÉDICA POR REHABILITACIÓN"
    assert names.loc[("11", "08"), "subprograma_nombre"] == "ATENCIÓN MÉDICA AMBULATORIA"
    assert names.loc[("12", "11"), "subprograma_nombre"] == "SERVICIOS PENSIONES IVS"
    assert names.loc[("15", "02"), "subprograma_nombre"] == "PREVENCIÓN DE ENFERMEDADES"


def test_siglas_are_read_from_the_closing_parentheses_or_left_empty(table):
    siglas = table.set_index("producto")["sigla"]
    assert siglas[1] == "DYC" and siglas[2] == "SALI" and siglas[17] == "SAA" and siglas[32] == "PREV"
    assert siglas[34] == "PRO" and siglas[31] == "PROM"
    assert pd.isna(siglas[19]) and pd.isna(siglas[36])
    assert set(siglas.dropna()) == {
        "DYC",
        "SALI",
        "ENF",
        "MAT",
        "ACC",
        "REH",
        "JUB",
        "SAA",
        "SAM",
        "PROM",
        "PREV",
        "PRO",
    }


def test_program_12_is_marked_as_counting_payments_not_production(table):
    units = table.groupby("programa")["unidad"].agg(set).to_dict()
    assert units == {"11": {"producción"}, "12": {"pagos"}, "15": {"producción"}, "94": {"producción"}}


def test_a_changed_figure_is_refused_naming_the_line_and_the_product(tmp_path):
    path = _corrupt(tmp_path, "3,958,200\t1,367,720", "3,958,200\t1,368,720")
    with pytest.raises(DataError) as err:
        sicoin.parse(path)
    message = str(err.value)
    assert f"línea {_line_of('3,958,200')}" in message
    assert "producto 4" in message and "34.55%" in message


def test_a_changed_figure_that_keeps_the_percentage_is_caught_by_the_subtotal(tmp_path):
    # 1,367,721 / 3,958,200 still rounds to 34.55%: only the subprogram subtotal can catch it.
    path = _corrupt(tmp_path, "3,958,200\t1,367,720", "3,958,200\t1,367,721")
    with pytest.raises(DataError) as err:
        sicoin.parse(path)
    message = str(err.value)
    assert f"línea {_line_of('ATENCIÓN MÉDICA POR ENFERMEDAD')}" in message
    assert "1,834,023" in message and "1,834,024" in message


def test_a_dropped_product_line_is_refused(tmp_path):
    line = next(x for x in RAW_POA.read_text(encoding="utf-8").split("\n") if x.startswith("35\t"))
    path = _corrupt(tmp_path, line + "\n", "")
    with pytest.raises(DataError, match=r"línea \d+.*producto"):
        sicoin.parse(path)


def test_a_dropped_product_line_with_zero_execution_is_refused_by_the_numbering(tmp_path):
    line = next(x for x in RAW_POA.read_text(encoding="utf-8").split("\n") if x.startswith("35\t"))
    assert "\t0\t0.00%" in line
    path = _corrupt(tmp_path, line + "\n", "")
    with pytest.raises(DataError) as err:
        sicoin.parse(path)
    assert "falta el producto 35" in str(err.value)


def test_a_broken_subtotal_is_refused_naming_its_line(tmp_path):
    path = _corrupt(tmp_path, "GENERALES DE APOYO\t\t1,507,152", "GENERALES DE APOYO\t\t1,507,153")
    with pytest.raises(DataError) as err:
        sicoin.parse(path)
    assert f"línea {_line_of('1,507,152')}" in str(err.value)
    assert "1,507,153" in str(err.value)


def test_a_duplicated_product_line_is_refused_naming_both_lines(tmp_path):
    line = next(x for x in RAW_POA.read_text(encoding="utf-8").split("\n") if x.startswith("9\t"))
    path = _corrupt(tmp_path, line + "\n", line + "\n" + line + "\n")
    with pytest.raises(DataError) as err:
        sicoin.parse(path)
    first = _line_of(line)
    assert f"línea {first + 1}" in str(err.value)
    assert f"ya aparece en la línea {first}" in str(err.value)


def test_a_period_that_contradicts_the_report_title_is_refused():
    with pytest.raises(DataError, match="cuatrimestre 1"):
        sicoin.parse(RAW_POA, 2024, 2)


def test_the_importers_error_is_a_value_error():
    assert issubclass(DataError, ValueError)


def test_an_unrecognised_line_is_refused_rather_than_skipped(tmp_path):
    path = _corrupt(tmp_path, "\n13\t", "\ntexto suelto que no es de ningún tipo\t9\n13\t")
    with pytest.raises(DataError, match="no se reconoce"):
        sicoin.parse(path)


def test_windows_1252_and_crlf_extracts_import_the_same_table(tmp_path, table):
    text = RAW_POA.read_text(encoding="utf-8").replace("\n", "\r\n")
    path = tmp_path / "windows.txt"
    path.write_bytes(text.encode("cp1252"))
    again = sicoin.parse(path)
    pd.testing.assert_frame_equal(again.drop(columns="archivo_origen"), table.drop(columns="archivo_origen"))
