"""The command line speaks Spanish, summarises the data, and refuses bad imports without writing."""

from __future__ import annotations

import subprocess
import sys

import pytest

from pei_analysis.cli import main
from pei_analysis.paths import REPO_DIR
from tests.conftest import RAW_POA, snapshot


def test_validar_prints_products_per_program_totals_and_checks(capsys):
    assert main(["validar"]) == 0
    out = capsys.readouterr().out
    assert "POA 2024, cuatrimestre 1: 36 productos" in out
    assert "11 SERVICIOS DE ATENCIÓN MÉDICA" in out and "12 PRESTACIONES PECUNIARIAS (pagos)" in out
    assert "6,749,865" not in out  # totals are per program, never a sum of payments and production
    assert "5,175,705" in out  # program 11 ejecutado
    assert "Verificaciones superadas" in out and "coinciden" in out


def test_python_dash_m_runs_the_command_line_in_spanish():
    done = subprocess.run(
        [sys.executable, "-m", "pei_analysis", "--help"], capture_output=True, text=True, cwd=REPO_DIR.parent, check=False
    )
    assert done.returncode == 0
    assert "uso: pei-analysis" in done.stdout and "muestra esta ayuda" in done.stdout


def test_importar_refuses_a_period_already_present_and_writes_nothing(data_copy, capsys):
    before = snapshot(data_copy)
    code = main(["--datos", str(data_copy), "importar", str(RAW_POA), "--anio", "2024", "--cuatrimestre", "1"])
    assert code == 2
    err = capsys.readouterr().err
    assert "ya está en los datos" in err and "Traceback" not in err
    assert snapshot(data_copy) == before


def test_importar_with_reemplazar_rewrites_the_period_identically(data_copy):
    before = snapshot(data_copy)
    code = main(["--datos", str(data_copy), "importar", str(RAW_POA), "--anio", "2024", "--cuatrimestre", "1",
                 "--reemplazar"])
    assert code == 0
    after = snapshot(data_copy)
    assert {k: v for k, v in after.items() if not k.startswith(".deshacer")} == before


def test_deshacer_restores_the_table_and_removes_the_added_original(data_copy, tmp_path, capsys):
    before = snapshot(data_copy)
    assert main(["--datos", str(data_copy), "deshacer"]) == 2
    assert "no hay ninguna importación que deshacer" in capsys.readouterr().err
    fixture = tmp_path / "c1_otra_copia.txt"
    fixture.write_bytes(RAW_POA.read_bytes().replace(b"\n", b"\r\n"))
    assert main(["--datos", str(data_copy), "importar", str(fixture), "--anio", "2024", "--cuatrimestre", "1",
                 "--reemplazar"]) == 0
    assert snapshot(data_copy) != before
    assert main(["--datos", str(data_copy), "deshacer"]) == 0
    assert snapshot(data_copy) == before


def test_importar_refuses_a_corrupted_extract_and_leaves_data_byte_identical(data_copy, tmp_path, capsys):
    bad = tmp_path / "malo.txt"
    bad.write_bytes(RAW_POA.read_bytes().replace(b"1,507,152", b"1,507,153"))
    before = snapshot(data_copy)
    code = main(["--datos", str(data_copy), "importar", str(bad), "--anio", "2024", "--cuatrimestre", "1",
                 "--reemplazar"])
    assert code == 2
    err = capsys.readouterr().err
    assert "malo.txt, línea 12" in err and "subtotal" in err
    assert snapshot(data_copy) == before


def test_a_missing_argument_is_reported_in_spanish(capsys):
    with pytest.raises(SystemExit):
        main(["importar", str(RAW_POA)])
    assert "faltan argumentos obligatorios" in capsys.readouterr().err


def test_debug_shows_the_traceback_for_developers(data_copy):
    with pytest.raises(Exception, match="ya está en los datos"):
        main(["--debug", "--datos", str(data_copy), "importar", str(RAW_POA), "--anio", "2024",
              "--cuatrimestre", "1"])
