"""The report in each form it reaches the planning department: the PDF IGSS publishes and the workbook it
is printed from import as their text extract does, all or nothing.

Both are drawn from extracts (evaluation/report_pdf.py, evaluation/report_sheet.py) of SIMULATED past
years (tests/simulated_reports.py), or of the real 2024-C1 report: the layout the extract shows, not
IGSS's own files.
"""

from __future__ import annotations

import shutil

import pandas as pd
import pytest

from evaluation.history_check import FORMS
from pei_analysis.errors import DataError
from pei_analysis.ingest.importer import import_files
from pei_analysis.tables.poa import load_poa
from tests.conftest import RAW_POA, snapshot
from tests.simulated_reports import nine_reports, write_report
from tests.unit.ingest.test_batch_import import TODAY

#: What says where a row comes from, and so differs between a drawn report and its extract.
SOURCE = ["archivo_origen", "linea_origen"]
#: Each drawn form, with how a refusal names the place of a figure in it.
DRAWN = {"pdf": r"página 2", "xlsx": r"hoja «POA», fila \d+"}


def draw(extract, form: str, folder=None):
    """The report *extract* drawn in *form*, in *folder* (by default beside it)."""
    target = (folder or extract.parent) / extract.with_suffix(f".{form}").name
    target.write_bytes(FORMS[form](extract.read_text(encoding="utf-8")))
    return target


@pytest.mark.parametrize("form", DRAWN)
def test_nine_past_reports_drawn_in_each_form_import_in_one_call_as_their_extracts_do(
    tmp_path, data_copy, tmp_path_factory, form
):
    extracts = nine_reports(tmp_path / "txt")
    drawn = [draw(p, form, tmp_path) for p in extracts]
    other = tmp_path_factory.mktemp("data") / "data"
    shutil.copytree(data_copy, other)
    import_files(extracts, cifras="periodo", data_dir=other, today=TODAY)
    result = import_files(drawn, cifras="periodo", data_dir=data_copy, today=TODAY)
    assert len(result.archivos) == 9
    pd.testing.assert_frame_equal(
        load_poa(data_copy).drop(columns=SOURCE), load_poa(other).drop(columns=SOURCE)
    )
    assert sorted(p.name for p in (data_copy / "raw").glob(f"poa_202[123]_*.{form}")) == sorted(
        f"poa_{a}_c{c}_sicoin_ejecucion_fisica.{form}" for a in (2021, 2022, 2023) for c in (1, 2, 3)
    )


@pytest.mark.parametrize(("form", "place"), DRAWN.items())
def test_a_drawn_report_refused_in_a_batch_leaves_data_as_it_was_and_names_the_place(
    tmp_path, data_copy, form, place
):
    good = write_report(tmp_path, "poa_2023_c1.txt", 2023, 1)
    text = RAW_POA.read_text(encoding="utf-8").replace("191,181", "191,118").replace("2024", "2023")
    (tmp_path / "poa_2023_c2.txt").write_text(text, encoding="utf-8")
    bad = draw(tmp_path / "poa_2023_c2.txt", form)
    before = snapshot(data_copy)
    with pytest.raises(DataError, match=rf"poa_2023_c2\.{form}, {place}, campo «subtotal»"):
        import_files([good, bad], cifras="periodo", data_dir=data_copy, today=TODAY)
    assert snapshot(data_copy) == before


def test_a_folder_with_each_reports_pdf_workbook_and_text_imports_the_pdf_once(tmp_path, data_copy):
    folder = tmp_path / "reportes"
    extracts = nine_reports(folder, years=(2023,))
    for extract in extracts:
        draw(extract, "pdf")
        draw(extract, "xlsx")
    result = import_files([folder], data_dir=data_copy, today=TODAY)
    assert [r.cuatrimestre for r in result.archivos] == [1, 2, 3]
    assert sorted(p.name for p in (data_copy / "raw").glob("poa_2023_*")) == [
        f"poa_2023_c{c}_sicoin_ejecucion_fisica.pdf" for c in (1, 2, 3)
    ]
    assert len(result.repetidos) == 6 and all("se importa solo poa_2023_c" in r for r in result.repetidos)
