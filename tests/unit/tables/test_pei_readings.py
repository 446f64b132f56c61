"""What the PEI file says that is this publication's reading, and the words it quotes for it.

Deadlines and named units must be words of their element; the indicator fields follow the text
(a year without a figure is a deadline, milestones accumulate, «por encima» is strict); and every
interpretation is data with a confidence, a reason and source lines that exist.
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pandas as pd
import pytest

from pei_analysis.errors import DataError
from pei_analysis.paths import DATA_DIR
from pei_analysis.tables.pei import PEI, PEI_SCHEMA, load_pei
from pei_analysis.tables.pei_rules import INTERPRETATION_PARTS

RAW = DATA_DIR / "raw" / "pei_2018_2022_texto.txt"
YAML = Path("pei") / "pei_2018_2022.yaml"


@pytest.fixture(scope="module")
def pei() -> PEI:
    return load_pei()


def _corrupted(tmp_path: Path, old: str, new: str) -> Path:
    data = tmp_path / "data"
    (data / "pei").mkdir(parents=True)
    text = (DATA_DIR / YAML).read_text(encoding="utf-8")
    assert text.count(old) == 1, old
    (data / YAML).write_text(text.replace(old, new), encoding="utf-8")
    shutil.copy(DATA_DIR / PEI_SCHEMA, data / PEI_SCHEMA)
    return data


def _texts(pei: PEI) -> dict[str, str]:
    metas = dict(zip(pei.metas.meta_id, pei.metas.texto, strict=True))
    return {**metas, **dict(zip(pei.acciones.accion_id, pei.acciones.texto, strict=True))}


# --------------------------------------------------------------------------- indicator fields


def test_the_year_of_the_state_debt_meta_is_a_deadline_for_the_mechanism_not_a_target_year(pei):
    row = pei.indicadores.set_index("meta_id").loc["O2-E3-M1"]
    assert pd.isna(row.meta_anio) and pd.isna(row.meta_valor)
    assert "plazo" in row.nota and "meta_anio queda null" in row.nota
    plazos = pei.plazos[pei.plazos.elemento_id == "O2-E3-M1"]
    assert list(zip(plazos.texto, plazos.clase, plazos.anio, strict=True)) == [
        ("para el año 2019", "hasta", 2019),
        ("a partir del año 2020", "desde", 2020),
    ]


def test_a_target_year_without_a_target_figure_is_refused_as_a_deadline(tmp_path):
    data = _corrupted(
        tmp_path,
        '              meta_valor: null\n              meta_anio: null\n              sentido: "disminuir"',
        '              meta_valor: null\n              meta_anio: 2019\n              sentido: "disminuir"',
    )
    with pytest.raises(DataError, match=r"O2-E3-M1: un año sin cifra de meta es un plazo") as err:
        load_pei(data)
    assert err.value.field.endswith("indicador.meta_anio")


def test_a_target_year_the_text_does_not_give_as_a_deadline_is_refused(tmp_path):
    data = _corrupted(
        tmp_path,
        "meta_valor: 75\n              meta_anio: 2022",
        "meta_valor: 75\n              meta_anio: 2021",
    )
    with pytest.raises(DataError, match=r"O3-E1-M3: meta_anio 2021 no es el año de ningún plazo"):
        load_pei(data)


def test_the_pension_backlog_milestones_are_cumulative_and_end_at_the_target(pei):
    ind = pei.indicadores.set_index("meta_id").loc["O3-E2-M2"]
    hitos = pei.hitos[pei.hitos.meta_id == "O3-E2-M2"]
    assert hitos.valor.is_monotonic_increasing
    assert (hitos.anio.iloc[-1], hitos.valor.iloc[-1]) == (ind.meta_anio, ind.meta_valor)
    assert "acumulada" in ind.nota


def test_per_year_milestones_are_refused(tmp_path):
    data = _corrupted(
        tmp_path,
        "- {anio: 2019, valor: 60}\n                - {anio: 2020, valor: 100}",
        "- {anio: 2019, valor: 30}\n                - {anio: 2020, valor: 40}",
    )
    with pytest.raises(DataError, match=r"O3-E2-M2: los hitos son acumulados") as err:
        load_pei(data)
    assert err.value.field.endswith("indicador.hitos")


def test_milestones_that_stop_short_of_the_target_are_refused(tmp_path):
    data = _corrupted(tmp_path, "- {anio: 2020, valor: 100}", "- {anio: 2020, valor: 90}")
    with pytest.raises(DataError, match=r"O3-E2-M2: el último hito \(2020: 90\) debe ser la meta"):
        load_pei(data)


def test_above_25_percent_is_strict_and_not_exceeding_10_percent_is_not(pei):
    ind = pei.indicadores.set_index("meta_id")
    assert "por encima del 25%" in pei.metas.set_index("meta_id").texto["O2-E5-M1"]
    assert ind.loc["O2-E5-M1", "estricto"] is True
    assert "no debe superar el 10%" in pei.metas.set_index("meta_id").texto["O2-E2-M4"]
    assert ind.loc["O2-E2-M4", "estricto"] is False


def test_strictness_on_a_meta_that_is_not_a_threshold_is_refused(tmp_path):
    data = _corrupted(
        tmp_path,
        '              meta_anio: 2020\n              sentido: "disminuir"\n',
        '              meta_anio: 2020\n              sentido: "disminuir"\n              estricto: true\n',
    )
    with pytest.raises(DataError, match=r"O3-E2-M2: «estricto» solo vale en metas de umbral"):
        load_pei(data)


# --------------------------------------------------------------------------- deadlines and actors


def test_every_deadline_and_named_unit_quotes_the_words_of_its_element(pei):
    texts = {k: " ".join(v.split()) for k, v in _texts(pei).items()}
    for plazo in pei.plazos.itertuples():
        assert plazo.texto in texts[plazo.elemento_id], plazo
    for actor in pei.actores.itertuples():
        words = actor.texto if isinstance(actor.texto, str) else actor.actor
        assert words in texts[actor.elemento_id], actor


def test_the_deadlines_the_issue_names_are_recorded_with_their_dates(pei):
    plazos = pei.plazos.set_index("elemento_id")
    semester = plazos.loc["O4-E2-M1"]
    expected = ("para el primer semestre del 2018", "hasta", 2018)
    assert (semester.texto, semester.clase, semester.anio) == expected
    assert semester.fecha == pd.Timestamp("2018-06-30")
    assert tuple(plazos.loc["O2-E2-M3", ["texto", "clase"]]) == ("a partir del 2019", "desde")
    yearly = pei.plazos[pei.plazos.clase == "cada_anio"]
    assert set(yearly.texto) <= {"anualmente", "anual"} and yearly.anio.isna().all()
    assert {"O1-E2.1-M1", "O2-E5-M1"} <= set(yearly.elemento_id)


def test_every_year_a_meta_or_action_gives_as_a_deadline_is_recorded(pei):
    years = re.compile(r"(?:para el|al año|a partir del|en el) (?:año )?(20\d\d)")
    recorded = set(zip(pei.plazos.elemento_id, pei.plazos.anio.astype("float"), strict=True))
    # «la deuda nueva generada para el 2019»: the year of a debt, not a deadline of the action.
    not_deadlines = {("O2-E2-M3-AE1", "2019")}
    for element, text in _texts(pei).items():
        for year in years.findall(" ".join(text.split())):
            assert (element, float(year)) in recorded or (element, year) in not_deadlines, (element, year)


def test_the_units_and_partners_the_issue_names_are_recorded(pei):
    actors = set(pei.actores.actor)
    assert {
        "Contraloría General del IGSS",
        "Consejo Técnico del IGSS",
        "Junta Directiva",
        "Oficina Nacional de Servicio Civil (ONSEC)",
        "OPS",
        "UNICEF",
        "Asociación Internacional de Seguridad Social (AISS)",
        "Banco de Guatemala",
    } <= actors
    assert set(pei.actores.tipo) == {"igss", "externo"}
    # one name per actor: the same actor is always of the same kind
    assert pei.actores.groupby("actor")["tipo"].nunique().max() == 1


def test_a_named_unit_that_is_not_in_its_element_is_refused(tmp_path):
    data = _corrupted(
        tmp_path,
        '- {actor: "Banco de Guatemala", tipo: externo}',
        '- {actor: "Banco de México", tipo: externo}',
    )
    with pytest.raises(DataError, match=r"O2-E4-M1: «Banco de México» no está en el texto") as err:
        load_pei(data)
    assert err.value.field.endswith("actores[0].actor")


def test_a_dated_deadline_without_a_year_or_with_a_date_in_another_year_is_refused(tmp_path):
    dated = 'clase: hasta, anio: 2018, fecha: "2018-06-30"'
    data = _corrupted(tmp_path, dated, 'clase: hasta, fecha: "2018-06-30"')
    with pytest.raises(DataError, match=r"O4-E2-M1: un plazo «hasta» necesita anio"):
        load_pei(data)
    data = _corrupted(tmp_path / "b", 'anio: 2018, fecha: "2018-06-30"', 'anio: 2018, fecha: "2019-06-30"')
    with pytest.raises(DataError, match=r"O4-E2-M1: la fecha 2019-06-30 no es del año 2018"):
        load_pei(data)


# --------------------------------------------------------------------------- interpretations


def test_the_readings_the_issue_names_are_flagged_as_interpretations(pei):
    interp = pei.interpretaciones.set_index("afecta")
    for part in ("mision_vision", "mapa_ejes", "indicadores", "vinculos", "documento"):
        assert part in interp.index, part
    assert interp.loc["mision_vision", "confianza"] == "baja"
    assert "Ser la institución líder" in interp.loc["mision_vision", "razon"]
    assert "209-229" in interp.loc["mapa_ejes", "razon"]
    assert "imposible" not in interp.loc["mapa_ejes", "razon"]
    assert "12 indicadores" in interp.loc["indicadores", "interpretacion"]
    for meta_id in ("O2-E3-M1", "O3-E2-M2", "O2-E5-M1"):  # the three corrected indicator fields
        assert meta_id in interp.index, meta_id


def test_every_interpretation_has_a_confidence_a_reason_and_source_lines_that_exist(pei):
    n_lines = len(RAW.read_text(encoding="utf-8").split("\n"))
    for row in pei.interpretaciones.itertuples():
        assert row.confianza in {"alta", "media", "baja"} and len(row.razon) > 40
        if row.afecta == "vinculos":
            continue  # about the links, which neither source document states
        for part in row.lineas_fuente.split(", "):
            first, _, last = part.partition("-")
            assert 1 <= int(first) <= int(last or first) <= n_lines, (row.interpretacion_id, part)


def test_the_yaml_no_longer_calls_the_direct_eje_pairing_impossible():
    text = (DATA_DIR / YAML).read_text(encoding="utf-8")
    assert "es imposible" not in text and "209-229" in text


def test_an_interpretation_about_nothing_is_refused(tmp_path):
    data = _corrupted(tmp_path, "afecta: mapa_ejes\n", "afecta: mapa_de_ejes\n")
    with pytest.raises(DataError, match=r"mapa-ejes: afecta «mapa_de_ejes» no es un elemento del PEI") as err:
        load_pei(data)
    assert set(INTERPRETATION_PARTS) >= {"mision_vision", "vinculos"}
    assert err.value.field.endswith("afecta")


def test_an_interpretation_with_an_unknown_confidence_is_refused(tmp_path):
    data = _corrupted(tmp_path, "afecta: mision_vision\n", "afecta: mision_vision\n    confianza: segura\n")
    with pytest.raises(DataError, match=r"repetida|segura"):
        load_pei(data)
