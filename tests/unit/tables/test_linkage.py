"""The POA ↔ PEI linkage table: its content, and the refusals an analyst's edit can trigger."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pandas as pd
import pytest

from pei_analysis.errors import DataError
from pei_analysis.paths import DATA_DIR
from pei_analysis.tables.catalogue import CATALOGUE_FILES, load_catalogue
from pei_analysis.tables.linkage import (
    COLUMNS,
    CONFIDENCE_LEVELS,
    DIRECT,
    LINK_TYPES,
    LINKAGE_CSV,
    LINKAGE_SCHEMA,
    linkage_schema,
    load_linkage,
)
from pei_analysis.tables.pei import PEI_SCHEMA, PEI_YAML, load_pei

#: A reason the schema accepts: it quotes (with «…») the product's words and the PEI element's.
REASON = "«Alimentos preparados y servidos» frente a «Prestaciones de Calidad»."


@pytest.fixture(scope="module")
def links() -> pd.DataFrame:
    return load_linkage()


def _data_copy(tmp_path: Path, csv_text: str | None = None, encoding: str = "utf-8") -> Path:
    """A data dir with the PEI, the product catalogue and the linkage table, and their schemas, only (no POA
    table: a link names a product by its catalogue key)."""
    data = tmp_path / "data"
    (data / "pei").mkdir(parents=True)
    (data / "vinculos").mkdir()
    (data / "catalogo").mkdir()
    schemas = [Path(str(name).replace(".csv", ".schema.yaml")) for name in CATALOGUE_FILES]
    for name in (PEI_YAML, PEI_SCHEMA, LINKAGE_SCHEMA, *CATALOGUE_FILES, *schemas):
        shutil.copy(DATA_DIR / name, data / name)
    if csv_text is None:
        csv_text = (DATA_DIR / LINKAGE_CSV).read_text(encoding="utf-8")
    (data / LINKAGE_CSV).write_text(csv_text, encoding=encoding)
    return data


def _replace_line(data: Path, line_number: int, new_line: str) -> None:
    path = data / LINKAGE_CSV
    lines = path.read_text(encoding="utf-8").split("\n")
    lines[line_number - 1] = new_line
    path.write_text("\n".join(lines), encoding="utf-8")


def test_every_one_of_the_36_poa_products_has_at_least_one_link(links):
    assert set(links.clave) == set(load_catalogue().productos["clave"])
    assert len(set(links.clave)) == 36
    assert list(links.columns) == COLUMNS


def test_every_link_cites_ids_that_exist_and_belong_to_each_other(links):
    pei = load_pei()
    estrategia_de = dict(zip(pei.estrategias.estrategia_id, pei.estrategias.objetivo_id, strict=True))
    meta_de = dict(zip(pei.metas.meta_id, pei.metas.estrategia_id, strict=True))
    for row in links.itertuples():
        assert row.objetivo_id in set(pei.objetivos.objetivo_id)
        if isinstance(row.estrategia_id, str):
            assert estrategia_de[row.estrategia_id] == row.objetivo_id
        if isinstance(row.meta_id, str):
            assert meta_de[row.meta_id] == row.estrategia_id
        assert row.razon.strip()


def test_key_products_are_direct_contributions_to_the_metas_that_name_them(links):
    direct = links[links["tipo"] == DIRECT]
    metas = direct.groupby("clave").meta_id.apply(lambda s: set(s.dropna()))
    assert "O3-E3-M2" in metas["15-02-PREV-1"]  # vacunas -> programa de vacunación
    assert "O3-E3-M1" in metas["15-01-PROM-1"]  # promoción -> programas preventivos
    assert "O3-E3-M1" in metas["15-03-PRO-1"]
    assert "O3-E2-M3" in metas["12-01-SN-1"]  # subsidios por incapacidad temporal: 50 -> 15 días
    assert "O3-E1-M2" in metas["11-02-ENF-2"]  # consulta externa -> 30 días hasta el especialista
    assert "O3-E1-M3" in metas["11-04-ACC-1"]  # cirugías -> presas de cirugías programadas
    strategies = direct.groupby("clave").estrategia_id.apply(set)
    assert "O3-E2" in strategies["12-11-SN-2"]  # pensiones de vejez -> tiempo de otorgamiento de pensiones


def test_the_table_loads_the_same_from_a_copy_without_a_poa_table(tmp_path, links):
    copy = load_linkage(_data_copy(tmp_path))
    pd.testing.assert_frame_equal(copy, links)


def test_a_csv_saved_with_a_byte_order_mark_is_read(tmp_path, links):
    text = (DATA_DIR / LINKAGE_CSV).read_text(encoding="utf-8")
    assert len(load_linkage(_data_copy(tmp_path, text, encoding="utf-8-sig"))) == len(links)


def test_an_unknown_meta_id_is_refused_naming_the_line_and_column(tmp_path):
    data = _data_copy(tmp_path)
    _replace_line(data, 3, f"11-01-SALI-1,O3,O3-E1,O3-E1-M9,contexto,media,{REASON},no")
    with pytest.raises(
        DataError, match=r"poa_pei\.csv, línea 3, campo «meta_id»: la meta «O3-E1-M9» no existe"
    ):
        load_linkage(data)


def test_an_empty_reason_is_refused_naming_the_line(tmp_path):
    data = _data_copy(tmp_path)
    _replace_line(data, 5, '11-02-ENF-2,O3,O3-E1,O3-E1-M2,contribucion_directa,media,"  ",no')
    with pytest.raises(DataError, match=r"línea 5, campo «razon»: la razón está vacía"):
        load_linkage(data)


def test_a_meta_filed_under_another_strategy_is_refused(tmp_path):
    data = _data_copy(tmp_path)
    _replace_line(data, 2, f"11-01-DYC-1,O3,O3-E2,O3-E1-M2,apoyo,media,{REASON},no")
    with pytest.raises(
        DataError, match=r"línea 2, campo «meta_id»: la meta «O3-E1-M2» pertenece a O3-E1, no a O3-E2"
    ):
        load_linkage(data)


def test_a_strategy_filed_under_another_objective_is_refused(tmp_path):
    data = _data_copy(tmp_path)
    _replace_line(data, 2, f"11-01-DYC-1,O2,O3-E1,,apoyo,media,{REASON},no")
    with pytest.raises(DataError, match=r"línea 2, campo «estrategia_id»: .*pertenece a O3, no a O2"):
        load_linkage(data)


def test_a_meta_without_its_strategy_is_refused(tmp_path):
    data = _data_copy(tmp_path)
    _replace_line(data, 2, f"11-01-DYC-1,O3,,O3-E1-M2,apoyo,media,{REASON},no")
    with pytest.raises(DataError, match=r"línea 2, campo «estrategia_id»: falta estrategia_id"):
        load_linkage(data)


def test_a_repeated_link_is_refused_naming_both_lines(tmp_path):
    text = (DATA_DIR / LINKAGE_CSV).read_text(encoding="utf-8").rstrip("\n")
    first = text.split("\n")[1]
    data = _data_copy(tmp_path, text + "\n" + first.replace("ninguna", "otra razón; ninguna") + "\n")
    last = len(text.split("\n")) + 1
    with pytest.raises(DataError, match=rf"línea {last}, campo «clave»: vínculo repetido.*línea 2\."):
        load_linkage(data)


@pytest.mark.parametrize(
    ("clave", "expected"), [("11-02-ENF-9", "no está en el catálogo"), ("4", "no está en el")]
)
def test_a_product_outside_the_catalogue_is_refused(tmp_path, clave, expected):
    data = _data_copy(tmp_path)
    _replace_line(data, 2, f"{clave},O3,O3-E1,,contexto,media,{REASON},no")
    with pytest.raises(DataError, match=rf"línea 2, campo «clave»: la clave «{clave}» {expected}"):
        load_linkage(data)


def test_a_link_names_the_product_by_its_catalogue_key_not_its_number_in_the_report(links):
    # Renumbering a product in a later report cannot move its links: they do not mention the number.
    assert "producto" not in links.columns
    assert links.loc[links["clave"] == "11-02-ENF-2", "meta_id"].dropna().tolist() == ["O3-E1-M2"]


def test_a_wrong_header_is_refused_on_line_one(tmp_path):
    text = (DATA_DIR / LINKAGE_CSV).read_text(encoding="utf-8").replace("meta_id", "meta", 1)
    with pytest.raises(DataError, match=r"línea 1: cabecera no válida \(faltan meta_id; sobran meta\)"):
        load_linkage(_data_copy(tmp_path, text))


def test_a_row_with_a_missing_comma_is_refused_naming_the_line(tmp_path):
    data = _data_copy(tmp_path)
    _replace_line(data, 4, "3,O3,O3-E1-M3,Una razón sin estrategia.")
    with pytest.raises(DataError, match=r"línea 4: la fila tiene 4 campos"):
        load_linkage(data)


# ---------------------------------------------------------------- link types and reasons (issue #21)


def _quotes(text: str) -> list[str]:
    return re.findall(r"«([^»]+)»", text)


def _cites(quote: str, source: str) -> bool:
    """A quote is in a source when each of its pieces (split at «…») is, spaces aside."""
    flat = " ".join(source.split())
    pieces = [p.strip(" .") for p in quote.split("…")]
    return all(" ".join(p.split()) in flat for p in pieces if p)


def _pei_texts(pei) -> dict[str, list[str]]:
    """Each PEI id → the words a reason may quote for it: its own text (or name) and its actions'."""
    texts = {o.objetivo_id: [o.nombre] for o in pei.objetivos.itertuples()}
    for s in pei.estrategias.itertuples():
        loose = pei.acciones[(pei.acciones.estrategia_id == s.estrategia_id) & pei.acciones.meta_id.isna()]
        texts[s.estrategia_id] = [s.texto, *loose.texto]
    for m in pei.metas.itertuples():
        texts[m.meta_id] = [m.texto, *pei.acciones.loc[pei.acciones.meta_id == m.meta_id, "texto"]]
    return texts


def test_every_link_has_a_type_from_the_closed_list_and_says_whether_it_uses_outside_knowledge(links):
    assert set(links["tipo"]) <= set(LINK_TYPES)
    assert links["tipo"].notna().all()
    assert links["fuente_externa"].str.fullmatch(r"no|sí: .+").all()


def test_the_link_types_of_the_code_are_the_closed_list_of_the_schema():
    assert tuple(linkage_schema().column("tipo")["valores"]) == LINK_TYPES


def test_every_reason_quotes_the_products_description_and_the_pei_element_it_links(links):
    descriptions = load_catalogue().por_anio.groupby("clave")["descripcion"].agg(" | ".join)  # every year's
    pei = load_pei()
    texts = _pei_texts(pei)
    every_pei_text = [t for ts in texts.values() for t in ts]
    for row in links.itertuples():
        quotes = _quotes(row.razon)
        assert len(quotes) >= 2, row.razon
        element = [
            t
            for i in (row.objetivo_id, row.estrategia_id, row.meta_id)
            if isinstance(i, str)
            for t in texts[i]
        ]
        assert any(_cites(q, descriptions[row.clave]) for q in quotes), (row.clave, row.razon)
        assert any(_cites(q, t) for q in quotes for t in element), (row.clave, row.meta_id, row.razon)
        for q in quotes:  # nothing in «…» that neither document says
            assert _cites(q, descriptions[row.clave]) or any(_cites(q, t) for t in every_pei_text), q


def test_the_wrong_links_named_in_issue_21_are_gone(links):
    pairs = set(zip(links["clave"], links["meta_id"].fillna(""), strict=True))
    assert ("11-02-ENF-1", "O3-E1-M3") not in pairs  # hospitalización médica ≠ presas de cirugías
    assert ("11-06-JUB-1", "O3-E1-M3") not in pairs
    assert ("11-05-REH-2", "O3-E1-M2") not in pairs  # fisioterapia ≠ medicina general → especialista
    assert set(links.loc[links["clave"] == "11-01-DYC-1", "tipo"]) <= {"apoyo", "contexto"}


def test_care_for_state_retirees_is_only_context_for_the_meta_on_the_states_payment(links):
    retirees = links[links["meta_id"] == "O2-E5-M2"]
    assert set(retirees["clave"]) == {"11-06-JUB-1", "11-06-JUB-2", "11-06-JUB-3"}
    assert set(retirees["tipo"]) == {"contexto"}
    assert retirees["fuente_externa"].str.startswith("sí: ").all()  # «clases pasivas» is not in the report


def test_precapi_links_to_coverage_are_context_and_say_they_rest_on_outside_knowledge(links):
    coverage = links[links["objetivo_id"] == "O1"]
    assert len(coverage) and set(coverage["tipo"]) == {"contexto"}
    assert coverage["fuente_externa"].str.contains("PRECAPI").all()


def test_the_vaccines_bought_through_ops_are_linked_to_international_cooperation(links):
    row = links[(links["clave"] == "15-03-PRO-2") & (links["meta_id"] == "O5-E4-M1")]
    assert len(row) == 1 and row["tipo"].iloc[0] != DIRECT


def test_an_unknown_link_type_is_refused_naming_the_line_and_field(tmp_path):
    data = _data_copy(tmp_path)
    _replace_line(data, 3, f"11-01-SALI-1,O3,,,directa,media,{REASON},no")
    with pytest.raises(
        DataError,
        match=r"poa_pei\.csv, línea 3, campo «tipo»: tipo «directa» no válido; "
        r"se esperaba uno de: contribucion_directa, apoyo, contexto",
    ):
        load_linkage(data)


def test_a_reason_that_quotes_neither_document_is_refused(tmp_path):
    data = _data_copy(tmp_path)
    _replace_line(data, 3, "11-01-SALI-1,O3,,,contexto,media,La alimentación es parte de la calidad.,no")
    with pytest.raises(DataError, match=r"línea 3, campo «razon»: la razón no cita las dos fuentes"):
        load_linkage(data)


def test_outside_knowledge_must_be_said_as_no_or_as_si_with_what_it_is(tmp_path):
    data = _data_copy(tmp_path)
    _replace_line(data, 3, f"11-01-SALI-1,O3,,,contexto,media,{REASON},tal vez")
    with pytest.raises(DataError, match=r"línea 3, campo «fuente_externa»: fuente_externa «tal vez» no "):
        load_linkage(data)


# ------------------------------------------------------- the confidence of each link (issue #21, item 3)


def test_every_link_carries_its_own_confidence_from_the_closed_list(links):
    assert links["confianza"].notna().all()
    assert set(links["confianza"]) <= set(CONFIDENCE_LEVELS)
    assert tuple(linkage_schema().column("confianza")["valores"]) == CONFIDENCE_LEVELS


def test_a_link_resting_on_outside_knowledge_is_never_of_high_confidence(links):
    outside = links[links["fuente_externa"].str.startswith("sí")]
    assert len(outside)  # the PRECAPI, clases pasivas and OPS rows
    assert "alta" not in set(outside["confianza"])


def test_a_count_that_mixes_things_is_not_of_high_confidence(links):
    # The reasons that say the product's count mixes what the element names with something else.
    mixed = links[links["razon"].str.contains("mezcla")]
    assert len(mixed) and "alta" not in set(mixed["confianza"])


def test_the_links_that_name_the_very_payment_or_service_are_of_high_confidence(links):
    def confidence(clave: str, meta_id: str) -> str:
        return links.loc[(links["clave"] == clave) & (links["meta_id"] == meta_id), "confianza"].item()

    assert confidence("12-01-SN-1", "O3-E2-M3") == "alta"  # «subsidios por incapacidad temporal»
    assert confidence("15-02-PREV-1", "O3-E3-M2") == "alta"  # vaccine doses → «programa de vacunación»
    assert confidence("11-04-ACC-1", "O3-E1-M3") == "media"  # surgery mixed with accidents


def test_an_unknown_confidence_is_refused_naming_the_line_and_field(tmp_path):
    data = _data_copy(tmp_path)
    _replace_line(data, 3, f"11-01-SALI-1,O3,,,contexto,segura,{REASON},no")
    with pytest.raises(
        DataError,
        match=r"poa_pei\.csv, línea 3, campo «confianza»: confianza «segura» no válida; "
        r"se esperaba una de: alta, media, baja",
    ):
        load_linkage(data)


def test_an_empty_confidence_is_refused_naming_the_line_and_field(tmp_path):
    data = _data_copy(tmp_path)
    _replace_line(data, 3, f"11-01-SALI-1,O3,,,contexto,,{REASON},no")
    with pytest.raises(DataError, match=r"línea 3, campo «confianza»: la confianza está vacía"):
        load_linkage(data)


def test_high_confidence_with_outside_knowledge_is_refused(tmp_path):
    data = _data_copy(tmp_path)
    _replace_line(data, 3, f"11-01-SALI-1,O3,,,contexto,alta,{REASON},sí: lo dice otra fuente.")
    with pytest.raises(DataError, match=r"línea 3, campo «confianza»: confianza «alta» con fuente_externa"):
        load_linkage(data)
