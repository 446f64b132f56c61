"""``importar --revisar``: a batch checked as the import checks it, nothing written, all there is to settle
listed (pei_analysis.ingest.review, catalogue_proposals.propose).

The reports are SIMULATED (tests/unit/ingest/simulated_reports.py): the real 2024-C1 extract as the first
cuatrimestre of 2022 and 2023, with products renamed as a past year's report could name them.
"""

from __future__ import annotations

import csv
import io
import re

import pytest

from pei_analysis.cli import main
from pei_analysis.errors import DataError
from pei_analysis.ingest import journal
from pei_analysis.ingest.catalogue_proposals import UNKNOWN_KEY, propose
from pei_analysis.ingest.importer import import_files
from pei_analysis.ingest.review import review_files
from pei_analysis.ingest.sicoin import parse
from pei_analysis.tables.catalogue import CORRESPONDENCES_CSV, load_catalogue
from pei_analysis.tables.poa import load_poa
from tests.conftest import RAW_POA, snapshot
from tests.unit.ingest import simulated_reports as sim

HOSPITAL = ("hospitalización por enfermedad", "internamiento por enfermedad")
EMERGENCY = ("servicio de emergencia general", "servicio de urgencias")
COVID = ("COVID-19", "COVID")


def _renamed(anio: int, *changes: tuple[int, tuple[str, str]]) -> str:
    text = sim.report_of_year(anio)
    for number, (old, new) in changes:
        text = sim.rename(text, number, old, new)
    return text


def _two_years(folder) -> list:
    """2022 renames three products (two of one subprogram); 2023 keeps two of those new names."""
    return [
        sim.write(folder, "poa_2022_c1.txt", _renamed(2022, (3, HOSPITAL), (5, EMERGENCY), (36, COVID))),
        sim.write(folder, "poa_2023_c1.txt", _renamed(2023, (3, HOSPITAL), (5, EMERGENCY))),
    ]


def test_a_review_lists_every_renamed_product_of_the_batch_once_with_its_row_and_writes_nothing(
    tmp_path, data_copy
):
    before = snapshot(data_copy)
    review = review_files(_two_years(tmp_path), data_dir=data_copy)
    assert not review.importable and review.errores == ()
    # three descriptions, all of 2022: 2023 repeats two of them, which one row of 2022 settles
    assert [(item.where(), item.fila.rsplit(",", 1)[1]) for item in review.sin_pareja] == [
        ("poa_2022_c1.txt, línea 16", "11-02-ENF-1"),
        ("poa_2022_c1.txt, línea 18", "11-02-ENF-3"),
        ("poa_2022_c1.txt, línea 76", "94-01-SN-1"),
    ]
    assert [(r.anio, r.cuatrimestre) for r in review.lote.archivos] == [(2022, 1), (2023, 1)]
    assert snapshot(data_copy) == before


def test_the_proposed_rows_added_to_the_correspondence_file_let_the_same_batch_import(tmp_path, data_copy):
    files = _two_years(tmp_path)
    rows = [item.fila for item in review_files(files, data_dir=data_copy).sin_pareja]
    with (data_copy / CORRESPONDENCES_CSV).open("a", encoding="utf-8") as handle:
        handle.write("".join(f"{row}\n" for row in rows))
    assert review_files(files, data_dir=data_copy).importable
    import_files(files, data_dir=data_copy)
    poa = load_poa(data_copy).set_index(["anio", "producto"])["clave"]
    for anio in (2022, 2023):  # each renamed product kept its series, in the year renamed and the next
        assert (poa[(anio, 3)], poa[(anio, 5)]) == ("11-02-ENF-1", "11-02-ENF-3")
    assert poa[(2022, 36)] == "94-01-SN-1"
    assert set(load_catalogue(data_copy).productos["clave"]) == set(load_catalogue().productos["clave"])


def test_the_proposal_is_the_free_product_sharing_the_words_that_tell_the_subprogram_apart(tmp_path):
    report = sim.write(tmp_path, "r.txt", _renamed(2022, (3, HOSPITAL), (5, EMERGENCY)))
    rows = parse(report)
    catalogue = load_catalogue()
    shipped = load_poa().set_index("producto")["clave"]  # the other products matched as in 2024
    claves = [None if n in (3, 5) else shipped[n] for n in rows["producto"]]
    hospital = next(rows[rows["producto"] == 3].itertuples(index=False))
    assert propose(hospital, claves, catalogue, report).fila.endswith(",11-02-ENF-1")
    # a description that shares none of those words with either free product: the analyst chooses
    vague = hospital._replace(descripcion="Afiliados atendidos por enfermedad (ENF)")
    proposal = propose(vague, claves, catalogue, report)
    assert proposal.fila.endswith(f",{UNKNOWN_KEY}")
    assert "11-02-ENF-1 «Hospitalización por enfermedad», 11-02-ENF-3 «Emergencia por enfermedad»" in (
        proposal.hint
    )


def test_a_product_whose_subprogram_has_no_product_left_free_is_proposed_as_new(tmp_path):
    report = sim.write(tmp_path, "r.txt", _renamed(2022, (36, COVID)))
    rows = parse(report)
    covid = next(rows[rows["producto"] == 36].itertuples(index=False))
    proposal = propose(covid, [*load_poa()["clave"]], load_catalogue(), report)  # 94-01-SN-1 is taken
    assert proposal.fila.endswith(",nuevo")
    assert proposal.hint == "ningún producto del subprograma quedó sin pareja: parece un producto nuevo"


def test_products_whose_subprogram_changed_code_are_proposed_as_the_products_with_their_description(
    tmp_path, data_copy
):
    # 2022 numbers the subprogram of illness care 09, not 02: nothing of 11-09 is in the catalogue
    text = sim.report_of_year(2022).replace("02 <i>A</i>\tATENCIÓN MÉDICA", "09 <i>A</i>\tATENCIÓN MÉDICA")
    files = [sim.write(tmp_path, "poa_2022_c1.txt", text)]
    review = review_files(files, data_dir=data_copy)
    assert [item.fila.rsplit(",", 1)[1] for item in review.sin_pareja] == [
        "11-02-ENF-1",
        "11-02-ENF-2",
        "11-02-ENF-3",
    ]
    assert review.sin_pareja[2].hint == (
        "la misma descripción es la de 11-02-ENF-3 «Emergencia por enfermedad»: si el producto cambió de "
        "subprograma o de sigla, es ese"
    )
    with (data_copy / CORRESPONDENCES_CSV).open("a", encoding="utf-8") as handle:
        handle.write("".join(f"{item.fila}\n" for item in review.sin_pareja))
    import_files(files, data_dir=data_copy)
    moved = load_poa(data_copy).query("anio == 2022 and subprograma == '09'")
    assert moved["clave"].tolist() == ["11-02-ENF-1", "11-02-ENF-2", "11-02-ENF-3"]


def test_an_ambiguous_description_is_listed_once_a_year_with_the_products_to_choose_from(tmp_path, data_copy):
    # The catalogue (edited for the test) says 2023 described 11-02-ENF-3 as 2024 describes 11-02-ENF-2.
    consultas = load_catalogue(data_copy).por_anio.query("clave == '11-02-ENF-2'")["descripcion"].item()
    with (data_copy / "catalogo" / "productos_por_anio.csv").open("a", encoding="utf-8") as handle:
        handle.write(f'11-02-ENF-3,2023,5,"{consultas}"\n')
    files = [sim.write(tmp_path, f"poa_{y}_c1.txt", sim.report_of_year(y)) for y in (2021, 2022)]
    before = snapshot(data_copy)
    review = review_files(files, data_dir=data_copy)
    assert [(item.where(), item.fila.rsplit(",", 1)[1]) for item in review.sin_pareja] == [
        ("poa_2021_c1.txt, línea 17", UNKNOWN_KEY),
        ("poa_2022_c1.txt, línea 17", UNKNOWN_KEY),  # each year's report must say which product it is
    ]
    assert review.sin_pareja[0].hint == (
        "coincide con más de un producto: 11-02-ENF-2 «Consulta externa por enfermedad», 11-02-ENF-3 "
        "«Emergencia por enfermedad»; diga cuál es"
    )
    assert review.errores == () and len(review.lote.archivos) == 2 and snapshot(data_copy) == before
    rows = [item.fila.replace(UNKNOWN_KEY, "11-02-ENF-2") for item in review.sin_pareja]
    with (data_copy / CORRESPONDENCES_CSV).open("a", encoding="utf-8") as handle:
        handle.write("".join(f"{row}\n" for row in rows))
    import_files(files, data_dir=data_copy)
    assert set(load_poa(data_copy).query("producto == 4")["clave"]) == {"11-02-ENF-2"}


def test_a_clave_left_to_choose_is_refused_by_the_correspondence_schema(data_copy):
    with (data_copy / CORRESPONDENCES_CSV).open("a", encoding="utf-8") as handle:
        handle.write(f"2022,11,02,Algo,{UNKNOWN_KEY}\n")
    with pytest.raises(DataError, match=re.escape("correspondencias.csv, línea 2, campo «clave»")):
        load_catalogue(data_copy)


def test_a_review_lists_every_file_refused_on_its_own_not_only_the_first(tmp_path, data_copy):
    files = _two_years(tmp_path)
    for path in files:  # a subtotal that no longer adds up, in each file
        path.write_text(path.read_text(encoding="utf-8").replace("\t1,", "\t9,", 1), encoding="utf-8")
    review = review_files(files, data_dir=data_copy)
    assert [str(error).split(",")[0] for error in review.errores] == ["poa_2022_c1.txt", "poa_2023_c1.txt"]
    assert not review.importable and review.lote.archivos == ()


def test_a_review_of_a_folder_with_workbooks_it_does_not_read_lists_them_with_the_files_refused(
    tmp_path, data_copy
):
    files = _two_years(tmp_path)
    files[1].write_text(files[1].read_text(encoding="utf-8").replace("\t1,", "\t9,", 1), encoding="utf-8")
    (tmp_path / "viejo.xls").write_bytes(b"\xd0\xcf\x11\xe0")
    (tmp_path / "libro.ods").write_bytes(b"PK\x03\x04")
    review = review_files([tmp_path], data_dir=data_copy)
    assert [str(error).split(",")[0] for error in review.errores] == [
        "libro.ods",
        "viejo.xls",
        "poa_2023_c1.txt",
    ]
    assert not review.importable
    with pytest.raises(DataError, match=r"^libro\.ods"):  # the import itself stops at the first
        import_files([tmp_path], data_dir=data_copy)


def test_the_import_refusal_points_to_the_review(tmp_path, data_copy):
    with pytest.raises(
        DataError, match=r"\(y 2 más\).*«pei-analysis importar ARCHIVOS --revisar» lista todas las del lote"
    ):
        import_files(_two_years(tmp_path), data_dir=data_copy)


def test_importar_revisar_prints_the_rows_to_add_and_ends_with_1_or_0(tmp_path, data_copy, capsys):
    files = _two_years(tmp_path)
    args = ["--datos", str(data_copy), "importar", *map(str, files), "--revisar"]
    assert main(args) == 1
    out = capsys.readouterr().out
    assert (
        "3 descripciones que el catálogo de productos no reconoce (no coinciden con ninguna, o coinciden "
        "con más de una):" in out
    )
    rows = out.split("y agréguelas:\n")[1].split("\nRevisión:")[0].splitlines()
    parsed = [next(csv.reader(io.StringIO(row.strip()))) for row in rows]
    assert [(r[0], r[1], r[2], r[4]) for r in parsed] == [
        ("2022", "11", "02", "11-02-ENF-1"),
        ("2022", "11", "02", "11-02-ENF-3"),
        ("2022", "94", "01", "94-01-SN-1"),
    ]
    assert out.endswith("así no se importaría ningún archivo; resuelva lo de arriba. No se escribió nada.\n")
    assert "Una vez resuelto lo que sigue:\nSe importaría: 36 productos de 2022" in out
    assert "tabla que cambiaría" not in out  # the provisional products would add to the catalogue
    assert main([*args, "--producto-nuevo"]) == 0
    out = capsys.readouterr().out
    assert "Se importaría: 36 productos de 2022, cuatrimestre 1" in out
    assert "2022: 3 productos nuevos en el catálogo" in out and "Una vez resuelto" not in out
    assert f"  tabla que cambiaría: {data_copy / 'catalogo' / 'productos.csv'}" in out
    assert out.endswith(
        "Revisión: los archivos se importarían con la misma orden sin --revisar. No se escribió nada.\n"
    )
    assert load_poa(data_copy)["anio"].unique().tolist() == [2024]


def test_a_review_over_an_import_left_half_done_asks_for_validar_and_recovers_nothing(tmp_path, data_copy):
    pending = data_copy / journal.JOURNAL_DIR / journal.PENDING
    pending.parent.mkdir(exist_ok=True)
    pending.write_text("{}", encoding="utf-8")
    before = snapshot(data_copy)
    with pytest.raises(DataError, match="quedó a medias: «pei-analysis validar» la termina"):
        review_files(_two_years(tmp_path), data_dir=data_copy)
    assert snapshot(data_copy) == before


def test_a_report_already_imported_byte_for_byte_is_listed_as_left_out_and_does_not_stop_the_batch(
    data_copy, capsys
):
    before = snapshot(data_copy)
    review = review_files([RAW_POA], data_dir=data_copy)
    assert review.importable and review.lote.archivos == ()
    assert review.lote.repetidos == (
        f"{RAW_POA.name}: ya está en los datos (igual a data/raw/{RAW_POA.name}); no se importa de nuevo.",
    )
    assert main(["--datos", str(data_copy), "importar", str(RAW_POA), "--revisar"]) == 0
    assert "no se importa de nuevo" in capsys.readouterr().out
    assert snapshot(data_copy) == before


def test_every_figure_out_of_line_in_every_file_is_listed_at_once_where_the_import_stops_at_the_first(
    tmp_path, data_copy
):
    """A year like 2020: several services collapse at once (SIMULATED reports, tests/simulated_reports.py)."""
    from tests.simulated_reports import period_figures, write_report

    files = [write_report(tmp_path, f"poa_2021_c{c}.txt", 2021, c) for c in (1, 2, 3)]
    fallen = period_figures(2022, 1) | {
        2: period_figures(2022, 1)[2] // 10,
        3: period_figures(2022, 1)[3] // 10,
    }
    files.append(write_report(tmp_path, "poa_2022_c1.txt", 2022, 1, figures=fallen))
    soared = period_figures(2022, 2) | {5: period_figures(2022, 2)[5] * 10}
    files.append(write_report(tmp_path, "poa_2022_c2.txt", 2022, 2, figures=soared))
    before = snapshot(data_copy)
    review = review_files(files, cifras="periodo", data_dir=data_copy)
    assert not review.importable and review.sin_pareja == ()
    assert [(e.path.name, e.reason.split(":")[0]) for e in review.errores] == [
        ("poa_2022_c1.txt", "producto 2"),
        ("poa_2022_c1.txt", "producto 3"),
        ("poa_2022_c2.txt", "producto 5"),
    ]
    assert all("fuera de línea con su historia" in e.reason and e.line for e in review.errores)
    with pytest.raises(DataError, match=r"producto 2: .*fuera de línea"):
        import_files(files, cifras="periodo", data_dir=data_copy)
    assert snapshot(data_copy) == before
