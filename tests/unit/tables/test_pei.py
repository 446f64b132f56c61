"""The PEI 2018-2022 data against its source text, and the loader's refusals.

The expected structure is derived here, independently, from data/raw/pei_2018_2022_texto.txt: every
"E N:", "Meta N:" and "AE N:" marker is read with regular expressions, so a strategy, meta or action
dropped from (or added to) the YAML, or a text that drifts from the source, fails a test.
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pandas as pd
import pytest

from pei_analysis.errors import DataError
from pei_analysis.paths import DATA_DIR
from pei_analysis.tables.pei import PEI, PEI_SCHEMA, SENTIDOS, load_pei

RAW = DATA_DIR / "raw" / "pei_2018_2022_texto.txt"
YAML = Path("pei") / "pei_2018_2022.yaml"

_OBJ = re.compile(r"^\s*OBJETIVO (\d+)\b")
_MARKERS = {
    "estrategia": re.compile(r"^(E \d+(?:\.\d+)?):"),
    "meta": re.compile(r"^(Meta(?: \d+)?):"),
    "accion": re.compile(r"^(AE ?\d*):"),
}
# A marker's text runs until a blank line or a page header (indented "OBJETIVO" / "Estrategias").
_STOP = re.compile(r"^\s*$|^\s+(OBJETIVO|Estrategias)|^OBJETIVO ")


def _join(lines: list[str]) -> str:
    """Join extracted lines: rejoin words hyphenated at a line end, collapse whitespace."""
    out = ""
    for line in (raw.strip() for raw in lines):
        if out.endswith("-"):
            out = out[:-1] + line
        elif out:
            out = f"{out} {line}"
        else:
            out = line
    return re.sub(r"\s+", " ", out).strip()


def _source_items() -> list[tuple[str, str, str, int, str]]:
    """(objetivo_id, kind, rotulo, line, text) for every marker of the source, in order."""
    lines = RAW.read_text(encoding="utf-8").split("\n")
    items, objetivo, i = [], None, 0
    while i < len(lines):
        match = _OBJ.match(lines[i])
        if match:
            objetivo = f"O{match.group(1)}"
        for kind, pattern in _MARKERS.items():
            found = pattern.match(lines[i])
            if found:
                chunk = [lines[i][found.end() :]]
                j = i + 1
                while j < len(lines) and not _STOP.match(lines[j]):
                    chunk.append(lines[j])
                    j += 1
                items.append((objetivo, kind, found.group(1), i + 1, _join(chunk)))
                i = j - 1
                break
        i += 1
    return items


def _yaml_items(pei: PEI) -> list[tuple[str, str, str, int, str]]:
    """The same tuples from the loaded tables, walking the hierarchy in document order."""
    items = []
    for est in pei.estrategias.itertuples():
        items.append((est.objetivo_id, "estrategia", est.rotulo, est.linea_fuente, est.texto))
        for meta in pei.metas[pei.metas.estrategia_id == est.estrategia_id].itertuples():
            items.append((meta.objetivo_id, "meta", meta.rotulo, meta.linea_fuente, meta.texto))
            for ae in pei.acciones[pei.acciones.meta_id == meta.meta_id].itertuples():
                items.append((ae.objetivo_id, "accion", ae.rotulo, ae.linea_fuente, ae.texto))
        own = pei.acciones[(pei.acciones.estrategia_id == est.estrategia_id) & pei.acciones.meta_id.isna()]
        for ae in own.itertuples():
            items.append((ae.objetivo_id, "accion", ae.rotulo, ae.linea_fuente, ae.texto))
    return items


def _normalised_source() -> str:
    return re.sub(r"\s+", " ", re.sub(r"-[ \t]*\n\s*", "", RAW.read_text(encoding="utf-8")))


@pytest.fixture(scope="module")
def pei() -> PEI:
    return load_pei()


# --------------------------------------------------------------------------- completeness


def test_the_plan_has_the_five_objectives_named_in_the_concept_map(pei):
    text = RAW.read_text(encoding="utf-8")
    headers = {int(n) for n in re.findall(r"^\s*OBJETIVO (\d+)\b", text, flags=re.MULTILINE)}
    names = dict(re.findall(r"^Obj\. (\d+)\s+(.+?)\s*$", text, flags=re.MULTILINE))
    assert headers == {1, 2, 3, 4, 5}
    assert list(pei.objetivos["objetivo_id"]) == ["O1", "O2", "O3", "O4", "O5"]
    assert {f"O{n}": name for n, name in names.items()} == dict(
        zip(pei.objetivos.objetivo_id, pei.objetivos.nombre, strict=True)
    )


def test_counts_of_estrategias_metas_and_acciones_match_the_source_per_objective(pei):
    source = pd.DataFrame(_source_items(), columns=["objetivo_id", "kind", "rotulo", "linea", "texto"])
    expected = source.groupby(["objetivo_id", "kind"]).size().unstack(fill_value=0)
    assert (
        expected["estrategia"].sum() == 20 and expected["meta"].sum() == 36 and expected["accion"].sum() == 70
    )
    for table, kind in ((pei.estrategias, "estrategia"), (pei.metas, "meta"), (pei.acciones, "accion")):
        got = table.groupby("objetivo_id").size()
        assert got.to_dict() == expected[kind].to_dict(), kind


def test_every_estrategia_meta_and_accion_is_transcribed_verbatim_in_source_order(pei):
    source = _source_items()
    ours = _yaml_items(pei)
    assert len(ours) == len(source)
    for expected, got in zip(source, ours, strict=True):
        assert got == expected


def test_the_only_actions_kept_on_a_strategy_are_the_three_shared_by_the_metas_of_o1_e2_1(pei):
    on_strategy = pei.acciones[pei.acciones.meta_id.isna()]
    assert list(on_strategy.accion_id) == ["O1-E2.1-AE1", "O1-E2.1-AE2", "O1-E2.1-AE3"]
    assert pei.acciones[pei.acciones.estrategia_id == "O1-E2.1"].meta_id.isna().all()


def test_strategy_o1_e2_is_split_into_two_substrategies_with_no_metas_of_its_own(pei):
    subs = pei.estrategias[pei.estrategias.estrategia_padre_id == "O1-E2"]
    assert list(subs.estrategia_id) == ["O1-E2.1", "O1-E2.2"]
    assert pei.metas[pei.metas.estrategia_id == "O1-E2"].empty


def test_a_lone_meta_or_ae_label_gets_number_one(pei):
    lone_meta = pei.metas.set_index("meta_id").loc["O2-E3-M1"]
    assert (lone_meta.rotulo, lone_meta.numero) == ("Meta", 1)
    lone_ae = pei.acciones.set_index("accion_id").loc["O2-E2-M1-AE1"]
    assert (lone_ae.rotulo, lone_ae.numero) == ("AE", 1)


def test_mission_vision_principles_and_values_are_verbatim_from_the_source(pei):
    source = _normalised_source()
    assert pei.mision == (
        "Ser la institución líder de la seguridad social, que contribuye al bienestar socioeconómico "
        "de la población guatemalteca."
    )
    assert pei.vision.startswith("Para el año 2022 el IGSS ampliará la cobertura")
    assert pei.vision in source
    assert list(pei.principios.nombre) == [
        "Universalidad",
        "Solidaridad",
        "Obligatoriedad",
        "Participación Social",
        "Progresividad",
        "Inmediatez",
    ]
    assert list(pei.valores.nombre) == [
        "Responsabilidad",
        "Honestidad",
        "Actitud de servicio",
        "Lealtad",
        "La excelencia",
        "Decoro",
    ]
    for table in (pei.principios, pei.valores):
        for row in table.itertuples():
            assert f"•{row.nombre} {row.descripcion}" in source


def test_spot_checked_texts_keep_the_words_of_the_source_including_its_typos(pei):
    acciones = pei.acciones.set_index("accion_id").texto
    metas = pei.metas.set_index("meta_id").texto
    assert acciones["O2-E3-M1-AE3"] == (
        "La deuda del Estado al 31 de diciembre de 2017, asciende a Q 39,238,919,512.27 registrado "
        "contablemente en las cuentas por cobrar (partida 1138) y como pasivo (partida 2143)."
    )
    assert metas["O3-E1-M3"] == "Reducir las presas de cirugías programadas en un 75% para el año 2022."
    assert (
        metas["O5-E3-M1"]
        == "Desarrollar el Sistema de Información Gerencial de Monitoreo y Evaluación (SIGME)"
    )
    assert acciones["O3-E1-M4-AE2"].startswith("Desarrollar en Plan Maestro de Infraestructura")
    assert "afiliados" in metas["O1-E1-M1"] and "afi-" not in metas["O1-E1-M1"]


def test_the_concept_map_uses_exactly_the_five_objective_lists_of_the_source(pei):
    text = RAW.read_text(encoding="utf-8")
    block = text[text.index("Obj. 1") : text.index("EJES TEMÁTICOS\n\nSalud")]
    parts = [re.findall(r"^Obj\. (\d+)", part, flags=re.MULTILINE) for part in block.split("\n\n")]
    lists = sorted(tuple(f"O{n}" for n in numbers) for numbers in parts if numbers)
    assert len(lists) == 5
    ours = sorted(tuple(group.objetivo_id) for _, group in pei.mapa_ejes.groupby("eje_id", sort=False))
    assert ours == lists
    by_eje = pei.mapa_ejes.groupby("eje_id").objetivo_id.apply(set)
    assert "O2" in by_eje["EJ4"]  # Solidez Financiera serves the objective of the same name
    assert by_eje["EJ5"] == {"O3", "O5"}  # Comunicación: the only communication actions are in O3 and O5


# --------------------------------------------------------------------------- ids


def test_ids_are_unique_and_follow_the_stable_format(pei):
    all_ids = (
        list(pei.objetivos.objetivo_id)
        + list(pei.estrategias.estrategia_id)
        + list(pei.metas.meta_id)
        + list(pei.acciones.accion_id)
        + list(pei.ejes.eje_id)
    )
    assert len(all_ids) == len(set(all_ids))
    assert all(re.fullmatch(r"O[1-5]-E\d+(\.\d+)?", i) for i in pei.estrategias.estrategia_id)
    assert all(re.fullmatch(r"O[1-5]-E\d+(\.\d+)?-M\d+", i) for i in pei.metas.meta_id)
    assert all(re.fullmatch(r"O[1-5]-E\d+(\.\d+)?(-M\d+)?-AE\d+", i) for i in pei.acciones.accion_id)
    for row in pei.acciones.itertuples():
        parent = row.meta_id if isinstance(row.meta_id, str) else row.estrategia_id
        assert row.accion_id == f"{parent}-AE{row.numero}"
        assert row.estrategia_id.startswith(row.objetivo_id + "-")


def test_the_pei_can_be_read_by_attribute_or_by_key(pei):
    assert pei["metas"] is pei.metas
    assert {"objetivos", "estrategias", "metas", "acciones", "indicadores"} <= set(pei.keys())
    with pytest.raises(KeyError):
        pei["no_existe"]


def test_the_data_is_found_from_the_package_not_the_working_directory(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    assert len(load_pei().metas) == 36


# --------------------------------------------------------------------------- indicators


def test_the_state_debt_baseline_is_the_amount_at_31_december_2017(pei):
    row = pei.indicadores.set_index("meta_id").loc["O2-E3-M1"]
    assert row.linea_base_valor == pytest.approx(39_238_919_512.27, abs=0.001)
    assert row.linea_base_fecha == pd.Timestamp("2017-12-31")
    assert row.unidad == "quetzales" and row.sentido == "disminuir"
    assert pd.isna(row.meta_valor)  # the text sets no amount to reach


def test_the_subsidy_time_goes_from_50_days_to_15(pei):
    row = pei.indicadores.set_index("meta_id").loc["O3-E2-M3"]
    assert (row.linea_base_valor, row.meta_valor, row.unidad, row.sentido) == (50, 15, "días", "disminuir")
    assert pd.isna(row.linea_base_fecha) and pd.isna(row.meta_anio)  # the text gives neither


def test_every_meta_that_states_a_quantity_has_an_indicator_and_no_other_does(pei):
    quantity = re.compile(r"\d+(?:[.,]\d+)?\s*(%|días)")
    stating = {m.meta_id for m in pei.metas.itertuples() if quantity.search(m.texto)}
    # O2-E3-M1 states only years; its baseline amount is given by its AE 3 (see the YAML header).
    assert set(pei.indicadores.meta_id) == stating | {"O2-E3-M1"}
    assert len(pei.indicadores) == 12


def test_indicator_figures_are_the_ones_the_text_gives(pei):
    metas = pei.metas.set_index("meta_id").texto
    for row in pei.indicadores.itertuples():
        assert row.sentido in SENTIDOS
        if pd.notna(row.meta_valor) and row.meta_id != "O3-E2-M2":
            assert re.search(rf"\b{int(row.meta_valor)}\s*(%| días)", metas[row.meta_id]), row.meta_id
        if pd.notna(row.meta_anio) and "quinquenio" not in metas[row.meta_id]:
            assert str(row.meta_anio) in metas[row.meta_id], row.meta_id
    # O3-E2-M2: "30% en los años 2018 y 2019 y el 40% restante en el 2020" -> the whole backlog by 2020,
    # kept cumulative like meta_valor (30, 60, 100), so the last milestone is the target.
    hitos = pei.hitos[pei.hitos.meta_id == "O3-E2-M2"]
    assert list(zip(hitos.anio, hitos.valor, strict=True)) == [(2018, 30), (2019, 60), (2020, 100)]
    assert hitos.valor.diff().fillna(hitos.valor).tolist() == [30, 30, 40]  # the per-year words of the text
    assert hitos.valor.iloc[-1] == pei.indicadores.set_index("meta_id").loc["O3-E2-M2"].meta_valor


# --------------------------------------------------------------------------- refusals


def _corrupted(tmp_path: Path, old: str, new: str, count: int = 1) -> Path:
    data = tmp_path / "data"
    (data / "pei").mkdir(parents=True)
    text = (DATA_DIR / YAML).read_text(encoding="utf-8")
    assert old in text
    (data / YAML).write_text(text.replace(old, new, count), encoding="utf-8")
    shutil.copy(DATA_DIR / PEI_SCHEMA, data / PEI_SCHEMA)
    return data


def _line_of(data: Path, needle: str) -> int:
    lines = (data / YAML).read_text(encoding="utf-8").split("\n")
    return next(i for i, line in enumerate(lines, 1) if needle in line)


def test_a_copy_of_the_yaml_loads_from_another_data_dir(tmp_path):
    data = _corrupted(tmp_path, "mision:", "mision:")
    assert len(load_pei(data).acciones) == 70


def test_a_meta_without_its_text_is_refused_naming_the_meta_and_the_key(tmp_path):
    data = _corrupted(
        tmp_path,
        'rotulo: "Meta 2"\n            linea_fuente: 444\n            texto:',
        'rotulo: "Meta 2"\n            linea_fuente: 444\n            textos:',
    )
    with pytest.raises(DataError) as err:
        load_pei(data)
    message = str(err.value)
    assert "pei_2018_2022.yaml" in message and "O2-E2-M2" in message and "textos" in message
    assert err.value.line == _line_of(data, "textos:")


def test_a_missing_required_key_is_refused(tmp_path):
    data = _corrupted(tmp_path, '              sentido: "aumentar"\n', "")
    with pytest.raises(DataError, match=r"O1-E1-M1: falta la clave «sentido»") as err:
        load_pei(data)
    assert err.value.field == "objetivos[0].estrategias[0].metas[0].indicador"


def test_an_unknown_sentido_is_refused_listing_the_allowed_ones(tmp_path):
    data = _corrupted(tmp_path, 'sentido: "disminuir"', 'sentido: "bajar"')
    with pytest.raises(DataError) as err:
        load_pei(data)
    message = str(err.value)
    assert "O2-E2-M1" in message and "bajar" in message and "mantener_abajo" in message
    assert err.value.field.endswith("indicador.sentido")
    assert err.value.line == _line_of(data, 'sentido: "bajar"')


def test_a_duplicated_id_is_refused(tmp_path):
    data = _corrupted(tmp_path, "id: O1-E1-M1-AE2", "id: O1-E1-M1-AE1")
    with pytest.raises(DataError, match=r"«O1-E1-M1-AE1» está repetido"):
        load_pei(data)


def test_an_id_that_disagrees_with_its_parent_is_refused(tmp_path):
    data = _corrupted(tmp_path, "id: O3-E2-M3\n", "id: O3-E1-M3\n")
    with pytest.raises(DataError, match=r"repetido|se esperaba «O3-E2-M3»"):
        load_pei(data)
    data = _corrupted(tmp_path / "b", "- id: O4-E2-M1-AE1\n", "- id: O4-E2-M1-AE7\n")
    with pytest.raises(DataError, match=r"se esperaba «O4-E2-M1-AE1»"):
        load_pei(data)


def test_a_non_numeric_target_is_refused(tmp_path):
    data = _corrupted(tmp_path, "meta_valor: 30\n", 'meta_valor: "treinta"\n')
    with pytest.raises(DataError, match=r"O3-E1-M2.*'treinta'.*se esperaba un número"):
        load_pei(data)


def test_an_unquoted_or_impossible_baseline_date_is_refused(tmp_path):
    data = _corrupted(tmp_path, 'linea_base_fecha: "2017-12-31"', 'linea_base_fecha: "2017-12-32"')
    with pytest.raises(DataError, match=r"O2-E2-M1.*fecha ISO"):
        load_pei(data)


def test_an_eje_pointing_to_an_unknown_objective_is_refused(tmp_path):
    data = _corrupted(tmp_path, "objetivos: [O3, O5]", "objetivos: [O3, O6]")
    with pytest.raises(DataError, match=r"EJ5: el objetivo «O6» no existe"):
        load_pei(data)


def test_broken_yaml_is_refused_with_its_line(tmp_path):
    data = _corrupted(tmp_path, "mision: >-", "mision: [")
    with pytest.raises(DataError, match=r"YAML mal formado") as err:
        load_pei(data)
    assert err.value.line is not None


def test_a_missing_file_is_refused_naming_it(tmp_path):
    with pytest.raises(DataError, match=r"pei_2018_2022.yaml: no existe"):
        load_pei(tmp_path)
