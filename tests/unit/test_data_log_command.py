"""The data log's check command speaks Spanish, like every other command of the project."""

import pytest

from pei_analysis.cli.data_log import main


def test_the_data_log_command_explains_itself_in_spanish(capsys):
    with pytest.raises(SystemExit) as stop:
        main(["--help"])
    assert stop.value.code == 0
    out = capsys.readouterr().out
    assert out.startswith("uso: python -m pei_analysis.cli.data_log")
    assert "opciones:" in out and "muestra esta ayuda y termina" in out and "--datos CARPETA" in out


def test_an_unknown_option_is_refused_in_spanish(capsys):
    with pytest.raises(SystemExit) as stop:
        main(["--zz"])
    assert stop.value.code == 2
    assert "argumentos no reconocidos: --zz" in capsys.readouterr().err


def test_the_shipped_data_log_and_package_agree_with_the_schemas(capsys):
    assert main([]) == 0
    assert capsys.readouterr().out.count("coincide con los esquemas.") == 2
