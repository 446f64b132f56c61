"""Per-objective and per-strategy figures of the POA products linked to the PEI (model.alignment).

The links and products here are made up for the test (not IGSS figures): what matters is which links
may carry a figure.
"""

from __future__ import annotations

import math

import pandas as pd
import pytest

from pei_analysis.model import alignment
from pei_analysis.tables.pei import load_pei


@pytest.fixture(scope="module")
def pei():
    return load_pei()


def _links(*rows: tuple[str, str, str | None, str]) -> pd.DataFrame:
    columns = ["clave", "objetivo_id", "estrategia_id", "tipo"]
    return pd.DataFrame([dict(zip(columns, row, strict=True)) for row in rows]).assign(meta_id=None)


#: Three made-up products: A at 10 % (en riesgo), B at 90 % (satisfactorio), C at 50 % (crítico).
TABLE = pd.DataFrame(
    {
        "clave": ["A", "B", "C"],
        "producto": [3, 1, 2],
        "pct_avance": [10.0, 90.0, 50.0],
        "estado": ["en riesgo", "satisfactorio", "crítico"],
    }
)


def test_an_objective_with_only_context_and_support_links_gets_no_figure(pei):
    links = _links(("A", "O1", None, "contexto"), ("B", "O1", "O1-E1", "apoyo"))
    o1 = alignment.objective_execution(pei, links, TABLE).set_index("elemento_id").loc["O1"]
    assert o1["n_productos"] == 0 and o1["productos"] == ()
    assert math.isnan(o1["pct_avance_mediana"]) and o1["estados"] == {}
    assert (o1["n_apoyo"], o1["n_contexto"]) == (1, 1)


def test_the_median_and_semaforo_of_an_objective_come_from_its_direct_links_only(pei):
    links = _links(
        ("A", "O3", "O3-E1", "contribucion_directa"),
        ("C", "O3", "O3-E2", "contribucion_directa"),
        ("B", "O3", None, "contexto"),  # 90 % would pull the median up if it counted
    )
    o3 = alignment.objective_execution(pei, links, TABLE).set_index("elemento_id").loc["O3"]
    assert o3["n_productos"] == 2
    assert o3["pct_avance_mediana"] == pytest.approx(30.0)  # median of 10 and 50
    assert o3["estados"] == {"en riesgo": 1, "crítico": 1}
    assert o3["productos"] == ("C", "A")  # in the order of the report's numbers (2, 3)


def test_a_product_linked_both_directly_and_as_context_is_counted_once_as_direct(pei):
    links = _links(("A", "O3", "O3-E1", "contribucion_directa"), ("A", "O3", "O3-E2", "contexto"))
    o3 = alignment.objective_execution(pei, links, TABLE).set_index("elemento_id").loc["O3"]
    assert (o3["n_productos"], o3["n_contexto"]) == (1, 0)


def test_a_strategy_figure_uses_its_own_direct_links_and_those_of_its_sub_strategies(pei):
    links = _links(
        ("A", "O1", "O1-E2.1", "contribucion_directa"),
        ("B", "O1", "O1-E1", "contribucion_directa"),
        ("C", "O1", "O1-E2", "contexto"),
    )
    by_strategy = alignment.strategy_execution(pei, links, TABLE).set_index("elemento_id")
    assert by_strategy.loc["O1-E2", "productos"] == ("A",)
    assert by_strategy.loc["O1-E2", "pct_avance_mediana"] == pytest.approx(10.0)
    assert by_strategy.loc["O1-E2.1", "productos"] == ("A",)
    assert by_strategy.loc["O1-E1", "productos"] == ("B",)
    assert by_strategy.loc["O3-E1", "n_productos"] == 0


def test_every_objective_and_strategy_of_the_plan_has_a_row(pei):
    links = _links(("A", "O3", "O3-E1", "contribucion_directa"))
    objectives = alignment.objective_execution(pei, links, TABLE)["elemento_id"]
    assert list(objectives) == list(pei.objetivos["objetivo_id"])
    assert list(alignment.strategy_execution(pei, links, TABLE)["elemento_id"]) == list(
        pei.estrategias["estrategia_id"]
    )
