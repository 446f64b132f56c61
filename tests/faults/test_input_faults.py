"""The fault-injection corpus of issue #18: each hostile input that once imported, hung, flooded the terminal
or ended in a traceback, with the outcome it gets now. Every file is made here, in tmp_path; a refusal must
leave data/ byte-identical."""

from __future__ import annotations

import csv
import io
import zipfile
from pathlib import Path

import openpyxl
import pandas as pd
import pytest

from pei_analysis.chapters.downloads import export_tables
from pei_analysis.cli import data_commands, main
from pei_analysis.errors import DataError
from pei_analysis.ingest import limits, sheet_cells, template
from pei_analysis.ingest.importer import import_file
from pei_analysis.spreadsheet import neutralise, restore
from pei_analysis.tables.poa import load_poa
from tests.conftest import RAW_POA, snapshot

TEXT = RAW_POA.read_bytes().decode("utf-8")
HOSTILE = ['=HYPERLINK("http://ejemplo.invalid","clic")', "+1+1", "-2+3", "@SUMA(A1)", "\t=1", "'=ya citado"]


def refused(source: Path, data: Path, *, anio=2024, cuatrimestre=1, **options) -> str:
    """Import *source* into *data* expecting a refusal; return its message, checking nothing changed."""
    before = snapshot(data)
    options.setdefault("cifras", "periodo")
    with pytest.raises(DataError) as err:
        import_file(source, anio=anio, cuatrimestre=cuatrimestre, replace=True, data_dir=data, **options)
    assert snapshot(data) == before
    message = str(err.value)
    assert "\n" not in message and len(message) < 600, message
    return message


def extract(tmp_path: Path, old: str, new: str) -> Path:
    assert old in TEXT
    path = tmp_path / "extracto.txt"
    path.write_text(TEXT.replace(old, new, 1), encoding="utf-8")
    return path


def filled_template(
    data: Path, folder: Path, anio=2024, cuatrimestre=2, descripcion: str | None = None
) -> Path:
    """A capture template written by the project, with «ejecutado» typed as the cuatrimestre 1 figures."""
    c1 = load_poa(data)
    if descripcion is not None:
        c1.loc[0, "descripcion"] = descripcion
    csv_path, _ = template.write_template(c1, anio, cuatrimestre, folder)
    rows = list(csv.reader(io.StringIO(csv_path.read_text(encoding="utf-8-sig"))))
    for row, ejecutado in zip(rows[1:], c1.sort_values("producto")["ejecutado"], strict=True):
        row[11] = str(ejecutado)
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerows(rows)
    csv_path.write_text(out.getvalue(), encoding="utf-8")
    return csv_path


# ---------------------------------------------------------------- spreadsheet-safe text


@pytest.mark.parametrize("text", HOSTILE)
def test_neutralise_quotes_a_formula_start_and_restore_gives_the_text_back(text):
    assert not str(neutralise(text)).startswith(("=", "+", "-", "@", "\t", "\r"))
    assert restore(neutralise(text)) == text


@pytest.mark.parametrize("value", [-5, -2.5, 0, 3, "texto", "'solo una comilla", None])
def test_numbers_and_ordinary_text_are_never_touched(value):
    assert neutralise(value) is value


def test_downloads_have_no_formula_and_keep_numbers_as_numbers(tmp_path):
    table = pd.DataFrame({"descripcion": HOSTILE, "brecha_pp": [-3.5, -1.0, 0.0, 2.0, 1.5, -7.0]})
    export_tables({"avance_por_producto": table}, tmp_path)
    text = (tmp_path / "avance_por_producto.csv").read_text(encoding="utf-8-sig")
    assert "\n\"'=HYPERLINK" in text and "\n'+1+1," in text and "\n'-2+3," in text and "\n'@SUMA" in text
    assert ",-3.5\n" in text  # a negative number is not text
    for name in ("avance_por_producto.xlsx", "todas_las_tablas.xlsx"):
        book = openpyxl.load_workbook(tmp_path / name)
        cells = [c for row in book.active.iter_rows() for c in row]
        assert not [c.coordinate for c in cells if c.data_type == "f"]
        numbers = [c.value for c in cells if c.column == 2 and c.row > 1]
        assert numbers == [-3.5, -1.0, 0.0, 2.0, 1.5, -7.0]


@pytest.mark.parametrize("suffix", [".csv", ".xlsx"])
def test_a_template_written_by_the_project_reimports_with_the_original_text(data_copy, tmp_path, suffix):
    hostile = HOSTILE[0]
    csv_path = filled_template(data_copy, tmp_path, descripcion=hostile)
    xlsx_path = csv_path.with_suffix(".xlsx")
    book = openpyxl.load_workbook(xlsx_path)
    sheet = book.active
    assert not [c.coordinate for row in sheet.iter_rows() for c in row if c.data_type == "f"]
    for row, value in zip(
        sheet.iter_rows(min_row=2), template.parse(csv_path, 2024, 2)["ejecutado"], strict=True
    ):
        row[11].value = int(value)
    book.save(xlsx_path)
    table = template.parse(csv_path if suffix == ".csv" else xlsx_path, 2024, 2)
    assert table.loc[table["producto"] == 1, "descripcion"].item() == hostile
    before = load_poa(data_copy)
    assert (table["descripcion"].to_numpy()[1:] == before["descripcion"].to_numpy()[1:]).all()


def test_a_formula_typed_in_a_csv_template_is_refused_with_row_and_column(data_copy, tmp_path):
    path = filled_template(data_copy, tmp_path)
    path.write_text(path.read_text(encoding="utf-8").replace(",73511,", ",=70000+3511,", 1), encoding="utf-8")
    message = refused(path, data_copy, cuatrimestre=2)
    assert "fila 2" in message and "campo «ejecutado»" in message and "fórmula" in message


def test_a_formula_cell_in_an_xlsx_template_is_refused_with_row_and_column(data_copy, tmp_path):
    filled_template(data_copy, tmp_path)
    path = tmp_path / "plantilla_poa_2024_c2.xlsx"
    book = openpyxl.load_workbook(path)
    book.active["L4"] = "=K4/3"
    book.save(path)
    message = refused(path, data_copy, cuatrimestre=2)
    assert "fila 4" in message and "campo «ejecutado»" in message and "=K4/3" in message


# ---------------------------------------------------------------- limits at import


def test_a_25_digit_figure_is_refused_at_parse_time(data_copy, tmp_path):
    message = refused(extract(tmp_path, "\t73,511\t", "\t1234567890123456789012345\t"), data_copy)
    assert (
        "línea 13" in message and "ejecutado (producto 1)" in message and "1,000,000,000,000,000" in message
    )


def test_a_figure_of_thousands_of_digits_is_refused_not_a_traceback(data_copy, tmp_path):
    message = refused(extract(tmp_path, "\t73,511\t", "\t" + "9" * 5000 + "\t"), data_copy)
    assert "línea 13" in message and "5000 dígitos" in message and "…" in message


def test_a_25_digit_figure_in_a_template_is_refused_with_its_row(data_copy, tmp_path):
    path = filled_template(data_copy, tmp_path)
    path.write_text(
        path.read_text(encoding="utf-8").replace(",73511,", ",1234567890123456789012345,", 1),
        encoding="utf-8",
    )
    message = refused(path, data_copy, cuatrimestre=2)
    assert "fila 2" in message and "campo «ejecutado»" in message and "máximo" in message


@pytest.mark.parametrize("char", ["\x00", "\x1b", "\x7f"])
def test_a_control_character_in_a_description_is_refused_with_its_position(data_copy, tmp_path, char):
    message = refused(
        extract(tmp_path, "Actividades administrativas", f"Actividades{char} administrativas"), data_copy
    )
    assert "línea 13" in message and "descripción" in message and "posición 12" in message
    assert char not in message and repr(char)[1:-1] in message


def test_a_nul_in_a_template_description_is_refused_with_row_and_position(data_copy, tmp_path):
    path = filled_template(data_copy, tmp_path)
    path.write_text(
        path.read_text(encoding="utf-8").replace("Actividades", "Actividades\x00", 1), encoding="utf-8"
    )
    message = refused(path, data_copy, cuatrimestre=2)
    assert "fila 2" in message and "posición 12" in message and "\\x00" in message


def test_a_cuatrimestre_2_without_its_cuatrimestre_1_is_refused(data_copy, tmp_path):
    path = filled_template(data_copy, tmp_path, anio=2025)
    message = refused(path, data_copy, anio=2025, cuatrimestre=2)
    assert "faltan en los datos los cuatrimestres anteriores de 2025 (1)" in message


def test_a_cuatrimestre_2_after_its_cuatrimestre_1_is_still_accepted(data_copy, tmp_path):
    import_file(
        filled_template(data_copy, tmp_path), anio=2024, cuatrimestre=2, cifras="periodo", data_dir=data_copy
    )


def test_a_csv_field_over_128_kib_is_refused_not_a_traceback(data_copy, tmp_path):
    path = filled_template(data_copy, tmp_path)
    path.write_text(
        path.read_text(encoding="utf-8").replace("(DYC)", '"' + "x" * 140_000 + '"', 1), encoding="utf-8"
    )
    message = refused(path, data_copy, cuatrimestre=2)
    assert "no se puede leer como CSV" in message and "10,000 caracteres" in message


def test_a_csv_field_over_128_kib_is_refused_even_after_a_library_raised_the_csv_limit(data_copy, tmp_path):
    """frictionless (a development dependency) raises Python's process-wide CSV cell limit when imported."""
    path = filled_template(data_copy, tmp_path)
    path.write_text(
        path.read_text(encoding="utf-8").replace("(DYC)", '"' + "x" * 140_000 + '"', 1), encoding="utf-8"
    )
    previous = csv.field_size_limit(2**31 - 1)
    try:
        message = refused(path, data_copy, cuatrimestre=2)
        assert csv.field_size_limit() == 2**31 - 1
    finally:
        csv.field_size_limit(previous)
    assert "no se puede leer como CSV" in message


def test_a_description_over_10000_characters_is_refused(data_copy, tmp_path):
    message = refused(extract(tmp_path, "(SALI)", "x" * 20_000 + " (SALI)"), data_copy)
    assert "línea 14" in message and "máximo es 10,000" in message


def test_a_text_file_over_20_mb_is_refused_before_it_is_read(data_copy, tmp_path):
    path = tmp_path / "enorme.txt"
    with path.open("wb") as handle:
        handle.truncate(limits.MAX_TEXT_BYTES + 1)
    assert "el máximo es 20 MB" in refused(path, data_copy)


def test_an_xlsx_declaring_more_than_50_mb_uncompressed_is_refused_before_opening(data_copy, tmp_path):
    path = tmp_path / "bomba.xlsx"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("xl/worksheets/sheet1.xml", b"\0" * (limits.MAX_XLSX_BYTES + 1))
    assert path.stat().st_size < 200_000
    message = refused(path, data_copy, cuatrimestre=2)
    assert "sin comprimir y el máximo es 50 MB" in message


def test_an_xlsx_with_too_many_rows_is_refused_while_reading(data_copy, tmp_path, monkeypatch):
    monkeypatch.setattr(sheet_cells, "MAX_ROWS", 30)
    filled_template(data_copy, tmp_path)
    message = refused(tmp_path / "plantilla_poa_2024_c2.xlsx", data_copy, cuatrimestre=2)
    assert "la hoja tiene más de" in message


def test_a_huge_cell_in_a_small_xlsx_gives_a_short_message(data_copy, tmp_path):
    path = tmp_path / "celda.xlsx"
    book = openpyxl.Workbook()
    book.active["A1"] = "año" + "A" * 1_000_000
    book.save(path)
    assert path.stat().st_size < 100_000
    message = refused(path, data_copy, cuatrimestre=2)
    assert "máximo es 10,000" in message and len(message) < 400


def test_escape_sequences_in_a_file_are_shown_as_text_never_raw(data_copy, tmp_path):
    message = refused(
        extract(tmp_path, "1\tActividades", "texto \x1b[2J\x1b]0;hola\x07 suelto\n1\tActividades"), data_copy
    )
    assert "no se reconoce" in message and "\x1b" not in message and "\\x1b[2J" in message


def test_every_refusal_message_bounds_what_it_quotes():
    error = DataError("se encontró «" + "x" * 1_000_000 + "».", path="a\x1b.txt", row=3, field="c" * 5000)
    message = str(error)
    assert len(message) < 700 and message.count("…") == 2 and "a\\x1b.txt" in message


@pytest.mark.parametrize("factor", ["nan", "inf", "-inf", "1", "0.5", "-2"])
def test_an_outlier_factor_that_is_not_0_or_finite_above_1_is_refused(data_copy, tmp_path, capsys, factor):
    before = snapshot(data_copy)
    code = main(
        [
            "--datos",
            str(data_copy),
            "importar",
            str(filled_template(data_copy, tmp_path)),
            "--anio",
            "2024",
            "--cuatrimestre",
            "2",
            "--cifras",
            "periodo",
            f"--factor-atipicos={factor}",
        ]
    )
    err = capsys.readouterr().err
    assert code == 2 and "--factor-atipicos debe ser un número mayor que 1" in err and "Traceback" not in err
    assert snapshot(data_copy) == before


def test_an_outlier_factor_of_0_still_turns_the_guard_off(data_copy, tmp_path):
    path = filled_template(data_copy, tmp_path)
    path.write_text(path.read_text(encoding="utf-8").replace(",73511,", ",7351100,", 1), encoding="utf-8")
    assert "fuera de línea" in refused(path, data_copy, cuatrimestre=2)
    import_file(path, anio=2024, cuatrimestre=2, cifras="periodo", outlier_factor=0, data_dir=data_copy)
    limits.check_outlier_factor(2.5)  # a factor above 1 passes


# ---------------------------------------------------------------- no traceback without --debug


@pytest.mark.parametrize(
    "argv",
    [
        ["plantilla", "--anio", "2024", "--cuatrimestre", "2", "--salida", "{file}"],
        ["plantilla", "--anio", "2024", "--cuatrimestre", "2", "--salida", "{file}/dentro"],
        ["edicion", "--sitio", "{file}"],
        ["vista", "--salida", "{file}"],
    ],
    ids=["plantilla", "plantilla-debajo", "edicion", "vista"],
)
def test_an_output_folder_that_is_a_file_is_refused_in_spanish(data_copy, tmp_path, capsys, argv):
    existing = tmp_path / "un_archivo"
    existing.write_text("no soy una carpeta\n", encoding="utf-8")
    before = snapshot(data_copy)
    code = main(["--datos", str(data_copy), *[a.replace("{file}", str(existing)) for a in argv]])
    err = capsys.readouterr().err
    assert code == 2 and "debe ser una carpeta" in err and "es un archivo" in err and "Traceback" not in err
    assert existing.read_text(encoding="utf-8") == "no soy una carpeta\n"
    assert snapshot(data_copy) == before


@pytest.mark.parametrize(
    ("content", "expected"),
    [("", "línea 1: el archivo está vacío"), ("header", "línea 2: la tabla no tiene ninguna fila")],
)
def test_an_empty_or_header_only_table_gets_a_located_refusal_from_validar(
    data_copy, capsys, content, expected
):
    table = data_copy / "poa" / "poa_ejecucion.csv"
    table.write_text(
        table.read_text(encoding="utf-8").split("\n")[0] + "\n" if content else "", encoding="utf-8"
    )
    assert main(["--datos", str(data_copy), "validar"]) == 2
    err = capsys.readouterr().err
    assert f"poa_ejecucion.csv, {expected}" in err and "Traceback" not in err


def test_a_header_only_table_gets_a_refusal_from_plantilla(data_copy, tmp_path, capsys):
    table = data_copy / "poa" / "poa_ejecucion.csv"
    table.write_text(table.read_text(encoding="utf-8").split("\n")[0] + "\n", encoding="utf-8")
    assert (
        main(
            [
                "--datos",
                str(data_copy),
                "plantilla",
                "--anio",
                "2024",
                "--cuatrimestre",
                "2",
                "--salida",
                str(tmp_path / "p"),
            ]
        )
        == 2
    )
    assert "no tiene ningún período" in capsys.readouterr().err


class _ClosedPipe(io.StringIO):
    def write(self, text):
        raise BrokenPipeError(32, "Broken pipe")


def test_a_closed_pipe_ends_quietly(monkeypatch, capsys):
    monkeypatch.setattr("sys.stdout", _ClosedPipe())
    assert main(["validar"]) == 1
    assert capsys.readouterr().err == ""


def test_ctrl_c_gives_one_spanish_line_and_exit_130(monkeypatch, capsys):
    def interrupted(args):
        raise KeyboardInterrupt

    monkeypatch.setattr(data_commands, "_cmd_validar", interrupted)
    assert main(["validar"]) == 130
    err = capsys.readouterr().err
    assert "Orden interrumpida (Ctrl-C)." in err and "Traceback" not in err
    with pytest.raises(KeyboardInterrupt):
        main(["--debug", "validar"])
