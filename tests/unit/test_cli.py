"""The command line speaks Spanish, summarises the data, refuses bad imports without writing, and hands
previews and editions to the book pipeline with one error path (the builds themselves are in tests/e2e)."""

from __future__ import annotations

import re
import subprocess
import sys

import pytest

from pei_analysis.cli import main
from pei_analysis.paths import REPO_DIR
from tests.conftest import RAW_POA, snapshot


def test_validar_prints_each_programs_products_and_median_progress_and_the_checks(capsys):
    assert main(["validar"]) == 0
    out = capsys.readouterr().out
    assert "POA 2024, cuatrimestre 1: 36 productos" in out
    assert "11 SERVICIOS DE ATENCIÓN MÉDICA" in out and "12 PRESTACIONES PECUNIARIAS (pagos)" in out
    program_11 = next(line for line in out.splitlines() if "11 SERVICIOS DE ATENCIÓN MÉDICA" in line)
    # 19 products; the median of their progress is product 8's (33.71% in the report); one with nothing
    assert program_11.split()[-3:] == ["19", "33.7%", "1"]
    assert "5,175,705" not in out  # never a sum of consultas, raciones and egresos
    assert "avance mediano:" in out and "33.3%" in out
    assert "Verificaciones superadas" in out and "coinciden" in out


def test_validar_says_the_shipped_data_have_no_earlier_year_and_how_to_load_them(capsys):
    assert main(["validar"]) == 0
    out = capsys.readouterr().out
    assert "Sin años anteriores a 2024:" in out and "«El primer día»" in out


def test_validar_names_each_earlier_year_the_projection_stands_on_and_what_it_has(
    data_copy, tmp_path, capsys
):
    """SIMULATED past years (tests/fixtures/historia_simulada.py): 2021 and 2023 complete, 2022 without c3."""
    from tests.fixtures.historia_simulada import add_simulated_history

    add_simulated_history(data_copy, tmp_path)
    capsys.readouterr()
    assert main(["--datos", str(data_copy), "validar"]) == 0
    out = capsys.readouterr().out
    assert (
        "Años anteriores a 2024, el que se proyecta: 2021 (completo), "
        "2022 (incompleto: solo los cuatrimestres 1, 2), 2023 (completo)." in out
    )
    assert "Sin años anteriores" not in out


def test_python_dash_m_runs_the_command_line_in_spanish():
    done = subprocess.run(
        [sys.executable, "-m", "pei_analysis", "--help"],
        capture_output=True,
        text=True,
        cwd=REPO_DIR.parent,
        check=False,
    )
    assert done.returncode == 0
    assert "uso: pei-analysis" in done.stdout and "muestra esta ayuda" in done.stdout


@pytest.fixture
def other_c1(tmp_path):
    """Another report of 2024, cuatrimestre 1: the shipped one with product 6 times 1.10 (DATOS DE PRUEBA)."""
    from tests.fixtures.generar import corrected_first

    path = tmp_path / "otro_c1.txt"
    path.write_text(corrected_first(6, 1.10), encoding="utf-8")
    return path


def test_importar_refuses_another_report_of_a_period_already_present_and_writes_nothing(
    data_copy, other_c1, capsys
):
    before = snapshot(data_copy)
    code = main(
        ["--datos", str(data_copy), "importar", str(other_c1), "--anio", "2024", "--cuatrimestre", "1"]
    )
    assert code == 2
    err = capsys.readouterr().err
    assert "ya está en los datos: use --reemplazar" in err and "Traceback" not in err
    assert snapshot(data_copy) == before


def test_importar_leaves_out_a_report_already_imported_byte_for_byte_and_says_so(data_copy, capsys):
    before = snapshot(data_copy)
    assert main(["--datos", str(data_copy), "importar", str(RAW_POA)]) == 0
    out = capsys.readouterr().out
    assert (
        f"{RAW_POA.name}: ya está en los datos (igual a data/raw/{RAW_POA.name}); no se importa de nuevo."
        in out
    )
    assert "No había nada nuevo que importar: los datos quedaron como estaban." in out
    assert "deshacer" not in out
    assert snapshot(data_copy) == before


def test_importar_with_reemplazar_rewrites_the_period_identically(data_copy):
    before = snapshot(data_copy)
    code = main(
        [
            "--datos",
            str(data_copy),
            "importar",
            str(RAW_POA),
            "--anio",
            "2024",
            "--cuatrimestre",
            "1",
            "--reemplazar",
        ]
    )
    assert code == 0
    after = snapshot(data_copy)
    assert {k: v for k, v in after.items() if not k.startswith(".deshacer")} == before


def test_deshacer_restores_the_table_and_removes_the_added_original(data_copy, tmp_path, capsys):
    before = snapshot(data_copy)
    assert main(["--datos", str(data_copy), "deshacer"]) == 2
    assert "Error: no hay ninguna importación que deshacer" in capsys.readouterr().err  # not «.deshacer: …»
    fixture = tmp_path / "c1_otra_copia.txt"
    fixture.write_bytes(RAW_POA.read_bytes().replace(b"\n", b"\r\n"))
    assert (
        main(
            [
                "--datos",
                str(data_copy),
                "importar",
                str(fixture),
                "--anio",
                "2024",
                "--cuatrimestre",
                "1",
                "--reemplazar",
            ]
        )
        == 0
    )
    assert snapshot(data_copy) != before
    assert main(["--datos", str(data_copy), "deshacer"]) == 0
    assert snapshot(data_copy) == before


def test_importar_refuses_a_corrupted_extract_and_leaves_data_byte_identical(data_copy, tmp_path, capsys):
    bad = tmp_path / "malo.txt"
    bad.write_bytes(RAW_POA.read_bytes().replace(b"1,507,152", b"1,507,153"))
    before = snapshot(data_copy)
    code = main(
        [
            "--datos",
            str(data_copy),
            "importar",
            str(bad),
            "--anio",
            "2024",
            "--cuatrimestre",
            "1",
            "--reemplazar",
        ]
    )
    assert code == 2
    err = capsys.readouterr().err
    assert "malo.txt, línea 12" in err and "subtotal" in err
    assert snapshot(data_copy) == before


def test_a_missing_argument_is_reported_in_spanish(capsys):
    with pytest.raises(SystemExit):
        main(["importar", "--cifras", "periodo"])
    assert "faltan argumentos obligatorios: ARCHIVO" in capsys.readouterr().err


def test_debug_shows_the_traceback_for_developers(data_copy, other_c1):
    with pytest.raises(Exception, match="ya está en los datos"):
        main(
            [
                "--debug",
                "--datos",
                str(data_copy),
                "importar",
                str(other_c1),
                "--anio",
                "2024",
                "--cuatrimestre",
                "1",
            ]
        )


def test_vista_refuses_a_period_without_data_in_spanish_and_leaves_no_trace(tmp_path, capsys):
    target = tmp_path / "vista"
    assert main(["vista", "--anio", "2031", "--cuatrimestre", "2", "--salida", str(target)]) == 2
    err = capsys.readouterr().err
    assert "no hay datos del POA para 2031" in err and "Traceback" not in err
    assert "No se publicó nada: el sitio quedó como estaba." in err
    assert not target.exists()


def test_vista_refuses_a_parameter_without_a_value(capsys):
    assert main(["vista", "-p", "nivel"]) == 2
    assert "se esperaba NOMBRE=VALOR; se recibió 'nivel'" in capsys.readouterr().err


@pytest.fixture
def builds(monkeypatch):
    """Replace the book build: record each call's arguments instead of running papermill."""
    from pei_analysis.publish import book

    calls = []

    def build_book(anio, cuatrimestre, output_dir=None, parameters=None, **options):
        calls.append(
            {
                "anio": anio,
                "cuatrimestre": cuatrimestre,
                "salida": output_dir,
                "parametros": parameters,
                **options,
            }
        )
        return output_dir

    monkeypatch.setattr(book, "build_book", build_book)
    return calls


def test_vista_passes_the_period_the_folders_and_the_parameters_read_as_yaml(builds, tmp_path):
    code = main(
        [
            "vista",
            "--anio",
            "2024",
            "--cuatrimestre",
            "1",
            "-p",
            "nivel=0.9",
            "-p",
            "umbrales={satisfactory: 85, at_risk: 65}",
            "--salida",
            str(tmp_path / "v"),
            "--datos",
            str(tmp_path),
            "--trabajos",
            "2",
        ]
    )
    assert code == 0
    assert builds == [
        {
            "anio": 2024,
            "cuatrimestre": 1,
            "salida": tmp_path / "v",
            "data_dir": tmp_path,
            "jobs": 2,
            "parametros": {"nivel": 0.9, "umbrales": {"satisfactory": 85, "at_risk": 65}},
        }
    ]


def test_the_data_folder_and_debug_may_come_before_or_after_the_command(builds, tmp_path):
    assert main(["--datos", str(tmp_path), "vista"]) == 0
    (tmp_path / "otra").mkdir()
    assert main(["vista", "--debug", "--datos", str(tmp_path / "otra")]) == 0
    assert [c["data_dir"] for c in builds] == [tmp_path, tmp_path / "otra"]
    assert builds[0]["anio"] == 2024 and builds[0]["cuatrimestre"] == 1 and builds[0]["salida"] is None


def test_a_failed_book_build_says_the_published_site_is_unchanged_and_debug_shows_the_traceback(
    monkeypatch, capsys
):
    from pei_analysis.errors import BuildError
    from pei_analysis.publish import archive

    def build_edition(*_, **__):
        raise BuildError("el cuaderno resumen.ipynb falló")

    monkeypatch.setattr(archive, "build_edition", build_edition)
    assert main(["edicion"]) == 2
    err = capsys.readouterr().err
    assert "Error: el cuaderno resumen.ipynb falló\nEl sitio publicado quedó como estaba." in err
    with pytest.raises(BuildError, match=re.escape("resumen.ipynb")):
        main(["edicion", "--debug"])


def test_every_command_has_spanish_help(capsys):
    for command in ("validar", "importar", "deshacer", "plantilla", "edicion", "vista"):
        with pytest.raises(SystemExit):
            main([command, "--help"])
        out = capsys.readouterr().out
        assert out.startswith(f"uso: pei-analysis {command}") and "muestra esta ayuda y termina" in out


def test_importar_into_a_data_folder_that_does_not_exist_creates_nothing(tmp_path, capsys):
    missing = tmp_path / "no_existe"
    code = main(["--datos", str(missing), "importar", str(RAW_POA), "--anio", "2024", "--cuatrimestre", "1"])
    assert code == 2 and "Traceback" not in capsys.readouterr().err
    assert not missing.exists()
    # said in one line that names the folder, not with the library's «[Errno 2] No such file or directory»
    for command in (["importar", str(RAW_POA)], ["validar"], ["deshacer"]):
        main(["--datos", str(missing), *command])
        err = capsys.readouterr().err
        assert f"no existe la carpeta de datos {missing}" in err and "Errno" not in err
    assert not missing.exists()


def test_a_data_folder_without_its_schemas_is_refused_naming_the_schema_it_lacks(tmp_path, capsys):
    assert main(["--datos", str(tmp_path), "validar"]) == 2
    err = capsys.readouterr().err
    assert (
        f"no existe el esquema {tmp_path / 'poa' / 'poa_ejecucion.schema.yaml'}" in err and "Errno" not in err
    )


def test_validar_names_the_line_the_period_and_the_figure_a_hand_edit_changed(data_copy, capsys):
    table = data_copy / "poa" / "poa_ejecucion.csv"
    lines = table.read_text(encoding="utf-8").split("\n")
    number = next(i for i, line in enumerate(lines) if ",1367720," in line)
    lines[number] = lines[number].replace(",1367720,", ",1244100,")
    table.write_text("\n".join(lines), encoding="utf-8")
    assert main(["--datos", str(data_copy), "validar"]) == 2
    assert capsys.readouterr().err.startswith(
        f"Error: poa_ejecucion.csv, línea {number + 1}, campo «ejecutado»: producto 4 (2024, cuatrimestre "
        "1): la tabla dice 1,244,100 y el original poa_2024_c1_sicoin_ejecucion_fisica.txt dice 1,367,720;"
    )
