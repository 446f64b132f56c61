"""History in one command: several reports imported in period order, all or nothing, their periods read
from the files; past years with a cuatrimestre missing, and past years known only by their total.

The reports are SIMULATED (tests/simulated_reports.py, built by editing the real 2024-C1 extract);
they live in the test's temporary folder, never in data/.
"""

from __future__ import annotations

import datetime as dt
import random
import re
from pathlib import Path

import pandas as pd
import pytest

from pei_analysis import paths
from pei_analysis.cli import main
from pei_analysis.errors import DataError
from pei_analysis.ingest import journal, sicoin, template
from pei_analysis.ingest.batch_writing import undo_last_import
from pei_analysis.ingest.importer import import_file, import_files
from pei_analysis.ingest.periods import decide
from pei_analysis.ingest.review import review_files
from pei_analysis.ingest.validation import validate_all
from pei_analysis.tables.poa import load_poa, load_poa_annual, periods
from tests.conftest import RAW_POA, snapshot
from tests.simulated_reports import (
    cumulative_figures,
    nine_reports,
    period_figures,
    report_text,
    write_report,
)
from tests.unit.ingest.simulated_reports import swap_numbers

TODAY = dt.date(2026, 6, 1)


def data_files(folder: Path) -> dict[str, bytes]:
    """The files of data/ that git versions (the journal left out)."""
    return {name: data for name, data in snapshot(folder).items() if not name.startswith(journal.JOURNAL_DIR)}


def executed(table: pd.DataFrame, anio: int, cuatrimestre: int) -> dict[int, int]:
    rows = table[(table["anio"] == anio) & (table["cuatrimestre"] == cuatrimestre)]
    return dict(zip(rows["producto"].astype(int), rows["ejecutado"].astype(int), strict=True))


# --------------------------------------------------------------------------- the period, read from the file


def test_the_period_of_the_real_extract_is_read_from_its_title_with_the_typo_and_its_footer():
    period = decide(RAW_POA, sicoin.statements(RAW_POA))
    assert (period.anio, period.cuatrimestre) == (2024, 1)
    assert period.origen == "leído del título y del pie"


@pytest.mark.parametrize(
    ("title", "header", "footer", "expected", "origin"),
    [
        ("2021 Segundo Cuatrimeste", "", "", (2021, 2), "leído del título"),
        ("2021 SEGUNDO CUATRIMÉSTRE", "", "", (2021, 2), "leído del título"),
        ("2021 tercer cuatrimestre", "", "", (2021, 3), "leído del título"),
        ("2021", "", "(de mayo a agosto 2021)", (2021, 2), "leído del título y del pie"),
        ("", "", "(de septiembre a diciembre 2021)", (2021, 3), "leído del pie"),
        ("", "SEGUNDO CUATRIMESTRE 2021", "", (2021, 2), "leído del encabezado"),
    ],
    ids=[
        "titulo-con-errata",
        "mayusculas-y-tilde",
        "minusculas",
        "anio-del-titulo-y-pie",
        "solo-pie",
        "solo-encabezado",
    ],
)
def test_the_period_is_read_from_whatever_the_report_states(
    tmp_path, title, header, footer, expected, origin
):
    path = write_report(tmp_path, "r.txt", 2021, 2, title=title, header=header, footer=footer)
    period = decide(path, sicoin.statements(path))
    assert (period.anio, period.cuatrimestre) == expected and period.origen == origin


def test_a_title_and_a_footer_that_disagree_are_refused_naming_the_footer_line(tmp_path, data_copy):
    path = write_report(tmp_path, "poa_2021_c1.txt", 2021, 1, footer="(de mayo a agosto 2021)")
    before = snapshot(data_copy)
    with pytest.raises(DataError) as refused:
        import_files([path], data_dir=data_copy, today=TODAY)
    message = str(refused.value)
    assert message.startswith("poa_2021_c1.txt, línea 78")
    assert (
        "el título (línea 3) dice «(POA) 2021 Primer Cuatrimeste" in message
        and "de mayo a agosto 2021" in message
    )
    assert "--anio y --cuatrimestre" in message
    assert snapshot(data_copy) == before


def test_a_report_that_states_no_period_is_refused_asking_for_anio_and_cuatrimestre(tmp_path, data_copy):
    path = write_report(tmp_path, "sin_periodo.txt", 2021, 1, title="", header="", footer="")
    with pytest.raises(DataError, match=r"sin_periodo.txt, línea 1.*indique --anio y --cuatrimestre"):
        import_files([path], data_dir=data_copy, today=TODAY)


def test_anio_and_cuatrimestre_with_several_files_are_refused_and_accepted_with_one(tmp_path, data_copy):
    first, second = nine_reports(tmp_path)[:2]
    with pytest.raises(DataError, match="valen para un solo archivo y se indicaron 2"):
        import_files([first, second], anio=2021, cuatrimestre=1, data_dir=data_copy, today=TODAY)
    result = import_files([first], anio=2021, cuatrimestre=1, data_dir=data_copy, today=TODAY)
    assert result.lecturas == (
        "poa_2021_c1.txt: 2021, cuatrimestre 1 (indicado con --anio y --cuatrimestre)",
    )


def test_an_anio_given_alone_must_agree_with_the_file(tmp_path, data_copy):
    path = write_report(tmp_path, "poa_2021_c1.txt", 2021, 1)
    with pytest.raises(
        DataError,
        match=r"el archivo dice 2021, cuatrimestre 1 \(leído del título y del pie\) y se "
        "indicó --anio 2022",
    ):
        import_files([path], anio=2022, data_dir=data_copy, today=TODAY)


# --------------------------------------------------------------------------- several files, in period order


def test_nine_reports_in_shuffled_order_are_imported_in_period_order_and_say_what_was_read(
    tmp_path, data_copy
):
    files = nine_reports(tmp_path / "reportes")
    random.Random(19).shuffle(files)
    said = []
    result = import_files(files, cifras="periodo", data_dir=data_copy, today=TODAY, on_read=said.append)
    expected = [(a, c) for a in (2021, 2022, 2023) for c in (1, 2, 3)]
    assert [(r.anio, r.cuatrimestre) for r in result.archivos] == expected
    assert said == list(result.lecturas)
    assert said[0] == "poa_2021_c1.txt: 2021, cuatrimestre 1 (leído del título y del pie)"
    table = load_poa(data_copy)
    assert periods(table) == [*expected, (2024, 1)]
    assert executed(table, 2022, 2) == period_figures(2022, 2)
    assert result.incompletos == ()
    validate_all(data_copy)


def test_a_folder_stands_for_its_reports(tmp_path, data_copy):
    folder = tmp_path / "reportes"
    nine_reports(folder, years=(2023,))
    (folder / "notas.md").write_text("no es un reporte", encoding="utf-8")
    result = import_files([folder], cifras="periodo", data_dir=data_copy, today=TODAY)
    assert [r.cuatrimestre for r in result.archivos] == [1, 2, 3]


def test_what_a_folder_holds_besides_reports_is_left_out_and_said_in_one_line(tmp_path, data_copy, capsys):
    folder = tmp_path / "reportes"
    nine_reports(folder, years=(2023,))
    (folder / "notas.docx").write_bytes(b"PK\x03\x04")
    (folder / "anteriores").mkdir()
    (folder / "~$poa_2023_c1.xlsx").write_bytes(b"\x00" * 162)  # Excel's owner file of an open workbook
    (folder / ".DS_Store").write_bytes(b"\x00")
    code = main(["--datos", str(data_copy), "importar", str(folder), "--cifras", "periodo"])
    out = capsys.readouterr().out
    assert code == 0
    assert out.splitlines()[0] == (
        "Se deja fuera (no es un reporte ni una plantilla): anteriores/, notas.docx, ~$poa_2023_c1.xlsx "
        "(archivo temporal de Excel: el libro está abierto)."
    )
    assert sorted(set(load_poa(data_copy).query("anio == 2023")["cuatrimestre"])) == [1, 2, 3]


def test_an_excel_97_workbook_in_a_folder_is_refused_with_how_to_save_it_rather_than_left_out(
    tmp_path, data_copy
):
    folder = tmp_path / "reportes"
    nine_reports(folder, years=(2023,))
    (folder / "poa_2023_c3.txt").unlink()
    (folder / "poa_2023_c3.xls").write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(64))
    before = snapshot(data_copy)
    with pytest.raises(
        DataError, match=r"^poa_2023_c3\.xls, campo «ARCHIVO»: no se lee un libro \.xls: .*«Libro de"
    ):
        import_files([folder], cifras="periodo", data_dir=data_copy, today=TODAY)
    assert snapshot(data_copy) == before


def test_a_file_that_does_not_exist_is_refused_in_one_line_not_with_a_traceback(tmp_path, data_copy, capsys):
    code = main(["--datos", str(data_copy), "importar", str(tmp_path / "poa_2023_c1.txt")])
    err = capsys.readouterr().err
    assert code == 2 and "Traceback" not in err
    assert "poa_2023_c1.txt, campo «ARCHIVO»: no existe ese archivo (ni esa carpeta)" in err
    assert str(tmp_path / "poa_2023_c1.txt") in err  # the whole path: the folder may be what is mistyped
    (tmp_path / "vacia").mkdir()
    assert main(["--datos", str(data_copy), "importar", str(tmp_path / "vacia")]) == 2
    assert f"no hay ningún reporte que importar (.pdf, .txt, .csv o .xlsx) en {tmp_path / 'vacia'}." in (
        capsys.readouterr().err
    )


def test_a_text_file_that_is_no_report_is_refused_for_that_not_asked_for_its_period(tmp_path, data_copy):
    notes = tmp_path / "notas.txt"
    notes.write_text("Notas de la reunión\nrevisar el reporte de mayo\n", encoding="utf-8")
    (tmp_path / "vacio.txt").write_text("\n\n", encoding="utf-8")
    with pytest.raises(DataError, match=r"^notas\.txt: no parece el «Reporte Analítico de Ejecución Física»"):
        import_files([notes], data_dir=data_copy, today=TODAY)
    with pytest.raises(DataError, match=r"^notas\.txt: no parece"):  # with the period given, too
        import_files([notes], anio=2023, cuatrimestre=1, data_dir=data_copy, today=TODAY)
    with pytest.raises(DataError, match=r"^vacio\.txt: el archivo está vacío\.$"):
        import_files([tmp_path / "vacio.txt"], data_dir=data_copy, today=TODAY)


def test_a_word_file_named_to_importar_is_refused_saying_what_it_reads_not_read_as_an_extract(
    tmp_path, data_copy
):
    path = tmp_path / "reporte.docx"
    path.write_bytes(b"PK\x03\x04")
    with pytest.raises(
        DataError, match=r"no es un archivo que se pueda importar: se importa el reporte de SICOIN en PDF"
    ) as refused:
        import_files([path], data_dir=data_copy, today=TODAY)
    assert "período" not in str(refused.value)


def test_a_folder_imported_again_with_one_more_year_imports_only_that_year_and_deshacer_undoes_only_it(
    tmp_path, data_copy
):
    folder = tmp_path / "reportes"
    nine_reports(folder, years=(2022,))
    import_files([folder], cifras="periodo", data_dir=data_copy, today=TODAY)
    after_2022 = data_files(data_copy)
    nine_reports(folder, years=(2023,))
    result = import_files([folder], cifras="periodo", data_dir=data_copy, today=TODAY)
    assert [(r.anio, r.cuatrimestre) for r in result.archivos] == [(2023, 1), (2023, 2), (2023, 3)]
    assert result.repetidos == tuple(
        f"poa_2022_c{c}.txt: ya está en los datos (igual a data/raw/poa_2022_c{c}_sicoin_ejecucion_"
        "fisica.txt); no se importa de nuevo."
        for c in (1, 2, 3)
    )
    assert periods(load_poa(data_copy))[:6] == [
        (2022, 1),
        (2022, 2),
        (2022, 3),
        (2023, 1),
        (2023, 2),
        (2023, 3),
    ]
    undo_last_import(data_copy)
    assert data_files(data_copy) == after_2022


def test_a_report_already_imported_is_imported_again_when_reemplazar_asks_for_it(tmp_path, data_copy):
    result = import_files([RAW_POA], replace=True, data_dir=data_copy, today=TODAY)
    assert [(r.anio, r.cuatrimestre) for r in result.archivos] == [(2024, 1)] and result.repetidos == ()


def test_a_report_imported_by_hand_with_cifras_is_left_out_of_a_later_batch_without_reading_it(
    tmp_path, data_copy
):
    """Its bytes say it was imported: the options it needed (a report without footer) are not asked again."""
    footerless = write_report(tmp_path, "poa_2023_c2.txt", 2023, 2, footer="")
    with pytest.raises(DataError, match="--cifras"):
        import_files([footerless], data_dir=data_copy, today=TODAY)
    import_files([footerless], cifras="periodo", data_dir=data_copy, today=TODAY)
    others = [write_report(tmp_path, f"poa_2023_c{c}.txt", 2023, c) for c in (1, 3)]
    result = import_files([footerless, *others], data_dir=data_copy, today=TODAY)
    assert [r.cuatrimestre for r in result.archivos] == [1, 3]
    assert result.repetidos == (
        "poa_2023_c2.txt: ya está en los datos (igual a data/raw/poa_2023_c2_sicoin_ejecucion_fisica.txt); "
        "no se importa de nuevo.",
    )
    assert not any(line.startswith("poa_2023_c2.txt") for line in result.lecturas)
    assert executed(load_poa(data_copy), 2023, 3) == period_figures(2023, 3)


def test_cumulative_figures_across_a_batch_subtract_the_earlier_cuatrimestres_of_the_same_batch(
    tmp_path, data_copy
):
    files = nine_reports(tmp_path, years=(2022,), cumulative=True)
    result = import_files(list(reversed(files)), cifras="acumulado", data_dir=data_copy, today=TODAY)
    table = load_poa(data_copy)
    for cuatrimestre in (1, 2, 3):
        assert executed(table, 2022, cuatrimestre) == period_figures(2022, cuatrimestre)
    assert set(table.loc[table["anio"] == 2022, "cifras_origen"]) == {"acumulado"}
    assert result.archivos[2].ejecutado_total == sum(period_figures(2022, 3).values())
    validate_all(data_copy)  # the originals re-imported give the same table


def test_without_cifras_the_footer_tells_cumulative_figures_and_the_line_says_so(tmp_path, data_copy):
    files = nine_reports(tmp_path, years=(2022,), cumulative=True)
    result = import_files(files, data_dir=data_copy, today=TODAY)
    assert result.lecturas[1] == (
        "poa_2022_c2.txt: 2022, cuatrimestre 2 (leído del título y del pie); "
        "cifras acumuladas desde enero, según el pie"
    )
    assert executed(load_poa(data_copy), 2022, 3) == period_figures(2022, 3)


def test_a_period_given_by_hand_still_takes_the_kind_of_figures_from_the_footer(tmp_path, data_copy):
    first = write_report(tmp_path, "poa_2022_c1.txt", 2022, 1)
    second = write_report(tmp_path, "poa_2022_c2.txt", 2022, 2)  # «(de mayo a agosto 2022)»
    import_files([first], data_dir=data_copy, today=TODAY)
    result = import_files([second], anio=2022, cuatrimestre=2, data_dir=data_copy, today=TODAY)
    assert result.lecturas[0] == (
        "poa_2022_c2.txt: 2022, cuatrimestre 2 (indicado con --anio y --cuatrimestre); cifras del período, "
        "según el pie"
    )
    assert executed(load_poa(data_copy), 2022, 2) == period_figures(2022, 2)


def test_a_footer_of_another_cuatrimestre_does_not_tell_the_figures_of_the_one_given(tmp_path, data_copy):
    files = nine_reports(tmp_path, years=(2022,))
    import_files(files[:2], data_dir=data_copy, today=TODAY)
    third = write_report(tmp_path, "c3.txt", 2022, 3, footer="(de mayo a agosto 2022)")
    with pytest.raises(DataError, match="--cifras periodo o --cifras acumulado"):
        import_files([third], anio=2022, cuatrimestre=3, data_dir=data_copy, today=TODAY)


def test_two_files_of_the_same_period_with_other_figures_are_refused_naming_both(tmp_path, data_copy):
    first = write_report(tmp_path, "a.txt", 2021, 1)
    second = write_report(tmp_path, "b.txt", 2021, 1, figures=period_figures(2022, 1))
    with pytest.raises(
        DataError,
        match=re.escape("b.txt, campo «periodo»: este archivo y a.txt son los dos de 2021, cuatrimestre 1"),
    ):
        import_files([first, second], data_dir=data_copy, today=TODAY)


def test_one_report_in_two_forms_is_imported_once_and_again_left_out_once_imported(tmp_path, data_copy):
    """A department keeps each report's PDF beside its text or workbook: the same figures are one report."""
    folder = tmp_path / "reportes"
    nine_reports(folder, years=(2022,))
    for path in sorted(folder.glob("*.txt")):  # the same reports once more, under other names
        (folder / f"copia_{path.name}").write_bytes(path.read_bytes().replace(b"\n", b"\r\n"))
    result = import_files([folder], data_dir=data_copy, today=TODAY)
    assert [r.cuatrimestre for r in result.archivos] == [1, 2, 3]
    assert result.repetidos[0] == (
        "poa_2022_c1.txt: el mismo reporte que copia_poa_2022_c1.txt (las mismas cifras de 2022, "
        "cuatrimestre 1); se importa solo copia_poa_2022_c1.txt."
    )
    before = data_files(data_copy)
    (folder / "copia_poa_2022_c2.txt").unlink()  # one form of each report is in data/raw/ now
    again = import_files([folder], data_dir=data_copy, today=TODAY)
    assert again.archivos == () and data_files(data_copy) == before
    assert (
        "poa_2022_c2.txt: ya está en los datos (las mismas cifras de 2022, cuatrimestre 2 que "
        "data/raw/poa_2022_c2_sicoin_ejecucion_fisica.txt); no se importa de nuevo."
    ) in again.repetidos


# --------------------------------------------------------------------------- all or nothing


def _corrupt_subtotal(path: Path) -> None:
    path.write_text(path.read_text(encoding="utf-8").replace("\t1,", "\t9,", 1), encoding="utf-8")


def _drop_a_product(path: Path) -> None:
    """The 5th report loses product 36 (its last line): a refusal that needs the earlier files of the
    batch."""
    lines = path.read_text(encoding="utf-8").split("\n")
    kept = [
        line
        for line in lines
        if not line.startswith("36\t")
        and "COVID-19\t\t" not in line
        and not line.startswith("01\tESTADO DE CALIMIDAD")
    ]
    path.write_text("\n".join(line for line in kept if not line.startswith("PROGRAMA: 94")), encoding="utf-8")


@pytest.mark.parametrize(
    ("spoil", "expected"),
    [
        (_corrupt_subtotal, "poa_2022_c2.txt, línea"),
        (
            _drop_a_product,
            "poa_2022_c2.txt, campo «producto»: faltan productos que estaban en 2022, cuatrimestre 1: 36",
        ),
    ],
    ids=["el-archivo-no-cuadra", "no-cuadra-con-el-lote"],
)
def test_a_refusal_in_the_fifth_of_nine_files_imports_none_and_leaves_data_byte_identical(
    tmp_path, data_copy, spoil, expected
):
    files = nine_reports(tmp_path)
    spoil(files[4])
    random.Random(5).shuffle(files)
    before = snapshot(data_copy)
    with pytest.raises(DataError) as refused:
        import_files(files, cifras="periodo", data_dir=data_copy, today=TODAY)
    assert str(refused.value).startswith(expected), str(refused.value)
    assert snapshot(data_copy) == before


def test_importar_ends_by_naming_the_earlier_years_the_projection_will_stand_on(tmp_path, data_copy, capsys):
    files = nine_reports(tmp_path)
    assert main(["--datos", str(data_copy), "importar", *map(str, files), "--cifras", "periodo"]) == 0
    out = capsys.readouterr().out
    line = "Años anteriores a 2024, el que se proyecta: 2021 (completo), 2022 (completo), 2023 (completo)."
    assert line in out
    assert out.index(line) < out.index("para deshacer")


def test_deshacer_undoes_a_whole_batch_in_one_step(tmp_path, data_copy, capsys):
    before = data_files(data_copy)
    files = nine_reports(tmp_path)
    assert main(["--datos", str(data_copy), "importar", *map(str, files), "--cifras", "periodo"]) == 0
    assert len(list((data_copy / "raw").glob("poa_202[123]_c*"))) == 9
    capsys.readouterr()
    assert main(["--datos", str(data_copy), "deshacer"]) == 0
    out = capsys.readouterr().out
    assert out.startswith(
        "Deshecha la importación de 9 archivos (2021, cuatrimestre 1 a 2023, cuatrimestre 3)"
    )
    assert out.count("se retiró data/raw/") == 9
    assert data_files(data_copy) == before


def test_the_command_line_prints_one_line_per_file_then_what_it_imported(tmp_path, data_copy, capsys):
    files = nine_reports(tmp_path, years=(2022,))
    code = main(["--datos", str(data_copy), "importar", str(files[1]), str(files[0]), "--cifras", "periodo"])
    assert code == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[:2] == [
        "poa_2022_c1.txt: 2022, cuatrimestre 1 (leído del título y del pie)",
        "poa_2022_c2.txt: 2022, cuatrimestre 2 (leído del título y del pie)",
    ]
    assert lines[2].startswith("Importado: 36 productos de 2022, cuatrimestre 1")
    assert (
        "  2022: falta el cuatrimestre 3; el año queda incompleto y la proyección no lo usa como año completo"
        in lines
    )
    assert lines[-1] == "  para deshacer esta importación (los 2 archivos): pei-analysis deshacer"


# ------------------------------------------------------------------------- gaps: a past year, the latest year


def test_a_past_year_missing_a_cuatrimestre_is_imported_and_reported_incomplete(tmp_path, data_copy):
    files = [f for f in nine_reports(tmp_path) if f.name != "poa_2022_c2.txt"]
    result = import_files(files, cifras="periodo", data_dir=data_copy, today=TODAY)
    assert result.incompletos == (
        (
            "2022: falta el cuatrimestre 2; el año queda incompleto y la proyección no lo usa "
            "como año completo"
        ),
    )
    table = load_poa(data_copy)
    assert (2022, 3) in periods(table) and (2022, 2) not in periods(table)
    validate_all(data_copy)


def test_the_same_gap_in_the_latest_year_is_refused_and_nothing_is_written(tmp_path, data_copy):
    files = [f for f in nine_reports(tmp_path, years=(2025,)) if f.name != "poa_2025_c2.txt"]
    before = snapshot(data_copy)
    with pytest.raises(
        DataError,
        match=r"poa_2025_c3.txt, campo «cuatrimestre»: faltan en los datos los "
        r"cuatrimestres anteriores de 2025 \(2\)",
    ):
        import_files(files, cifras="periodo", data_dir=data_copy, today=TODAY)
    assert snapshot(data_copy) == before


def test_cumulative_figures_with_an_earlier_cuatrimestre_missing_are_refused_saying_they_cannot_be_converted(
    tmp_path, data_copy
):
    files = [f for f in nine_reports(tmp_path, years=(2022,), cumulative=True) if f.name != "poa_2022_c1.txt"]
    with pytest.raises(
        DataError, match=re.escape("poa_2022_c2.txt, campo «--cifras»: para convertir cifras acumuladas")
    ):
        import_files(files, cifras="acumulado", data_dir=data_copy, today=TODAY)


# --------------------------------------------------------------------------- years known only by their total


def test_an_annual_extract_is_detected_by_its_footer_and_stored_in_poa_anual(tmp_path, data_copy):
    path = write_report(tmp_path, "poa_2021_anual.txt", 2021, None)
    result = import_files([path], data_dir=data_copy, today=TODAY)
    assert result.lecturas == ("poa_2021_anual.txt: 2021, total anual (leído del título y del pie)",)
    annual = load_poa_annual(data_copy)
    totals = dict(zip(annual["producto"], annual["ejecutado"], strict=True))
    assert totals == cumulative_figures(2021, 3)
    assert set(annual["archivo_origen"]) == {"poa_2021_anual_sicoin_ejecucion_fisica.txt"}
    assert periods(load_poa(data_copy)) == [(2024, 1)]
    assert "poa_2021_anual_sicoin_ejecucion_fisica.txt: los 36 totales anuales coinciden" in " ".join(
        validate_all(data_copy).checks
    )


def test_a_third_cuatrimestre_cumulative_from_january_is_a_year_total_with_anual(tmp_path, data_copy):
    path = write_report(tmp_path, "poa_2021_c3.txt", 2021, 3, cumulative=True)
    result = import_files([path], anual=True, data_dir=data_copy, today=TODAY)
    assert result.archivos[0].cuatrimestre is None
    assert result.lecturas == (
        "poa_2021_c3.txt: 2021, total anual (leído del título y del pie, con --anual)",
    )


def test_anual_refuses_a_report_of_another_cuatrimestre(tmp_path, data_copy):
    path = write_report(tmp_path, "poa_2021_c2.txt", 2021, 2)
    with pytest.raises(DataError, match="se pidió el total anual, pero el título dice"):
        import_files([path], anual=True, data_dir=data_copy, today=TODAY)


def test_an_annual_template_is_written_filled_and_imported_into_poa_anual(tmp_path, data_copy, capsys):
    assert (
        main(["--datos", str(data_copy), "plantilla", "--anio", "2022", "--anual", "--salida", str(tmp_path)])
        == 0
    )
    assert (
        "Complete las columnas «ejecutado en el año» (el total de enero a diciembre) y «programado anual "
        "vigente» (la meta de 2022, la de su POA)" in capsys.readouterr().out
    )
    path = tmp_path / "plantilla_poa_2022_anual.csv"
    frame = pd.read_csv(path, dtype=str, encoding="utf-8-sig", keep_default_na=False)
    assert "cuatrimestre" not in frame.columns and template.ANNUAL_FIGURE in frame.columns
    # 2024's goals are not 2022's: the template leaves them for the analyst (here, simulated ones)
    assert set(frame["programado anual vigente"]) == {""}
    frame["programado anual vigente"] = [str(1000 * (i + 1)) for i in range(len(frame))]
    frame[template.ANNUAL_FIGURE] = [str(3 * int(p) // 4) for p in frame["programado anual vigente"]]
    frame.to_csv(path, index=False)
    result = import_files([path], data_dir=data_copy, today=TODAY)
    assert result.lecturas == ("plantilla_poa_2022_anual.csv: 2022, total anual (leído de la plantilla)",)
    annual = load_poa_annual(data_copy)
    assert list(annual["ejecutado"]) == [3 * p // 4 for p in annual["programado"]]
    assert (data_copy / "raw" / "poa_2022_anual_plantilla.csv").exists()
    validate_all(data_copy)


def test_an_annual_report_of_a_year_with_its_three_cuatrimestres_is_refused_as_redundant(tmp_path, data_copy):
    files = [*nine_reports(tmp_path, years=(2021,)), write_report(tmp_path, "poa_2021_anual.txt", 2021, None)]
    before = snapshot(data_copy)
    with pytest.raises(
        DataError,
        match=re.escape(
            "poa_2021_anual.txt, campo «--anual»: el total anual de 2021 sobra: los "
            "cuatrimestres 1, 2 y 3 de 2021 ya están"
        ),
    ):
        import_files(files, cifras="periodo", data_dir=data_copy, today=TODAY)
    assert snapshot(data_copy) == before


def test_a_cuatrimestre_of_a_year_known_only_by_its_total_is_refused(tmp_path, data_copy):
    import_files([write_report(tmp_path, "poa_2021_anual.txt", 2021, None)], data_dir=data_copy, today=TODAY)
    with pytest.raises(DataError, match="2021 está en los datos solo con su total anual"):
        import_files([write_report(tmp_path, "poa_2021_c1.txt", 2021, 1)], data_dir=data_copy, today=TODAY)


def test_a_year_total_for_the_latest_year_or_an_unfinished_one_is_refused(tmp_path, data_copy):
    with pytest.raises(
        DataError, match="solo se admite para un año pasado, y 2025 no es anterior a 2024, el último"
    ):
        import_files(
            [write_report(tmp_path, "poa_2025_anual.txt", 2025, None)], data_dir=data_copy, today=TODAY
        )
    with pytest.raises(DataError, match="el total anual de 2026 no puede existir todavía"):
        import_files(
            [write_report(tmp_path, "poa_2026_anual.txt", 2026, None)], data_dir=data_copy, today=TODAY
        )


def test_deshacer_after_the_first_annual_import_removes_the_table_it_created(tmp_path, data_copy):
    (data_copy / "poa" / "poa_anual.csv").unlink()  # a data folder made before the table existed
    before = data_files(data_copy)
    import_files([write_report(tmp_path, "poa_2021_anual.txt", 2021, None)], data_dir=data_copy, today=TODAY)
    assert len(load_poa_annual(data_copy)) == 36
    undo_last_import(data_copy)
    assert data_files(data_copy) == before


def test_the_single_file_import_is_a_batch_of_one_with_the_record_it_always_had(tmp_path, data_copy):
    path = write_report(tmp_path, "poa_2023_c1.txt", 2023, 1)
    result = import_file(path, data_dir=data_copy, today=TODAY)
    assert (result.anio, result.cuatrimestre) == (2023, 1)
    record = undo_last_import(data_copy)
    assert record["periodo"] == [2023, 1] and record["archivo"] == "poa_2023_c1.txt"


def test_the_single_file_import_of_a_report_data_raw_already_keeps_is_refused_saying_so(data_copy):
    before = data_files(data_copy)
    with pytest.raises(DataError, match=r"ya está en los datos .*no se importa de nuevo") as refused:
        import_file(RAW_POA, data_dir=data_copy, today=TODAY)
    assert refused.value.path == RAW_POA
    assert data_files(data_copy) == before


def test_the_simulated_reports_say_they_are_simulated():
    assert "SIMULADO, NO SON CIFRAS DEL IGSS" in report_text(2021, 1).split("\n")[2]


def test_a_template_of_another_year_leaves_programado_empty_and_the_import_asks_for_it(
    tmp_path, data_copy, capsys
):
    args = ["--datos", str(data_copy), "plantilla", "--anio", "2023", "--cuatrimestre", "1"]
    assert main([*args, "--salida", str(tmp_path)]) == 0
    assert "programado vacío" in capsys.readouterr().out
    path = tmp_path / "plantilla_poa_2023_c1.csv"
    frame = pd.read_csv(path, dtype=str, encoding="utf-8-sig", keep_default_na=False)
    assert set(frame["programado anual vigente"]) == {""}
    frame["ejecutado"] = "5"
    frame.to_csv(path, index=False)
    before = data_files(data_copy)
    with pytest.raises(
        DataError,
        match=re.escape(
            "plantilla_poa_2023_c1.csv, fila 2, campo «programado anual vigente»: celda vacía (escriba la "
            "programación anual vigente de ese año, la de su POA)."
        ),
    ):
        import_files([path], data_dir=data_copy, today=TODAY)
    assert data_files(data_copy) == before
    # the latest year's next cuatrimestre keeps its goals, as the report of that year states them
    assert (
        main(
            ["--datos", str(data_copy), "plantilla", "--anio", "2024", "--cuatrimestre", "2"]
            + ["--salida", str(tmp_path)]
        )
        == 0
    )
    frame = pd.read_csv(tmp_path / "plantilla_poa_2024_c2.csv", dtype=str, encoding="utf-8-sig")
    assert frame["programado anual vigente"].astype(int).tolist() == (
        load_poa(data_copy).sort_values("producto")["programado"].tolist()
    )


def test_a_cuatrimestre_template_says_its_period_in_its_columns(tmp_path, data_copy):
    csv_path, _ = template.write_template(load_poa(data_copy), 2023, 2, tmp_path)
    frame = pd.read_csv(csv_path, dtype=str, encoding="utf-8-sig", keep_default_na=False)
    frame["ejecutado"] = [str(int(p) // 3) for p in frame["programado anual vigente"]]
    frame.to_csv(csv_path, index=False)
    first = write_report(tmp_path, "poa_2023_c1.txt", 2023, 1)
    result = import_files([csv_path, first], cifras="periodo", data_dir=data_copy, today=TODAY)
    assert result.lecturas[1] == "plantilla_poa_2023_c2.csv: 2023, cuatrimestre 2 (leído de la plantilla)"
    assert (data_copy / "raw" / "poa_2023_c2_plantilla.csv").exists()


def test_a_future_year_read_from_a_file_is_refused_naming_the_file(tmp_path, data_copy):
    path = write_report(tmp_path, "poa_2027_c1.txt", 2027, 1)
    with pytest.raises(DataError, match=r"^poa_2027_c1.txt, campo «--anio»: el año 2027 está en el futuro"):
        import_files([path], data_dir=data_copy, today=TODAY)


def test_anual_and_cuatrimestre_together_are_refused(tmp_path, data_copy):
    path = write_report(tmp_path, "poa_2021_c3.txt", 2021, 3, cumulative=True)
    with pytest.raises(DataError, match=r"--anual .* y --cuatrimestre no van juntos"):
        import_files([path], anio=2021, cuatrimestre=3, anual=True, data_dir=data_copy, today=TODAY)


def test_validar_lists_an_annual_year_and_refuses_an_annual_original_no_row_uses(tmp_path, data_copy, capsys):
    import shutil

    import_files([write_report(tmp_path, "poa_2021_anual.txt", 2021, None)], data_dir=data_copy, today=TODAY)
    assert main(["--datos", str(data_copy), "validar"]) == 0
    assert "POA 2021, total anual (sin cuatrimestres): 36 productos" in capsys.readouterr().out
    stray = data_copy / "raw" / "poa_2020_anual_sicoin_ejecucion_fisica.txt"
    shutil.copyfile(write_report(tmp_path, "otro.txt", 2020, None), stray)
    with pytest.raises(
        DataError,
        match=r"poa_2020_anual_sicoin_ejecucion_fisica.txt \(2020, total anual\).*"
        "--anio 2020 --anual",
    ):
        validate_all(data_copy)


def test_anual_refuses_a_cuatrimestre_template_naming_its_row(tmp_path, data_copy):
    csv_path, _ = template.write_template(load_poa(data_copy), 2023, 2, tmp_path)
    with pytest.raises(
        DataError,
        match=r"plantilla_poa_2023_c2.csv, fila 2, campo «--anual»: se pidió el total "
        r"anual, pero la plantilla dice «año 2023, cuatrimestre 2»",
    ):
        import_files([csv_path], anual=True, data_dir=data_copy, today=TODAY)


# --------------------------------------------------------------------------- simulated reports


def test_a_simulated_report_is_refused_by_the_published_data_and_taken_by_a_copy(
    tmp_path, data_copy, monkeypatch
):
    marked = write_report(
        tmp_path,
        "poa_2021_c1.txt",
        2021,
        1,
        title="2021 Primer Cuatrimeste (DATOS SIMULADOS, NO SON CIFRAS DEL IGSS)",
    )
    import_files([marked], data_dir=data_copy, today=TODAY)  # a copy to try things in takes it
    undo_last_import(data_copy)
    before = data_files(data_copy)
    monkeypatch.setattr(paths, "DATA_DIR", data_copy)  # now the copy is the folder the book publishes
    with pytest.raises(
        DataError, match=r"poa_2021_c1\.txt, línea 3, campo «reporte»: .* simuladas"
    ) as refused:
        import_files([marked], data_dir=data_copy, today=TODAY)
    assert "--datos CARPETA" in str(refused.value)
    assert data_files(data_copy) == before
    review = review_files([marked], data_dir=data_copy, today=TODAY)
    assert not review.importable and "cifras son simuladas" in str(review.errores[0])


# --------------------------------------------------------------------------- one numbering per year


def test_a_cuatrimestre_numbering_products_otherwise_than_its_year_is_refused_pointing_to_the_template(
    tmp_path, data_copy
):
    first = write_report(tmp_path, "poa_2023_c1.txt", 2023, 1)
    second = tmp_path / "poa_2023_c2.txt"
    second.write_text(swap_numbers(report_text(2023, 2), 9, 10), encoding="utf-8")
    import_files([first], data_dir=data_copy, today=TODAY)
    before = data_files(data_copy)
    with pytest.raises(
        DataError,
        match=r"^poa_2023_c2\.txt, línea \d+, campo «producto»: el producto 9 \(11-04-\S+\) es el 10 en "
        r"2023, cuatrimestre 1: en un año cada producto conserva su número .*\(2 cambian aquí\)\. Si es una "
        r"plantilla, escríbala de nuevo con «pei-analysis plantilla --anio 2023 --cuatrimestre 2»",
    ):
        import_files([second], data_dir=data_copy, today=TODAY)
    assert data_files(data_copy) == before


def test_the_template_of_a_year_in_the_data_numbers_its_products_as_that_year_does(
    tmp_path, data_copy, capsys
):
    first = tmp_path / "poa_2023_c1.txt"
    first.write_text(swap_numbers(report_text(2023, 1), 9, 10), encoding="utf-8")
    import_files([first], data_dir=data_copy, today=TODAY)

    def plantilla(anio: int, cuatrimestre: int, folder: Path) -> str:
        options = ["--anio", str(anio), "--cuatrimestre", str(cuatrimestre), "--salida", str(folder)]
        assert main(["--datos", str(data_copy), "plantilla", *options]) == 0
        return capsys.readouterr().out

    # 2023 is in the data: its template numbers as 2023 does; 2022 is not: as the latest period, 2024
    for anio, taken_from in ((2023, 2023), (2022, 2024)):
        assert f"productos de {taken_from}" in plantilla(anio, 2, tmp_path / str(anio))
        table = pd.read_csv(
            tmp_path / str(anio) / f"plantilla_poa_{anio}_c2.csv", encoding="utf-8-sig", dtype=str
        )
        source = load_poa(data_copy).query(f"anio == {taken_from} and cuatrimestre == 1")
        number = dict(zip(source["descripcion"], source["producto"].astype(str), strict=True))
        assert [number[d] for d in table["descripción"]] == table["producto"].tolist()
    assert "2023, cuatrimestre 1 ya está en los datos" in plantilla(2023, 1, tmp_path / "otra")
