"""The SICOIN report as the planning department keeps it, the workbook the PDF is printed from: read into
the lines of its text extract and imported with the same checks, every refusal and every row pointing at
a row of its sheet.

The workbooks are drawn from extracts by evaluation/report_sheet.py (the real 2024-C1 extract, or
SIMULATED past years from tests/simulated_reports.py): the layout the extract shows, not IGSS's own
file.
"""

from __future__ import annotations

import openpyxl
import pandas as pd
import pytest

from evaluation.report_sheet import extract_to_xlsx
from pei_analysis.cli import main
from pei_analysis.errors import DataError
from pei_analysis.ingest import sicoin
from pei_analysis.ingest.originals import raw_name
from pei_analysis.ingest.readers import is_template, parse_any
from pei_analysis.ingest.sicoin_sheet import cell_text, holds_report, read_sheet
from pei_analysis.ingest.template import write_template
from pei_analysis.tables.poa import load_poa
from tests.conftest import RAW_POA

TEXT = RAW_POA.read_text(encoding="utf-8")
#: What says where a row comes from, and so differs between a workbook and its extract.
SOURCE = ["archivo_origen", "linea_origen"]


def write_xlsx(folder, name: str, text: str = TEXT, **options):
    path = folder / name
    path.write_bytes(extract_to_xlsx(text, **options))
    return path


def row_of(path, product: int) -> int:
    """The row of the sheet whose first cell is *product*'s number."""
    sheet = openpyxl.load_workbook(path).active
    return next(r for r in range(1, sheet.max_row + 1) if sheet.cell(r, 1).value == product)


@pytest.fixture(scope="module")
def real_xlsx(tmp_path_factory):
    return write_xlsx(tmp_path_factory.mktemp("xlsx"), "poa_2024_c1.xlsx")


@pytest.mark.parametrize("percent", ["formula", "valor", "texto"])
def test_the_real_report_as_a_workbook_gives_the_table_of_its_text_extract(tmp_path, percent):
    """Whether the % de avance is a formula saved with its value, a number formatted as a percentage, or
    the text the report prints."""
    path = write_xlsx(tmp_path, "poa_2024_c1.xlsx", percent=percent)
    from_sheet, from_text = sicoin.parse(path), sicoin.parse(RAW_POA)
    pd.testing.assert_frame_equal(from_sheet.drop(columns=SOURCE), from_text.drop(columns=SOURCE))


def test_each_row_read_from_a_workbook_points_to_the_row_of_its_product(real_xlsx):
    rows = sicoin.parse(real_xlsx).set_index("producto")["linea_origen"]
    assert rows[1] == row_of(real_xlsx, 1) and rows[36] == row_of(real_xlsx, 36)
    assert rows.is_monotonic_increasing


def test_the_period_of_a_workbook_is_read_from_its_title_rows_and_its_footer(real_xlsx):
    said = {(s.where, s.anio, s.cuatrimestre) for s in sicoin.statements(real_xlsx)}
    assert {("título", 2024, 1), ("pie", 2024, 1)} <= said


def test_the_title_block_over_several_rows_is_read_as_one_line_and_line_n_stays_row_n(real_xlsx):
    lines = read_sheet(real_xlsx).lines
    assert lines[0].startswith("INSTITUTO GUATEMALTECO") and "(POA) 2024 Primer Cuatrimeste" in lines[0]
    assert lines[1] == "" and lines[2] == ""
    assert lines[row_of(real_xlsx, 1) - 1].startswith("1\t")


def test_a_wrong_figure_is_refused_naming_the_sheet_and_row(tmp_path):
    path = write_xlsx(
        tmp_path, "mal.xlsx", TEXT.replace("1,433,641\t28.09%", "1,433,641\t29.09%"), percent="texto"
    )
    with pytest.raises(
        DataError, match=rf"^mal\.xlsx, hoja «POA», fila {row_of(path, 2)}, campo «% de avance»"
    ):
        sicoin.parse(path)


def test_a_formula_saved_without_its_value_is_refused_naming_its_cell(tmp_path):
    path = write_xlsx(tmp_path, "sin_valor.xlsx", percent="formula_sin_valor")
    row = row_of(path, 1)
    with pytest.raises(
        DataError, match=rf"hoja «POA», fila {row}, campo «E»: la celda E{row} tiene una fórmula"
    ):
        sicoin.parse(path)


def test_a_workbook_with_other_sheets_reads_the_one_with_the_report(tmp_path):
    path = write_xlsx(tmp_path, "con_notas.xlsx", other_sheets=("Notas", "Gráficos"))
    assert len(sicoin.parse(path)) == 36


def test_two_sheets_with_a_report_are_refused_naming_both(tmp_path):
    path = write_xlsx(tmp_path, "dos.xlsx", percent="valor")
    book = openpyxl.load_workbook(path)
    book.copy_worksheet(book["POA"]).title = "POA C2"
    book.save(path)
    with pytest.raises(
        DataError, match=r"2 hojas del libro tienen la tabla de un reporte \(«POA», «POA C2»\)"
    ):
        sicoin.parse(path)


def test_a_hidden_sheet_is_not_read(tmp_path):
    path = write_xlsx(tmp_path, "oculta.xlsx", percent="valor")  # openpyxl saves formulas without values
    book = openpyxl.load_workbook(path)
    copy = book.copy_worksheet(book["POA"])
    copy.sheet_state = "hidden"
    book.save(path)
    assert len(sicoin.parse(path)) == 36


def test_the_capture_template_in_xlsx_is_still_read_as_the_template(tmp_path, data_copy):
    _, xlsx = write_template(load_poa(data_copy), 2024, 1, tmp_path)
    assert is_template(xlsx) and not holds_report(xlsx)
    assert raw_name(2024, 1, xlsx) == "poa_2024_c1_plantilla.xlsx"


def test_a_report_workbook_is_kept_in_data_raw_as_a_report_and_read_by_its_reader(real_xlsx):
    assert not is_template(real_xlsx)
    assert raw_name(2024, 1, real_xlsx) == "poa_2024_c1_sicoin_ejecucion_fisica.xlsx"
    assert len(parse_any(real_xlsx, 2024, 1)) == 36


@pytest.mark.parametrize(
    ("value", "number_format", "text"),
    [
        (0.28090376, "0.00%", "28.09%"),
        (1, "0%", "100.00%"),
        (5103866.0, "#,##0", "5103866"),
        (28.09, '0.00"%"', "28.09%"),
        (28.09, "0.00\\%", "28.09%"),
        (1, "00", "01"),
        (12.0, "000", "012"),
        (7, "0", "7"),
        (1433641.5, "General", "1433641.5"),
        ("Alimentos\npreparados\t y servidos", "General", "Alimentos preparados y servidos"),
        (None, "General", ""),
    ],
)
def test_a_cell_is_written_as_the_report_shows_it(value, number_format, text):
    assert cell_text(value, number_format) == text


def test_subprogram_codes_kept_as_numbers_with_leading_zeros_read_as_their_codes(tmp_path):
    """A subprogram «01» typed as the number 1 and shown as «01» by its format (Excel drops the zero of a
    code typed as a number)."""
    path = write_xlsx(tmp_path, "codigos.xlsx", percent="valor")
    book = openpyxl.load_workbook(path)
    sheet = book["POA"]
    codes = [cell for (cell,) in sheet.iter_rows(min_col=1, max_col=1) if str(cell.value).startswith("0")]
    for cell in codes:
        cell.value, cell.number_format = int(cell.value), "00"
    book.save(path)
    assert len(codes) > 10
    from_sheet, from_text = sicoin.parse(path), sicoin.parse(RAW_POA)
    pd.testing.assert_frame_equal(from_sheet.drop(columns=SOURCE), from_text.drop(columns=SOURCE))


def test_a_table_that_starts_in_another_column_and_row_reads_the_same(tmp_path):
    path = write_xlsx(tmp_path, "desplazada.xlsx", percent="valor")
    book = openpyxl.load_workbook(path)
    book["POA"].insert_cols(1, 2)
    book["POA"].insert_rows(1, 3)
    book.save(path)
    from_sheet, from_text = sicoin.parse(path), sicoin.parse(RAW_POA)
    pd.testing.assert_frame_equal(from_sheet.drop(columns=SOURCE), from_text.drop(columns=SOURCE))


def test_a_cell_too_long_to_be_the_reports_is_refused_naming_its_cell(tmp_path):
    path = write_xlsx(tmp_path, "celda.xlsx", percent="valor")
    book = openpyxl.load_workbook(path)
    row = row_of(path, 2)
    book["POA"].cell(row, 2).value = "x" * 20_000
    book.save(path)
    with pytest.raises(
        DataError, match=rf"hoja «POA», fila {row}, campo «B»: el texto tiene 20,000 caracteres"
    ):
        sicoin.parse(path)


def test_importar_says_which_sheet_of_the_workbook_it_read(tmp_path, data_copy, capsys):
    path = write_xlsx(tmp_path, "poa_2024_c1.xlsx", other_sheets=("Notas",))
    assert main(["--datos", str(data_copy), "importar", str(path), "--reemplazar"]) == 0
    assert (
        "poa_2024_c1.xlsx, hoja «POA»: 2024, cuatrimestre 1 (leído del título y del pie)"
        in capsys.readouterr().out
    )
