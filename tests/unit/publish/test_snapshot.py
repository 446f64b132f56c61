"""The copy of the data an edition reads (pei_analysis.publish.snapshot): cut at its period, nothing later."""

from __future__ import annotations

from pei_analysis.paths import DATA_DIR
from pei_analysis.publish.snapshot import links_of, poa_up_to

HEADER = "anio,cuatrimestre,producto,descripcion,archivo_origen\n"


def test_the_poa_is_cut_after_the_period_and_the_cut_keeps_the_bytes_of_the_rows_it_keeps():
    c1 = '2024,1,1,"Uno, con coma",poa_2024_c1.txt\n2023,3,1,Antes,poa_2023_c3.txt\n'
    c2 = "2024,2,1,Dos,poa_2024_c2.txt\n2025,1,1,Después,poa_2025_c1.txt\n"
    text, cited = poa_up_to(HEADER + c1 + c2, 2024, 1)
    assert text == HEADER + c1
    assert cited == {"poa_2024_c1.txt", "poa_2023_c3.txt"}


def test_the_shipped_poa_cut_at_its_own_period_is_the_shipped_file():
    shipped = (DATA_DIR / "poa" / "poa_ejecucion.csv").read_text(encoding="utf-8")
    assert poa_up_to(shipped, 2024, 1)[0] == shipped


def test_links_to_a_product_the_edition_does_not_have_are_left_out_and_the_file_is_untouched_otherwise():
    links = (
        'clave,objetivo_id,estrategia_id,meta_id,razon\n11-01-DYC-1,O1,,,"a, b"\n'
        "11-01-DYC-2,O2,,,nuevo en 2025\n"
    )
    assert links_of(links, {"11-01-DYC-1", "11-01-DYC-2"}) is None
    assert (
        links_of(links, {"11-01-DYC-1"})
        == 'clave,objetivo_id,estrategia_id,meta_id,razon\n11-01-DYC-1,O1,,,"a, b"\n'
    )
