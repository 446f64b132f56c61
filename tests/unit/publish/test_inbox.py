"""The inbox of the scheduled run (pei_analysis.publish.inbox): import what arrived, move it, publish it.

No book is built here: *build* is a stand-in that records which editions were asked for (the real
build is in tests/e2e/test_scheduled_run.py). The reports are DATOS DE PRUEBA (tests/fixtures/) or
SIMULATED ones (tests/simulated_reports.py), imported only into a temporary copy of data/.
"""

from __future__ import annotations

import datetime as dt
import json
import shutil
from pathlib import Path

import pytest

from evaluation.report_pdf import extract_to_pdf
from evaluation.report_sheet import extract_to_xlsx
from pei_analysis.cli import main
from pei_analysis.cli.publishing_commands import WOULD_REFUSE
from pei_analysis.errors import BuildError, DataError, InboxRefusal
from pei_analysis.files import LOCK_NAME
from pei_analysis.publish.archive import EditionResult
from pei_analysis.publish.inbox import (
    NOTHING_NEW,
    Inbox,
    describe_waiting,
    plan_editions,
    read_pending,
    run_inbox,
)
from pei_analysis.tables.poa import load_poa, periods
from tests.conftest import FIXTURES, RAW_POA, snapshot
from tests.simulated_reports import write_report

C2 = FIXTURES / "poa_2024_c2_prueba.txt"
CORRUPT_C3 = FIXTURES / "poa_2024_c3_corrupto.txt"
NOW = dt.datetime(2024, 9, 15, 6, 0, 3)


class Builds:
    """A stand-in for build_edition: remembers each edition asked for, and can fail on one."""

    def __init__(self, fail_on: tuple[int, int] | None = None) -> None:
        self.asked: list[tuple[int, int]] = []
        self.fail_on = fail_on

    def __call__(self, anio: int, cuatrimestre: int) -> EditionResult:
        self.asked.append((anio, cuatrimestre))
        if (anio, cuatrimestre) == self.fail_on:
            raise BuildError(f"el cuaderno resumen falló en la edición {anio}-c{cuatrimestre}")
        name = f"{anio}-c{cuatrimestre}"
        return EditionResult(
            anio, cuatrimestre, Path(name), True, "0123456789abcdef" * 4, f"Edición {name} construida."
        )


@pytest.fixture
def inbox(tmp_path: Path) -> Inbox:
    (tmp_path / "bandeja" / "entrada").mkdir(parents=True)
    (tmp_path / "bandeja" / "entrada" / ".gitkeep").touch()
    return Inbox(tmp_path / "bandeja")


def drop(inbox: Inbox, source: Path, name: str | None = None) -> Path:
    target = inbox.entrada / (name or source.name)
    shutil.copyfile(source, target)
    return target


def run(inbox: Inbox, data: Path, builds: Builds, lines: list[str] | None = None):
    said = lines if lines is not None else []
    return run_inbox(inbox.root, data_dir=data, build=builds, clock=lambda: NOW, say=said.append)


def test_an_empty_inbox_says_so_and_changes_nothing_not_even_a_lock_file(inbox, data_copy):
    before_inbox, before_data = snapshot(inbox.root), snapshot(data_copy)
    builds, lines = Builds(), []
    result = run(inbox, data_copy, builds, lines)
    assert lines == [NOTHING_NEW]
    assert result.procesados == () and result.ediciones == () and builds.asked == []
    assert snapshot(inbox.root) == before_inbox and snapshot(data_copy) == before_data
    assert not (inbox.root / LOCK_NAME).exists()


def test_a_new_report_is_imported_moved_to_a_dated_folder_logged_and_its_edition_published(inbox, data_copy):
    drop(inbox, C2)
    builds, lines = Builds(), []
    result = run(inbox, data_copy, builds, lines)

    assert periods(load_poa(data_copy)) == [(2024, 1), (2024, 2)]
    moved = inbox.procesados / "2024-09-15" / C2.name
    assert result.procesados == (moved,) and moved.read_bytes() == C2.read_bytes()
    assert [p.name for p in inbox.entrada.iterdir()] == [".gitkeep"]
    assert builds.asked == [(2024, 2)]
    log = inbox.registro.read_text(encoding="utf-8").splitlines()
    assert log == [
        (
            "2024-09-15 06:00:03  importado  poa_2024_c2_prueba.txt → "
            "procesados/2024-09-15/poa_2024_c2_prueba.txt "
            "(2024, cuatrimestre 2; original en data/raw/poa_2024_c2_sicoin_ejecucion_fisica.txt)"
        ),
        "2024-09-15 06:00:03  publicada  edición 2024-c2 (huella 0123456789ab)",
    ]
    assert any(line.startswith("Importado: 36 productos de 2024, cuatrimestre 2") for line in lines)
    assert not inbox.pendiente.exists() and not inbox.rechazado.exists()


def test_two_cuatrimestres_arriving_together_publish_both_editions_oldest_first(inbox, data_copy, tmp_path):
    drop(inbox, write_report(tmp_path / "sim", "c3.txt", 2024, 3))
    drop(inbox, write_report(tmp_path / "sim", "c2.txt", 2024, 2))
    builds = Builds()
    run(inbox, data_copy, builds)
    assert builds.asked == [(2024, 2), (2024, 3)]
    assert len(inbox.registro.read_text(encoding="utf-8").splitlines()) == 4


def test_past_years_arriving_alone_republish_only_the_latest_edition(inbox, data_copy, tmp_path):
    for cuatrimestre in (1, 2, 3):
        drop(inbox, write_report(tmp_path / "sim", f"poa_2023_c{cuatrimestre}.txt", 2023, cuatrimestre))
    builds = Builds()
    run(inbox, data_copy, builds)
    assert builds.asked == [(2024, 1)]
    assert periods(load_poa(data_copy))[:3] == [(2023, 1), (2023, 2), (2023, 3)]


def test_plan_editions_takes_the_latest_years_cuatrimestres_and_always_the_latest_period():
    available = [(2023, 1), (2023, 2), (2023, 3), (2024, 1), (2024, 2)]
    assert plan_editions([(2023, 2), (2024, 1), (2024, 2)], available) == [(2024, 1), (2024, 2)]
    assert plan_editions([(2022, None)], available) == [(2024, 2)]
    assert plan_editions([(2022, None)], []) == []


def test_a_refused_report_leaves_data_and_inbox_untouched_and_a_spanish_report_of_why(inbox, data_copy):
    drop(inbox, CORRUPT_C3)
    before_inbox, before_data = snapshot(inbox.entrada), snapshot(data_copy)
    builds = Builds()
    with pytest.raises(InboxRefusal) as refused:
        run(inbox, data_copy, builds)

    assert refused.value.path.name == CORRUPT_C3.name and refused.value.field == "periodo"
    assert snapshot(inbox.entrada) == before_inbox and snapshot(data_copy) == before_data
    assert builds.asked == [] and not inbox.procesados.exists() and not inbox.pendiente.exists()
    report = inbox.rechazado.read_text(encoding="utf-8")
    assert report.startswith("Reportes rechazados por la corrida del 15 de septiembre de 2024 a las 06:00.")
    where = "Archivo: poa_2024_c3_corrupto.txt\nLínea: 78\nCampo: periodo\n"
    assert f"{where}Por qué: el cuatrimestre no coincide" in report
    assert "No se importó ni se publicó nada" in report and "Qué hacer:" in report
    assert f"     .venv/bin/pei-analysis importar {inbox.entrada} --revisar\n" in report
    assert "2024-09-15 06:00:03  rechazado  poa_2024_c3_corrupto.txt, línea 78" in inbox.registro.read_text(
        encoding="utf-8"
    )


def test_one_bad_file_refuses_the_whole_inbox_all_or_nothing(inbox, data_copy):
    drop(inbox, C2)
    drop(inbox, CORRUPT_C3)
    before = snapshot(data_copy)
    with pytest.raises(InboxRefusal):
        run(inbox, data_copy, Builds())
    assert snapshot(data_copy) == before
    assert sorted(p.name for p in inbox.entrada.iterdir()) == [".gitkeep", C2.name, CORRUPT_C3.name]


def test_a_word_file_in_the_inbox_is_refused_with_what_the_inbox_accepts(inbox, data_copy):
    (inbox.entrada / "reporte.docx").write_bytes(b"PK\x03\x04")
    with pytest.raises(InboxRefusal, match=r"reporte de SICOIN en PDF \(\.pdf\)") as refused:
        run(inbox, data_copy, Builds())
    assert refused.value.field == "bandeja"
    assert "Archivo: reporte.docx" in inbox.rechazado.read_text(encoding="utf-8")


def test_every_file_the_run_cannot_read_is_named_with_its_reason_in_one_refusal(inbox, data_copy):
    drop(inbox, C2)
    (inbox.entrada / "nota.docx").write_bytes(b"PK\x03\x04")
    (inbox.entrada / "viejo.xls").write_bytes(b"\xd0\xcf\x11\xe0")
    (inbox.entrada / "sub").mkdir()
    before_inbox, before_data = snapshot(inbox.entrada), snapshot(data_copy)
    with pytest.raises(InboxRefusal) as refused:
        run(inbox, data_copy, Builds())

    assert str(refused.value) == (
        "no se pueden importar 3 archivos de la bandeja, por lo que son: nota.docx, sub y viejo.xls."
    )
    assert snapshot(inbox.entrada) == before_inbox and snapshot(data_copy) == before_data
    assert not inbox.procesados.exists() and not inbox.pendiente.exists()
    report = inbox.rechazado.read_text(encoding="utf-8")
    waiting = describe_waiting(inbox.root)
    for name in ("nota.docx", "sub", "viejo.xls"):
        said = next(line for line in waiting if line.startswith(f"En la bandeja: {name} ("))
        reason = said.removeprefix(f"En la bandeja: {name} (la corrida lo rechazará: ").removesuffix(")")
        assert f"\n  {name}: {reason}\n" in report
    assert "Archivos que la corrida no puede importar (3):" in report
    assert f"     .venv/bin/pei-analysis bandeja --bandeja {inbox.root} --revisar\n" in report
    assert "importar" not in report.split("Qué hacer:")[1].split("Archivos que había")[0]


def test_an_excel_97_workbook_in_the_inbox_is_refused_with_how_to_save_it(inbox, data_copy):
    (inbox.entrada / "poa_2024_c2.xls").write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1")
    with pytest.raises(
        InboxRefusal, match=r"no se lee un libro \.xls: .* y déjelo en la bandeja en lugar de este"
    ):
        run(inbox, data_copy, Builds())


def test_the_report_as_a_workbook_in_the_inbox_is_imported_and_published(inbox, data_copy):
    (inbox.entrada / "poa_2024_c2.xlsx").write_bytes(extract_to_xlsx(C2.read_text(encoding="utf-8")))
    builds = Builds()
    run(inbox, data_copy, builds)
    assert (data_copy / "raw" / "poa_2024_c2_sicoin_ejecucion_fisica.xlsx").is_file()
    assert builds.asked == [(2024, 2)]


def test_the_report_as_a_pdf_in_the_inbox_is_imported_and_published(inbox, data_copy):
    (inbox.entrada / "poa_2024_c2.pdf").write_bytes(extract_to_pdf(C2.read_text(encoding="utf-8")))
    builds = Builds()
    run(inbox, data_copy, builds)
    assert (data_copy / "raw" / "poa_2024_c2_sicoin_ejecucion_fisica.pdf").is_file()
    assert (2024, 2) in periods(load_poa(data_copy))
    assert builds.asked == [(2024, 2)]


def test_a_report_dropped_as_its_pdf_and_its_workbook_is_imported_once_and_both_files_moved(inbox, data_copy):
    text = C2.read_text(encoding="utf-8")
    (inbox.entrada / "poa_2024_c2.pdf").write_bytes(extract_to_pdf(text))
    (inbox.entrada / "poa_2024_c2.xlsx").write_bytes(extract_to_xlsx(text))
    builds, lines = Builds(), []
    run(inbox, data_copy, builds, lines)
    assert sorted(p.name for p in (data_copy / "raw").glob("poa_2024_c2_*")) == [
        "poa_2024_c2_sicoin_ejecucion_fisica.pdf"
    ]
    assert "poa_2024_c2.xlsx: el mismo reporte que poa_2024_c2.pdf" in "\n".join(lines)
    assert [p.name for p in inbox.entrada.iterdir() if not p.name.startswith(".")] == []
    log = inbox.registro.read_text(encoding="utf-8")
    assert "importado  poa_2024_c2.pdf" in log and "poa_2024_c2.xlsx" in log
    assert builds.asked == [(2024, 2)]


def test_the_run_after_a_refusal_imports_the_corrected_report_and_removes_the_refusal(inbox, data_copy):
    bad = drop(inbox, CORRUPT_C3)
    with pytest.raises(InboxRefusal):
        run(inbox, data_copy, Builds())
    bad.unlink()
    drop(inbox, C2)
    lines: list[str] = []
    run(inbox, data_copy, Builds(), lines)
    assert not inbox.rechazado.exists()
    assert "Se retiró RECHAZADO.txt: el rechazo anterior quedó resuelto." in lines


def test_a_report_already_in_data_raw_is_moved_not_imported_again(inbox, data_copy):
    drop(inbox, RAW_POA, "reporte_enero_abril.txt")
    before = snapshot(data_copy)
    builds, lines = Builds(), []
    run(inbox, data_copy, builds, lines)
    assert snapshot(data_copy) == before
    assert builds.asked == [(2024, 1)]
    assert (inbox.procesados / "2024-09-15" / "reporte_enero_abril.txt").exists()
    assert "ya estaba en los datos  reporte_enero_abril.txt" in inbox.registro.read_text(encoding="utf-8")
    assert (
        "reporte_enero_abril.txt: ya está en los datos (igual a data/raw/poa_2024_c1_sicoin_ejecucion_"
        "fisica.txt); no se importa de nuevo." in lines
    )


def test_a_file_of_the_same_name_processed_the_same_day_keeps_both_copies(inbox, data_copy):
    drop(inbox, RAW_POA, "reporte.txt")
    run(inbox, data_copy, Builds())
    drop(inbox, C2, "reporte.txt")
    run(inbox, data_copy, Builds())
    day = inbox.procesados / "2024-09-15"
    assert (day / "reporte.txt").read_bytes() == RAW_POA.read_bytes()
    assert (day / "reporte-2.txt").read_bytes() == C2.read_bytes()


def test_an_edition_that_fails_to_build_stays_pending_and_the_next_run_publishes_it(inbox, data_copy):
    drop(inbox, C2)
    with pytest.raises(BuildError):
        run(inbox, data_copy, Builds(fail_on=(2024, 2)))
    assert read_pending(inbox) == [(2024, 2)]
    assert not any(p.suffix == ".txt" for p in inbox.entrada.iterdir())  # imported and moved
    assert describe_waiting(inbox.root) == ["Pendiente de publicar: 2024-c2"]

    builds, lines = Builds(), []
    run(inbox, data_copy, builds, lines)
    assert builds.asked == [(2024, 2)] and not inbox.pendiente.exists()
    assert lines[0].startswith(
        "Aviso: una corrida anterior importó los reportes y no alcanzó a publicar 2024-c2"
    )
    assert periods(load_poa(data_copy)) == [(2024, 1), (2024, 2)]


def test_a_data_error_while_building_is_reported_as_a_pending_edition(inbox, data_copy):
    drop(inbox, C2)

    def broken(anio, cuatrimestre):
        raise DataError("la tabla de vínculos no cumple su esquema", field="clave")

    with pytest.raises(BuildError, match=r"la edición 2024-c2 no se pudo construir: .*vínculos"):
        run_inbox(inbox.root, data_dir=data_copy, build=broken, clock=lambda: NOW, say=lambda _: None)
    assert json.loads(inbox.pendiente.read_text(encoding="utf-8"))["ediciones"] == [[2024, 2]]


def test_revisar_lists_what_waits_and_exits_1_when_nothing_does(inbox, capsys):
    assert main(["bandeja", "--bandeja", str(inbox.root), "--revisar"]) == 1
    assert capsys.readouterr().out.strip() == NOTHING_NEW
    drop(inbox, C2)
    assert main(["bandeja", "--bandeja", str(inbox.root), "--revisar"]) == 0
    assert capsys.readouterr().out.strip() == f"En la bandeja: {C2.name}"


def test_revisar_says_which_waiting_file_the_run_will_refuse_and_exits_2_as_the_run_would(inbox, capsys):
    drop(inbox, C2)
    (inbox.entrada / "poa_2024_c3.xls").write_bytes(b"\xd0\xcf\x11\xe0")
    assert main(["bandeja", "--bandeja", str(inbox.root), "--revisar"]) == 2
    assert capsys.readouterr().out.splitlines() == [
        f"En la bandeja: {C2.name}",
        "En la bandeja: poa_2024_c3.xls (la corrida lo rechazará: no se lee un libro .xls: ábralo en Excel o "
        "LibreOffice, guárdelo como «Libro de Excel (.xlsx)» (Guardar como) y déjelo en la bandeja en lugar "
        "de este.)",
        WOULD_REFUSE,
    ]


def run_args(data: Path, inbox, site: Path) -> list[str]:
    """``pei-analysis bandeja`` on a copy of the data, a test inbox and a test site."""
    return ["--datos", str(data), "bandeja", "--bandeja", str(inbox.root), "--sitio", str(site)]


def test_revisar_exits_2_exactly_when_the_run_refuses_for_what_a_file_is(inbox, data_copy, tmp_path):
    (inbox.entrada / "sub").mkdir()
    assert main(["bandeja", "--bandeja", str(inbox.root), "--revisar"]) == 2
    assert main(run_args(data_copy, inbox, tmp_path / "s")) == 2 and inbox.rechazado.exists()
    (inbox.entrada / "sub").rmdir()
    drop(inbox, C2)
    assert main(["bandeja", "--bandeja", str(inbox.root), "--revisar"]) == 0


def test_revisar_help_says_what_each_exit_code_means(capsys):
    with pytest.raises(SystemExit):
        main(["bandeja", "--help"])
    help_text = " ".join(capsys.readouterr().out.split())
    assert (
        "sale con 0 si la corrida importaría o publicaría algo, con 1 si no hay nada que hacer" in help_text
    )
    assert "con 2, como la corrida al rechazar, si rechazaría algún archivo por su tipo" in help_text


def test_what_a_build_adds_to_say_is_said_by_the_run_after_its_edition(inbox, data_copy):
    drop(inbox, C2)
    note = "La versión anterior de 2024-c2 quedó en site/2024-c2_version_2024-09-14/ (confírmela en git…)."

    def build(anio, cuatrimestre):
        return EditionResult(anio, cuatrimestre, Path("x"), True, "0" * 64, "Edición construida.", (note,))

    lines: list[str] = []
    run_inbox(inbox.root, data_dir=data_copy, build=build, clock=lambda: NOW, say=lines.append)
    assert lines[-2:] == ["Edición construida.", note]


def test_the_command_refuses_with_exit_2_and_points_at_the_refusal_report(inbox, data_copy, tmp_path, capsys):
    drop(inbox, CORRUPT_C3)
    code = main(run_args(data_copy, inbox, tmp_path / "sitio"))
    err = capsys.readouterr().err
    assert code == 2
    assert err.startswith("Error: poa_2024_c3_corrupto.txt, línea 78, campo «periodo»")
    assert "la bandeja quedaron como estaban. El porqué y qué hacer están en RECHAZADO.txt" in err
    assert not (tmp_path / "sitio").exists()


def test_a_report_whose_kind_of_figures_is_unknown_is_imported_by_hand_and_the_next_run_publishes_it(
    inbox, data_copy
):
    """The inbox takes no options: RECHAZADO.txt says to import that file with --cifras, then leave it."""
    text = C2.read_text(encoding="utf-8")
    footerless = inbox.entrada / "sin_pie.txt"
    footerless.write_text(text[: text.rindex("Fuente:")], encoding="utf-8")
    with pytest.raises(InboxRefusal) as refused:
        run(inbox, data_copy, Builds())
    assert refused.value.field == "--cifras"
    report = inbox.rechazado.read_text(encoding="utf-8")
    assert "La bandeja no recibe opciones: importe ese archivo a mano con la opción --cifras" in report
    assert f"importar {footerless} --cifras ..." in report

    assert main(["importar", str(footerless), "--cifras", "periodo", "--datos", str(data_copy)]) == 0
    builds = Builds()
    run(inbox, data_copy, builds)
    assert builds.asked == [(2024, 2)] and not inbox.rechazado.exists()
    assert (inbox.procesados / "2024-09-15" / "sin_pie.txt").exists()
