"""Every file of the bad-input corpus (tests/corpus/casos.yaml) gets its expected outcome, and a refusal
changes nothing in data/."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
import yaml

from pei_analysis import load_poa
from pei_analysis.errors import DataError
from pei_analysis.ingest.importer import import_file
from pei_analysis.paths import DATA_DIR
from tests.conftest import snapshot

CORPUS = Path(__file__).resolve().parents[2] / "corpus"
CASES = yaml.safe_load((CORPUS / "casos.yaml").read_text(encoding="utf-8"))


def _id(case: dict) -> str:
    return f"{case['archivo']}-{case['anio']}-c{case['cuatrimestre']}-{case.get('cifras', '')}"


def test_the_corpus_has_accepted_and_refused_cases_for_every_kind_of_input():
    kinds = {(Path(c["archivo"]).suffix, c["resultado"]) for c in CASES}
    both = {"aceptado", "rechazado"}
    assert {(suffix, outcome) for suffix in (".txt", ".csv", ".pdf", ".xlsx") for outcome in both} <= kinds
    assert all((CORPUS / c["archivo"]).is_file() for c in CASES)


@pytest.mark.parametrize("case", CASES, ids=_id)
def test_corpus_case_gets_its_expected_outcome(case, tmp_path):
    data = tmp_path / "data"
    shutil.copytree(DATA_DIR, data)
    before = snapshot(data)
    call = {
        "anio": case["anio"],
        "cuatrimestre": case["cuatrimestre"],
        "cifras": case.get("cifras"),
        "replace": True,
        "data_dir": data,
    }
    if case.get("producto_nuevo"):  # a description the catalogue does not know (the HTML case)
        call["accept_new_products"] = True
    if case["resultado"] == "aceptado":
        result = import_file(CORPUS / case["archivo"], **call)
        table = load_poa(data)
        period = table[(table["anio"] == case["anio"]) & (table["cuatrimestre"] == case["cuatrimestre"])]
        assert len(period) == result.productos == 36
        return
    with pytest.raises(DataError) as err:
        import_file(CORPUS / case["archivo"], **call)
    message = str(err.value)
    assert case["mensaje"] in message, message
    if "donde" in case:
        assert re.search(rf"\b{case['donde']}\b", message), message
    assert "\n" not in message and len(message) < 400
    assert snapshot(data) == before
