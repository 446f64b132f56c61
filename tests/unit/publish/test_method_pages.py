"""The method for readers (book/metodo_proyeccion.md) and the details for specialists
(book/anexo_tecnico.md)."""

from __future__ import annotations

import re

import yaml

from pei_analysis.publish.book import BOOK_DIR

READER = BOOK_DIR / "metodo_proyeccion.md"
APPENDIX = BOOK_DIR / "anexo_tecnico.md"


def test_the_readers_method_page_has_no_code_path_file_name_or_benchmark():
    text = READER.read_text(encoding="utf-8")
    assert "pei_analysis/" not in text and "evaluation/" not in text
    assert not re.search(r"\.py\b", text)
    assert not re.search(r"benchmark|velocidad|statsmodels|numpy", text, re.IGNORECASE)
    assert not re.search(r"^\|", text, re.MULTILINE)  # no tables of figures


def test_the_readers_method_page_says_what_how_with_what_evidence_and_what_it_cannot_know():
    headings = re.findall(r"^##+ (.+)$", READER.read_text(encoding="utf-8"), re.MULTILINE)
    assert headings == [
        "Qué se proyecta",
        "Cómo se calcula",
        "Qué implica proyectar sin historia del IGSS",
        "Con qué evidencia",
        "Lo que la proyección no puede saber",
    ]
    text = READER.read_text(encoding="utf-8")
    for words in (
        "rango al 80%",
        "propios años anteriores",
        "otros productos",
        "series públicas de referencia",
        "Cambios de política",
        "Choques",
        "Un producto nuevo",
        "Metas revisadas a mitad de año",
    ):
        assert words in text, words


def test_the_technical_appendix_exists_under_metodologia_and_the_readers_page_links_it():
    assert APPENDIX.read_text(encoding="utf-8").startswith("# Anexo técnico: evaluación de la proyección\n")
    toc = yaml.safe_load((BOOK_DIR / "_toc.yml").read_text(encoding="utf-8"))
    metodologia = next(c for c in toc["chapters"] if c["file"] == "metodologia")
    assert [s["file"] for s in metodologia["sections"]] == ["metodo_proyeccion", "anexo_tecnico"]
    assert READER.read_text(encoding="utf-8").count("{doc}`anexo_tecnico`") >= 2
    assert "{doc}`metodo_proyeccion`" in APPENDIX.read_text(encoding="utf-8")


def test_the_evaluation_benchmarks_and_code_paths_moved_to_the_appendix():
    text = APPENDIX.read_text(encoding="utf-8")
    for moved in (
        "## Evaluación (backtest)",
        "## Velocidad",
        "evaluation/backtest_report.py",
        "pei_analysis/model/projection/",
        "## Los intervalos y en qué se apoyan",
    ):
        assert moved in text, moved
