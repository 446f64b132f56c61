"""The SICOIN report as IGSS publishes it, a PDF table: read into the lines of its text extract and
imported with the same checks, every refusal and every row pointing at a page.

The PDFs are drawn from extracts by evaluation/report_pdf.py (the real 2024-C1 extract, or SIMULATED
past years from tests/simulated_reports.py): the layout the extract shows, not IGSS's own file.
"""

from __future__ import annotations

import pandas as pd
import pytest

from evaluation.report_pdf import extract_to_pdf
from pei_analysis.errors import DataError
from pei_analysis.ingest import sicoin, sicoin_pdf
from pei_analysis.ingest.importer import import_files
from pei_analysis.ingest.sicoin_pdf import read_pdf
from pei_analysis.ingest.sicoin_pdf_words import page_lines
from tests.conftest import RAW_POA
from tests.unit.ingest.test_batch_import import TODAY

TEXT = RAW_POA.read_text(encoding="utf-8")
#: What says where a row comes from, and so differs between a PDF and its extract.
SOURCE = ["archivo_origen", "linea_origen"]


def write_pdf(folder, name: str, text: str, **options):
    path = folder / name
    path.write_bytes(extract_to_pdf(text, **options))
    return path


@pytest.fixture(scope="module")
def real_pdf(tmp_path_factory):
    return write_pdf(tmp_path_factory.mktemp("pdf"), "poa_2024_c1.pdf", TEXT)


@pytest.mark.parametrize("borders", ["ALL", "NONE", "HORIZONTAL_LINES", "NO_HORIZONTAL_LINES"])
@pytest.mark.parametrize("v_align", ["TOP", "MIDDLE", "BOTTOM"])
def test_the_real_report_drawn_as_a_pdf_gives_the_table_of_its_text_extract(tmp_path, borders, v_align):
    """With every ruling line, none, only the rows' or only the columns', and whether the cells put a
    short text beside the first, middle or last line of a long description."""
    path = write_pdf(tmp_path, "poa_2024_c1.pdf", TEXT, borders=borders, v_align=v_align, page_numbers=True)
    from_pdf, from_text = sicoin.parse(path), sicoin.parse(RAW_POA)
    pd.testing.assert_frame_equal(from_pdf.drop(columns=SOURCE), from_text.drop(columns=SOURCE))
    assert (
        from_pdf.set_index("producto")["linea_origen"].to_dict()
        == sicoin.parse(write_pdf(tmp_path, "ruled.pdf", TEXT))
        .set_index("producto")["linea_origen"]
        .to_dict()
    )


def test_each_row_read_from_a_pdf_points_to_the_page_of_its_product(real_pdf):
    pages = sicoin.parse(real_pdf).set_index("producto")["linea_origen"]
    assert pages[1] == 1 and pages[36] == 4
    assert pages.is_monotonic_increasing and set(pages) == {1, 2, 3, 4}


def test_the_period_of_a_pdf_is_read_from_its_title_block_and_its_footer(real_pdf):
    said = {(s.where, s.anio, s.cuatrimestre) for s in sicoin.statements(real_pdf)}
    assert {("título", 2024, 1), ("pie", 2024, 1)} <= said


def test_a_description_wrapped_over_lines_of_its_cell_is_read_whole(real_pdf):
    text = read_pdf(real_pdf)
    line = next(line for line in text.lines if line.startswith("33\t"))
    assert "disminuir la morib-mortalidad a través del control de niño sano" in line


def test_page_numbers_at_the_foot_of_each_page_are_not_read_as_report_lines(tmp_path):
    path = write_pdf(tmp_path, "con_paginas.pdf", TEXT, page_numbers=True)
    assert not any("Página" in line for line in read_pdf(path).lines)
    assert len(sicoin.parse(path)) == 36


def test_a_product_repeated_in_a_pdf_is_refused_naming_both_pages(tmp_path):
    line = next(x for x in TEXT.split("\n") if x.startswith("3\t"))
    path = write_pdf(tmp_path, "repetido.pdf", TEXT.replace("No.\tproductos", f"{line}\nNo.\tproductos", 1))
    with pytest.raises(
        DataError,
        match=r"página 3, campo «producto»: el producto 3 está repetido \(ya aparece en la página 1\)",
    ):
        sicoin.parse(path)


def test_a_title_and_a_footer_that_disagree_are_refused_naming_pages_not_lines(tmp_path, data_copy):
    text = TEXT.replace("(de enero a abril 2024)", "(de mayo a agosto 2024)")
    path = write_pdf(tmp_path, "desacuerdo.pdf", text)
    with pytest.raises(DataError) as refused:
        import_files([path], data_dir=data_copy, today=TODAY)
    message = str(refused.value)
    assert message.startswith("desacuerdo.pdf, página 4") and "el título (página 1) dice" in message
    assert "línea" not in message


def test_a_pdf_past_the_size_limit_is_refused_before_it_is_opened(real_pdf, monkeypatch):
    monkeypatch.setattr(sicoin_pdf, "MAX_PDF_BYTES", 1024)
    with pytest.raises(DataError, match=r"poa_2024_c1\.pdf: el archivo pesa 0\.0 MB y el máximo es 0 MB"):
        sicoin.parse(real_pdf)


def test_a_pdf_with_more_pages_than_a_report_has_is_refused_saying_how_many(real_pdf, monkeypatch):
    monkeypatch.setattr(sicoin_pdf, "MAX_PDF_PAGES", 3)
    sicoin_pdf._read_pdf.cache_clear()  # the same file was read, under the real limit, by another test
    with pytest.raises(
        DataError, match=r"el PDF tiene 4 páginas y un reporte de un cuatrimestre no pasa de 3"
    ):
        sicoin.parse(real_pdf)


def _words(*lines: tuple[float, list[tuple[float, str]]]) -> list[dict]:
    """Words at (top, [(left, text)…]), 5 points wide per character: a page drawn by hand."""
    return [
        {"text": text, "x0": x0, "x1": x0 + 5 * len(text), "top": top, "bottom": top + 8}
        for top, words in lines
        for x0, text in words
    ]


HEADER = (10.0, [(10, "No."), (40, "PRODUCTOS"), (400, "PROGRAMADO"), (480, "EJECUTADO"), (560, "%")])


def test_a_page_without_ruling_lines_is_read_by_where_its_words_sit():
    lines = page_lines(
        _words(
            HEADER,
            (30, [(10, "PROGRAMA:"), (60, "11"), (75, "SALUD")]),
            (40, [(12, "01"), (40, "CONSULTAS")]),
            (40, [(500, "30")]),
            (50, [(40, "Consultas"), (90, "atendidas")]),
            (55, [(12, "1"), (420, "100"), (500, "30"), (555, "30.00"), (585, "%")]),
            (60, [(40, "por"), (60, "enfermedad.")]),
        )
    )
    assert lines[-1] == "1\tConsultas atendidas por enfermedad.\t100\t30\t30.00%"  # «30.00 %», one figure
    assert lines[1:3] == ["PROGRAMA: 11 SALUD", "01\tCONSULTAS\t\t30\t"]


def test_description_lines_that_no_one_alignment_can_give_to_their_rows_are_refused():
    """A line below a product and a line below a «PROGRAMA:» row: centred, the first would be the
    programme's; aligned to the top, the second; to the bottom, the first again."""
    with pytest.raises(DataError, match="no se puede saber a qué producto pertenece cada línea"):
        page_lines(
            _words(
                HEADER,
                (30, [(10, "PROGRAMA:"), (60, "11"), (75, "SALUD")]),
                (40, [(12, "01"), (40, "CONSULTAS"), (500, "30")]),
                (55, [(12, "1"), (40, "Consultas"), (420, "100"), (500, "30"), (560, "30.00%")]),
                (60, [(40, "atendidas.")]),
                (70, [(10, "PROGRAMA:"), (60, "12"), (75, "PAGOS")]),
                (80, [(40, "suelta")]),
            )
        )


def test_description_lines_that_two_alignments_give_to_different_rows_are_refused_not_guessed():
    """Three products, each with words beside its number, and one line between each pair: the line
    could end the product above it (top) or begin the one below (bottom)."""
    figures = [(420, "100"), (500, "30"), (560, "30.00%")]
    with pytest.raises(DataError, match="no se puede saber a qué producto pertenece cada línea"):
        page_lines(
            _words(
                HEADER,
                (30, [(12, "1"), (40, "Consultas"), *figures]),
                (40, [(40, "atendidas.")]),
                (50, [(12, "2"), (40, "Egresos"), *figures]),
                (60, [(40, "atendidos.")]),
                (70, [(12, "3"), (40, "Raciones."), *figures]),
            )
        )


def test_a_pdf_that_is_not_there_is_refused_naming_it():
    with pytest.raises(DataError, match=r"no_existe\.pdf: no se puede leer el archivo"):
        sicoin.parse(RAW_POA.parent / "no_existe.pdf")


def test_a_pdf_changed_on_disk_is_read_again_not_taken_from_the_first_reading(tmp_path):
    path = write_pdf(tmp_path, "cambia.pdf", TEXT)
    assert len(sicoin.parse(path)) == 36
    write_pdf(tmp_path, "cambia.pdf", TEXT.replace("30.61%", "31.61%"))
    with pytest.raises(DataError, match=r"producto 1: el reporte dice 31\.61%"):
        sicoin.parse(path)
