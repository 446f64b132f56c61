"""The whole book, built once (see conftest.py) from the shipped data, read as a reader would see it."""

from __future__ import annotations

import csv
import html
import html.parser
import itertools
import json
import re
import shutil
from pathlib import Path

import nbformat
import pandas as pd
import pytest
import yaml

from pei_analysis import load_poa
from pei_analysis.format import fmt_pct
from pei_analysis.model.edition import SCORED_STATES
from pei_analysis.publish import book as build
from pei_analysis.publish import notebooks as runner

FIGURES = {"resumen": 1, "ejecucion_poa": 4, "proyeccion": 4}
ENGLISH_THEME_STRINGS = (
    "Search this book",
    "Toggle primary sidebar",
    "Toggle secondary sidebar",
    "Link to this heading",
    'aria-label="Main"',
    'aria-label="Page"',
    "Copyright",
    "Last updated",
    "Download this page",
    "Contents",
)
NOISE = (
    "Traceback",
    "Error",
    "Warning",
    "Exception",
    "stderr",
    "papermill",
    "injected",
    "In [",
    "Out[",
    "<module>",
    "ipykernel",
    "NaN",
    "nan%",
)


class _Page(html.parser.HTMLParser):
    """Visible text of a page's article, and its images."""

    def __init__(self):
        super().__init__()
        self.text: list[str] = []
        self.images: list[dict] = []
        self._skip = 0
        self._article = 0

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag in ("script", "style"):
            self._skip += 1
        if tag == "article":
            self._article += 1
        if tag == "img" and self._article:
            self.images.append(attrs)

    def handle_endtag(self, tag):
        if tag in ("script", "style"):
            self._skip -= 1
        if tag == "article":
            self._article -= 1

    def handle_data(self, data):
        if not self._skip and self._article:
            self.text.append(data)


def read_page(path: Path) -> tuple[str, list[dict], str]:
    source = path.read_text(encoding="utf-8")
    page = _Page()
    page.feed(source)
    return re.sub(r"\s+", " ", " ".join(page.text)), page.images, source


@pytest.fixture(scope="module")
def site(built_book) -> Path:
    return built_book.output_dir


@pytest.fixture(scope="module")
def chapters() -> list[str]:
    return build.chapter_files()


def test_every_toc_entry_produced_a_page_with_its_title(site, chapters):
    toc = yaml.safe_load((build.BOOK_DIR / "_toc.yml").read_text(encoding="utf-8"))
    assert chapters[0] == toc["root"]
    for name in chapters:
        text, _, source = read_page(site / f"{name}.html")
        assert re.search(r"<h1>[^<]+<a class=\"headerlink\"", source), name
        assert len(text) > 300, name
    assert (site / "index.html").exists()


def test_each_chapters_figures_exist_as_images_with_alt_text(site):
    for name, expected in FIGURES.items():
        _, images, _ = read_page(site / f"{name}.html")
        assert len(images) == 2 * expected, name  # each figure drawn wide and for a phone (issue #20)
        classes = sorted(image.get("class", "") for image in images)
        assert classes == ["grafico-ancho"] * expected + ["grafico-telefono"] * expected, name
        for image in images:
            path = site / image["src"]
            assert image["src"].endswith(".svg"), image["src"]
            svg = path.read_text(encoding="utf-8")
            assert "<svg" in svg and svg.count("<text") > 5, image["src"]  # vector, its words kept as text
            alt = image.get("alt", "")
            assert len(alt) > 40 and not alt.endswith(".svg"), (name, alt)


def test_each_figure_has_its_source_line_and_a_link_to_a_csv_of_exactly_the_numbers_drawn(site):
    from pei_analysis.chapters import figures
    from pei_analysis.model import edition as report

    edition = report.load_edition(2024, 1)
    expected = {"grafico_resumen_semaforo.csv": figures.status_data(report.status_counts(edition.table))}
    for p in sorted(edition.table["programa"].astype(str).unique()):
        expected[f"grafico_avance_{p}.csv"] = figures.avance_data(edition.table, p)
        expected[f"grafico_proyeccion_{p}.csv"] = figures.projection_data(edition.table, p)
    found = {}
    for name, count in FIGURES.items():
        _, _, source = read_page(site / f"{name}.html")
        blocks = re.findall(r"<figure .*?</figure>", source, re.DOTALL)
        assert len(blocks) == count, name
        for block in blocks:
            assert (
                "Fuente: SICOIN, Reporte Analítico de Ejecución Física, enero-abril 2024; cálculos de esta "
                "publicación." in block
            )
            link = re.search(
                r'<a class="reference download internal" download="" href="([^"]+\.csv)">'
                r'<span class="xref download myst">datos de este gráfico \(CSV\)</span></a>',
                block,
            )
            assert link, block[:300]
            found[Path(link.group(1)).name] = site / link.group(1)
    assert sorted(found) == sorted(expected)
    for name, path in found.items():
        written = pd.read_csv(path, encoding="utf-8-sig", dtype={"programa": str})
        drawn = expected[name]
        assert list(written.columns) == list(drawn.columns), name
        for column in drawn.select_dtypes("number").columns:
            assert written[column].tolist() == pytest.approx(drawn[column].tolist(), nan_ok=True), (
                name,
                column,
            )


def test_no_page_shows_code_a_traceback_a_warning_or_the_parameters(site, chapters, built_book):
    for name in chapters:
        text, _, source = read_page(site / f"{name}.html")
        for noise in NOISE:
            assert noise not in text, (name, noise)
        assert "cell_input" not in source and "highlight-ipython3" not in source, name
        assert "load_edition" not in source and "anio = 2024" not in source, name
    for run in built_book.runs:
        assert [s for s in run.stderr if not s.startswith("Matplotlib is building the font cache")] == [], (
            run.name
        )


#: What Python prints for an object the page should have shown as text, a table or a figure.
OBJECT_TEXT = ("<IPython.", "object at 0x", "<pandas.", "<matplotlib.")


def test_no_built_page_shows_the_text_of_a_python_object(site):
    pages = sorted(site.rglob("*.html"))
    assert len(pages) >= 7
    for path in pages:
        shown = html.unescape(path.read_text(encoding="utf-8"))
        for sign in OBJECT_TEXT:
            assert sign not in shown, (path.name, sign)


def test_every_percentage_is_written_joined_to_its_number_so_no_line_break_can_split_them(site):
    # The book's convention (pei_analysis.format): «34.6%», as SICOIN prints it. «67 %» on a page could
    # break into «67» at the end of a line and «%» at the start of the next.
    pages = sorted(site.glob("*.html"))
    assert len(pages) >= 7
    for path in pages:
        text, _, _ = read_page(path)
        split = re.findall(r"\S*\d\s%", text.replace("\u00a0", " "))
        assert not split, (path.name, split[:5])
    download = pd.read_csv(next(site.glob("_downloads/*/proyeccion_y_semaforo.csv")), encoding="utf-8-sig")
    scored = download[download["estado"].isin(SCORED_STATES)]
    assert len(scored) > 0 and scored["nota"].str.contains(r"\d%").all()
    assert not download["nota"].str.contains(r"\d\s%").any()


def test_no_download_writes_inf_nan_or_python_booleans_and_the_dictionary_uses_the_same_words(site):
    files = sorted(site.glob("_downloads/*/*.csv"))
    assert len(files) >= 6
    for path in files:
        with path.open(encoding="utf-8-sig", newline="") as handle:
            cells = {cell for row in csv.reader(handle) for cell in row}
        assert not cells & {"inf", "-inf", "nan", "NaN", "True", "False"}, path.name
    projection = next(p for p in files if p.name == "proyeccion_y_semaforo.csv")
    assert set(pd.read_csv(projection, encoding="utf-8-sig")["estado_incierto"]) <= {"sí", "no"}
    text, _, _ = read_page(site / "datos.html")
    assert "Verdadero" not in text and "True" not in text
    assert "«sí» si el intervalo cruza un umbral" in text and "una celda vacía significa «sin datos»" in text


def test_the_summary_page_shows_the_key_figures_of_the_data(site):
    text, _, _ = read_page(site / "resumen.html")
    poa = load_poa()
    period = poa[(poa["anio"] == 2024) & (poa["cuatrimestre"] == 1)]
    pct = period["ejecutado"] * 100 / period["programado"]
    behind = int((pct < 100 / 3).sum())
    assert "Al 30 de abril de 2024, con el 33.3% del año transcurrido" in text
    assert f"De los {len(period)} productos del POA 2024 en {period['programa'].nunique()} programas" in text
    assert f"{len(period) - behind} llevan esa parte de su meta o más y {behind} menos" in text
    assert f"avance mediano: {fmt_pct(pct.median())}" in text
    scored = period[(period["programado"] >= 10) & (period["ejecutado"] > 0)]
    worst = scored.loc[(scored["ejecutado"] / scored["programado"]).idxmin()]
    assert f"producto {worst['producto']}" in text
    assert fmt_pct(worst["ejecutado"] * 100 / worst["programado"]) in text
    assert f"{worst['programado']:,}" in text  # in the largest-gaps table, as the source writes it


def test_each_program_of_the_data_has_its_section_figure_and_table_in_both_program_chapters(site):
    poa = load_poa()
    programs = sorted(
        poa.loc[(poa["anio"] == 2024) & (poa["cuatrimestre"] == 1), "programa"].astype(str).unique()
    )
    for page, figure in (("ejecucion_poa", "fig-avance"), ("proyeccion", "fig-proyeccion")):
        _, _, source = read_page(site / f"{page}.html")
        sections = re.findall(
            r'<section id="programa-(\w+)">\s*<h2>Programa (\w+)<a class="headerlink"', source
        )
        assert sections == [(p, p) for p in programs], page
        for p in programs:
            assert f'<figure class="align-default" id="{figure}-{p}">' in source, (page, p)
            assert source.index(f'id="programa-{p}"') < source.index(f'id="{figure}-{p}"'), (page, p)
        assert all(
            '<li class="toc-h2 nav-item toc-entry">'
            f'<a class="reference internal nav-link" href="#programa-{p}">'
            f"Programa {p}</a></li>" in source
            for p in programs
        ), page  # in the page's own contents list


def test_pages_are_in_spanish_with_no_english_theme_strings(site):
    for page in site.glob("*.html"):
        source = page.read_text(encoding="utf-8")
        if 'http-equiv="Refresh"' in source:
            continue  # index.html: a redirect to the summary
        assert '<html lang="es"' in source, page.name
        for english in ENGLISH_THEME_STRINGS:
            assert english not in source, (page.name, english)
    assert "Buscar en el informe" in (site / "resumen.html").read_text(encoding="utf-8")


def test_headings_of_every_page_go_down_one_level_at_a_time(site):
    """A screen reader's list of headings is the page's outline: a card titled h4 under an h2 hid a level."""
    for page in site.glob("*.html"):
        article = page.read_text(encoding="utf-8").split('<article class="bd-article"', 1)
        if len(article) < 2:
            continue  # index.html: a redirect to the summary
        levels = [int(n) for n in re.findall(r"<h([1-6])[\s>]", article[1])]
        jumps = [(a, b) for a, b in itertools.pairwise(levels) if b > a + 1]
        assert levels and not jumps, (page.name, jumps)


def test_no_page_loads_the_icon_script_the_edition_ships_no_source_maps_and_charts_load_when_shown(site):
    """fontawesome.js (1.5 MB) only redrew icons the theme's stylesheet draws with its font; each chart is in
    its page twice, and the browser fetched both."""
    assert not list(site.rglob("fontawesome.js")) and not list(site.rglob("*.map"))
    for page in site.glob("*.html"):
        source = page.read_text(encoding="utf-8")
        assert "fontawesome.js" not in source, page.name
        icons = re.findall(r'<(?:i|span)\b[^>]*class="(?:[^"]* )?fa(?:-solid|s) [^>]*>', source)
        assert all('aria-hidden="true"' in icon for icon in icons), (page.name, icons)
        if 'http-equiv="refresh"' not in source.lower():  # index.html sends the reader to the summary
            assert icons, page.name
        charts = re.findall(r'<img\b[^>]*class="grafico-(?:ancho|telefono)"[^>]*>', source)
        assert all('loading="lazy"' in chart for chart in charts), (page.name, charts)


def test_no_page_loads_anything_from_another_host(site):
    for page in site.glob("*.html"):
        source = page.read_text(encoding="utf-8")
        assert not re.search(r"""(src|href)=["']?(https?:)?//""", re.sub(r"<a [^>]*>", "", source)), page.name
        assert "thebe" not in source.lower() and "mathjax" not in source.lower().replace(
            "mathjax_ignore", ""
        ), page.name


def test_the_datos_page_offers_every_table_as_csv_and_xlsx_with_the_data(site):
    _, _, source = read_page(site / "datos.html")
    links = re.findall(r'href="(_downloads/[^"]+)"', source)
    names = {Path(link).name for link in links}
    assert {
        "poa_ejecucion.csv",
        "poa_ejecucion.xlsx",
        "proyeccion_y_semaforo.csv",
        "todas_las_tablas.xlsx",
    } <= names
    for link in links:
        assert (site / link).stat().st_size > 0, link
    csv = next(site / link for link in links if link.endswith("/poa_ejecucion.csv"))
    xlsx = next(site / link for link in links if link.endswith("/poa_ejecucion.xlsx"))
    table = pd.read_csv(csv, encoding="utf-8-sig")
    assert len(table) == 36 and table["ejecutado"].sum() == load_poa()["ejecutado"].sum()
    assert pd.read_excel(xlsx)["programado"].tolist() == table["programado"].tolist()


def test_product_rows_have_anchors_the_summary_and_the_pei_chapter_link_to(site):
    _, _, execution = read_page(site / "ejecucion_poa.html")
    assert len(set(re.findall(r'<tr id="producto-(\d+)"', execution))) == 36
    for page in ("resumen", "pei", "proyeccion"):
        _, _, source = read_page(site / f"{page}.html")
        targets = set(re.findall(r'href="ejecucion_poa\.html#(producto-\d+)"', source))
        assert targets, page
        for target in targets:
            assert f'<tr id="{target}"' in execution, (page, target)


def test_a_failing_notebook_stops_the_build_naming_notebook_and_cell_and_publishes_nothing(
    tmp_path, monkeypatch
):
    book = tmp_path / "book"
    notebooks = tmp_path / "notebooks"
    shutil.copytree(build.BOOK_DIR, book, ignore=shutil.ignore_patterns("_build", "*.md"))
    (book / "_toc.yml").write_text("format: jb-book\nroot: roto\n", encoding="utf-8")
    notebooks.mkdir()
    nb = nbformat.v4.new_notebook()
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    parameters = nbformat.v4.new_code_cell("anio = 2024\ncuatrimestre = 1")
    parameters.metadata["tags"] = ["parameters"]
    nb.cells = [
        nbformat.v4.new_markdown_cell("# Roto"),
        parameters,
        nbformat.v4.new_code_cell("total = 1"),
        nbformat.v4.new_code_cell("total / 0"),
    ]
    nbformat.write(nb, notebooks / "roto.ipynb")
    monkeypatch.setattr(build, "BOOK_DIR", book)
    monkeypatch.setattr(build, "NOTEBOOKS_DIR", notebooks)
    monkeypatch.setattr(runner, "FAILED_DIR", tmp_path / "fallidos")
    site = tmp_path / "sitio"
    published = site / "2024-c1"
    published.mkdir(parents=True)
    (published / "index.html").write_text("edición anterior", encoding="utf-8")

    with pytest.raises(build.BuildError) as err:
        build.build_book(2024, 1, published, log=lambda _: None)

    message = str(err.value)
    assert "roto.ipynb" in message
    assert "celda de código n.º 3" in message and "total / 0" in message
    assert "ZeroDivisionError" in message
    assert (tmp_path / "fallidos" / "roto.ipynb").exists()
    assert [p.name for p in site.iterdir()] == ["2024-c1"]
    assert [p.name for p in published.iterdir()] == ["index.html"]
    assert (published / "index.html").read_text(encoding="utf-8") == "edición anterior"


def test_the_summary_links_every_product_to_its_row_in_the_execution_chapter(site):
    _, _, summary = read_page(site / "resumen.html")
    _, _, execution = read_page(site / "ejecucion_poa.html")
    linked = set(re.findall(r'href="ejecucion_poa\.html#(producto-\d+)"', summary))
    rows = set(re.findall(r'<tr id="(producto-\d+)"', execution))
    assert len(rows) == 36 and linked == rows


def test_every_word_of_every_product_description_is_in_the_site_search_index(site):
    """What the theme's search box looks up: each word as Sphinx's Spanish stemmer indexes it."""
    from sphinx.search.es import SearchSpanish

    source = (site / "searchindex.js").read_text(encoding="utf-8")
    index = json.loads(source[source.index("(") + 1 : source.rindex(")")])
    execution = index["docnames"].index("ejecucion_poa")

    def pages_of(key: str) -> list[int]:
        found = []
        for table in (index["terms"], index["titleterms"]):
            pages = table.get(key, [])
            found.extend([pages] if isinstance(pages, int) else pages)
        return found

    spanish = SearchSpanish({})
    poa = load_poa()
    missing = []
    for record in poa[(poa["anio"] == 2024) & (poa["cuatrimestre"] == 1)].to_dict("records"):
        for word in spanish.split(record["descripcion"]):
            stem = spanish.stem(word).lower()
            key = stem if spanish.word_filter(stem) else word.lower()
            if not spanish.word_filter(key) or key.isdigit():
                continue
            if execution not in pages_of(key):
                missing.append((record["producto"], word))
    assert missing == []


def test_without_past_years_each_history_section_says_so_in_one_sentence(site):
    execution, _, _ = read_page(site / "ejecucion_poa.html")
    projection, _, source = read_page(site / "proyeccion.html")
    assert execution.index("Frente a años anteriores") < execution.index(
        "Los datos no tienen años anteriores:"
    )
    assert projection.count("Los datos no tienen años anteriores:") == 2
    assert "fig-historia" not in source


def test_the_readers_method_page_links_the_technical_appendix_and_shows_no_code(site):
    text, _, source = read_page(site / "metodo_proyeccion.html")
    assert 'href="anexo_tecnico.html"' in source
    assert "pei_analysis/" not in text and ".py" not in text and "benchmark" not in text.lower()
    appendix, _, _ = read_page(site / "anexo_tecnico.html")
    assert (
        "Anexo técnico: evaluación de la proyección" in appendix
        and "evaluation/backtest_report.py" in appendix
    )
