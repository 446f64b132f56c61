"""The built book as a reader meets it: in a real browser, offline, in Spanish, on a phone, on paper.

Debian's Chromium (/usr/bin/chromium, installed with apt; Playwright never downloads a browser of
its own) is driven by Playwright against the site of the session's one build (conftest.py),
served on 127.0.0.1 by a local HTTP server. Any request to another host is aborted and recorded,
so a page that needed the internet fails here exactly as it would on a shared drive with no
network. Screenshots of the summary (desktop and phone) and a PDF of it are left in
build/capturas/ for a person to review.
"""

from __future__ import annotations

import contextlib
import functools
import http.server
import re
import threading
from pathlib import Path
from urllib.parse import urlsplit

import pandas as pd
import pytest
from playwright.sync_api import sync_playwright

from pei_analysis import load_poa
from pei_analysis.chapters import display as presentation
from pei_analysis.paths import REPO_DIR
from pei_analysis.publish.site_index import write_index

CHROMIUM = Path("/usr/bin/chromium")
CAPTURES = REPO_DIR / "build" / "capturas"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-default-apps",
    "--disable-domain-reliability",
    "--disable-client-side-phishing-detection",
]
#: Words of the theme's English interface that must not reach a reader (attributes and chrome).
ENGLISH = re.compile(
    r"\b(Search|Toggle|Contents|Download|Print|Theme|Light|Dark|System|Previous|Next|Back to top|Skip to|"
    r"On this page|Navigation|Fullscreen|Link to|Edit this|Launch|Copyright|Last updated|By the)\b",
    re.IGNORECASE,
)

pytestmark = pytest.mark.skipif(
    not CHROMIUM.exists(),
    reason="falta /usr/bin/chromium (Debian: apt-get install chromium); .ci/run lo instala",
)


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format, *args):
        pass


@pytest.fixture(scope="module")
def site(built_book) -> Path:
    return built_book.output_dir


@contextlib.contextmanager
def _served(folder: Path):
    """*folder* served by a local HTTP server on 127.0.0.1 and a free port; yields its address."""
    server = http.server.ThreadingHTTPServer(
        ("127.0.0.1", 0), functools.partial(_QuietHandler, directory=str(folder))
    )
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)


@pytest.fixture(scope="module")
def base_url(site):
    """The built site served by a local HTTP server on 127.0.0.1 and a free port."""
    with _served(site) as url:
        yield url


@pytest.fixture(scope="module")
def browser():
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


class Reader:
    """A browser tab that records what a reader would not want: console errors, failed or
    refused requests, and every request that tried to leave the allowed origin."""

    def __init__(self, context, allowed: str):
        self.context = context
        self.errors: list[str] = []
        self.external: list[str] = []
        self.failed: list[str] = []
        self.dialogs: list[str] = []
        allowed_scheme, allowed_host = urlsplit(allowed)[:2]

        def guard(route):
            url = route.request.url
            scheme, host = urlsplit(url)[:2]
            if (scheme == allowed_scheme and host == allowed_host) or scheme in ("data", "blob"):
                route.continue_()
            else:
                self.external.append(url)
                route.abort("blockedbyclient")

        context.route("**/*", guard)
        self.page = context.new_page()
        self.page.on(
            "console", lambda m: self.errors.append(f"consola: {m.text}") if m.type == "error" else None
        )
        self.page.on("pageerror", lambda e: self.errors.append(f"excepción: {e}"))
        # ERR_ABORTED is the browser cancelling what a page it left was still fetching (its icon).
        self.page.on(
            "requestfailed",
            lambda r: (
                None if r.failure == "net::ERR_ABORTED" else self.failed.append(f"{r.url} ({r.failure})")
            ),
        )
        self.page.on(
            "response",
            lambda r: self.failed.append(f"{r.url} (HTTP {r.status})") if r.status >= 400 else None,
        )

        def refuse(dialog):
            self.dialogs.append(dialog.message)
            dialog.dismiss()

        self.page.on("dialog", refuse)

    def assert_clean(self, where: str):
        assert self.external == [], f"{where}: pedidos a otro servidor: {self.external}"
        assert self.failed == [], f"{where}: pedidos fallidos: {self.failed}"
        assert self.errors == [], f"{where}: errores en la consola: {self.errors}"


@pytest.fixture
def reader(browser, base_url):
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="es-GT")
    yield Reader(context, base_url)
    context.close()


def _images_loaded(page) -> list[dict]:
    """Load every <img> (also a chart the page would fetch only when shown), wait for each to finish, then
    report each one's source and natural width."""
    return page.evaluate(
        """async () => {
            for (const img of document.images) img.loading = 'eager';
            await Promise.all([...document.images].map(img => img.complete ? null :
                new Promise(done => {
                    img.addEventListener('load', done); img.addEventListener('error', done);
                })));
            return [...document.images].map(img => ({src: img.getAttribute('src'), width: img.naturalWidth}));
        }"""
    )


def _interface_strings(page) -> list[str]:
    """Tooltips, labels and placeholders anywhere, and the visible text outside the article."""
    return page.evaluate(
        """() => {
            const out = [];
            for (const el of document.querySelectorAll('[title],[aria-label],[placeholder],[data-bs-title]'))
                for (const name of ['title', 'aria-label', 'placeholder', 'data-bs-title'])
                    if (el.hasAttribute(name) && !el.closest('article')) out.push(el.getAttribute(name));
            const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
            for (let node; (node = walker.nextNode());) {
                const parent = node.parentElement;
                if (parent.closest('article, script, style, noscript') || !node.textContent.trim()) continue;
                out.push(node.textContent.trim());
            }
            return out;
        }"""
    )


def _vacunas_products() -> set[int]:
    poa = load_poa()
    period = poa[(poa["anio"] == 2024) & (poa["cuatrimestre"] == 1)]
    found = set(period.loc[period["descripcion"].str.contains("vacunas", case=False), "producto"].astype(int))
    assert found, "los datos ya no tienen un producto cuya descripción diga «vacunas»"
    return found


# --------------------------------------------------------------------------- every page


def test_every_page_loads_offline_with_no_console_error_failed_request_or_broken_image(
    reader, site, base_url
):
    pages = sorted(p.name for p in site.glob("*.html"))
    assert "resumen.html" in pages and "search.html" in pages
    for name in pages:
        reader.page.goto(f"{base_url}/{name}", wait_until="load")
        if name == "index.html":
            reader.page.wait_for_url(re.compile(r"/resumen\.html$"))
        images = _images_loaded(reader.page)
        assert all(image["width"] > 0 for image in images), (name, images)
        english = [s for s in _interface_strings(reader.page) if ENGLISH.search(s)]
        assert english == [], (name, english)
        reader.assert_clean(name)
    reader.page.goto(f"{base_url}/ejecucion_poa.html", wait_until="load")
    assert len(_images_loaded(reader.page)) == 8  # four figures, each with its phone version


@pytest.mark.parametrize(
    ("width", "shown", "hidden"),
    [(375, "grafico-telefono", "grafico-ancho"), (1280, "grafico-ancho", "grafico-telefono")],
)
def test_a_page_fetches_a_chart_when_it_is_about_to_show_it_never_its_hidden_version_and_all_to_print(
    browser, base_url, width, shown, hidden
):
    """Every chart is drawn twice; a browser fetched both (0.9 MB of charts with past years, half never
    shown). A chart not yet fetched holds its place. Printing shows the wide version of each chart, also of
    those the reader did not reach."""
    page = browser.new_page(viewport={"width": width, "height": 900})
    fetched = []
    page.on("requestfinished", lambda r: fetched.append(urlsplit(r.url).path.rsplit("/", 1)[-1]))
    page.goto(f"{base_url}/proyeccion.html", wait_until="networkidle")
    heights = f"() => [...document.querySelectorAll('article img.{shown}')].map(img => img.offsetHeight)"
    waiting = page.evaluate(heights)
    first = page.locator(f"article img.{shown}").first
    first.scroll_into_view_if_needed()
    page.wait_for_function("img => img.complete && img.naturalWidth > 0", arg=first.element_handle())
    names = "cls => [...document.querySelectorAll('article img.' + cls)].map(img => img.src.split('/').pop())"
    files, hidden_files = page.evaluate(names, shown), page.evaluate(names, hidden)
    read = set(fetched)
    page.pdf()
    page.wait_for_load_state("networkidle")
    printed = set(fetched)
    _images_loaded(page)
    loaded = page.evaluate(heights)
    page.close()
    # a chart keeps its place before it arrives: the text below it does not jump when it does
    assert all(h > 100 for h in waiting) and all(
        abs(a - b) <= 1 for a, b in zip(waiting, loaded, strict=True)
    ), (
        waiting,
        loaded,
    )
    assert files[0] in read and files[-1] not in read, (files, read)  # the last one waits for the reader
    assert not read & set(hidden_files), read
    wide = hidden_files if hidden == "grafico-ancho" else files
    assert set(wide) <= printed, (wide, printed)


#: What a reader's first page of the edition may download on opening, uncompressed (the projection chapter,
#: the heaviest, about 1.0 MiB: theme, icon font, the charts of the first screen). With the theme's
#: fontawesome.js and both versions of every chart it was 2.6 MiB.
PAGE_BUDGET = 1.5 * 2**20


@pytest.mark.parametrize("name", ["resumen.html", "proyeccion.html"])
def test_a_readers_first_page_downloads_at_most_its_budget(browser, base_url, site, name):
    page = browser.new_page(viewport={"width": 375, "height": 900})
    paths = []
    page.on("requestfinished", lambda r: paths.append(urlsplit(r.url).path.lstrip("/")))
    page.goto(f"{base_url}/{name}", wait_until="networkidle")
    page.close()
    sizes = {path: (site / path).stat().st_size for path in set(paths) if (site / path).is_file()}
    assert len(sizes) > 10 and sum(sizes.values()) <= PAGE_BUDGET, sorted(
        sizes.items(), key=lambda kv: -kv[1]
    )[:5]


@pytest.mark.parametrize("width", [375, 1280])
def test_every_icon_of_the_theme_is_drawn_by_its_font_without_the_icon_script(browser, base_url, width):
    page = browser.new_page(viewport={"width": width, "height": 900})
    scripts = []
    page.on("request", lambda r: scripts.append(r.url) if r.resource_type == "script" else None)
    page.goto(f"{base_url}/proyeccion.html", wait_until="networkidle")
    icons = page.evaluate(
        """async () => {
            await document.fonts.ready;
            return [...document.querySelectorAll('.fa-solid, .fas')]
                .filter(e => e.getClientRects().length)
                .map(e => ({
                    icon: [...e.classList].filter(c => c.startsWith('fa-')).join(' '),
                    width: e.getBoundingClientRect().width,
                    glyph: getComputedStyle(e, '::before').content,
                    font: document.fonts.check(`900 ${getComputedStyle(e).fontSize} "Font Awesome 6 Free"`),
                }));
        }"""
    )
    page.close()
    assert not any("fontawesome" in url for url in scripts)
    names = {c for i in icons for c in i["icon"].split()}
    assert {"fa-bars", "fa-print", "fa-sun"} <= names, names
    for icon in icons:
        assert icon["font"] and icon["width"] >= 8 and icon["glyph"] not in ("none", "normal", '""'), icon


def test_the_book_also_works_opened_straight_from_disk(browser, site):
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    try:
        reader = Reader(context, (site / "index.html").as_uri())
        page = reader.page
        page.goto((site / "index.html").as_uri())
        page.wait_for_url(re.compile(r"/resumen\.html$"))
        assert [i["width"] > 0 for i in _images_loaded(page)] == [True, True]  # the chart, wide and phone
        assert page.locator("table.tabla-mejorada").count() >= 1  # the book's own scripts ran
        page.goto((site / "search.html").as_uri() + "?q=vacunas")
        page.locator("#search-results li").first.wait_for()
        assert "Ejecución del POA por programa" in page.inner_text("#search-results")
        reader.assert_clean("desde el disco")
    finally:
        context.close()


# --------------------------------------------------------------------------- findability


def test_the_site_search_finds_a_product_by_a_word_of_its_description_and_leads_to_its_row(reader, base_url):
    page = reader.page
    page.goto(f"{base_url}/resumen.html")
    page.keyboard.press("Control+k")  # the theme's search box, as a reader opens it
    box = page.locator("#pst-search-dialog input[type=search]")
    box.fill("vacunas")
    box.press("Enter")
    page.wait_for_url(re.compile(r"/search\.html\?q=vacunas"))
    results = page.locator("#search-results")
    results.locator("li").first.wait_for()
    page.wait_for_function(
        "document.querySelector('#search-results').innerText.includes('Páginas que contienen')"
    )
    assert re.search(
        r"Páginas que contienen las palabras buscadas: \d+\.", page.inner_text("#search-results")
    )
    execution = results.locator("li a", has_text="Ejecución del POA por programa")
    assert execution.count() == 1
    page.wait_for_function("document.querySelectorAll('#search-results li p.context').length > 0")
    assert "vacunas" in execution.locator("xpath=..").inner_text()  # the snippet shows the word in context

    execution.click()
    page.wait_for_url(re.compile(r"/ejecucion_poa\.html"))
    hit = page.locator("article span.highlighted").first
    hit.wait_for()
    row = hit.evaluate("span => span.closest('tr') && span.closest('tr').id")
    assert row in {f"producto-{n}" for n in _vacunas_products()}
    assert hit.is_visible() and hit.evaluate(
        "el => { const r = el.getBoundingClientRect(); return r.top >= 0 && r.bottom <= innerHeight; }"
    ), "la vista no llegó a la fila del producto"
    reader.assert_clean("búsqueda")


@pytest.mark.parametrize("width", [375, 991, 1280])
def test_each_width_shows_one_search_button_that_opens_the_search_and_no_bar_above_the_article(
    browser, base_url, width
):
    """The theme's top bar held only a second search box (from 992 px) or nothing (at 991 px): 64 px less of
    every laptop screen."""
    context = browser.new_context(viewport={"width": width, "height": 800}, locale="es-GT")
    page = context.new_page()
    page.goto(f"{base_url}/resumen.html")
    visible = page.locator(".search-button-field:visible, .search-button:visible")
    assert visible.count() == 1
    assert page.locator(".bd-header-article").evaluate("el => el.getBoundingClientRect().top") == 0
    visible.first.click()
    assert page.locator("#pst-search-dialog input[type=search]").is_visible()
    context.close()


def test_the_summary_links_every_product_to_its_detail_row(reader, base_url, site):
    page = reader.page
    page.goto(f"{base_url}/resumen.html")
    page.locator("details.plegable > summary").click()
    links = page.locator("details.plegable table a[href^='ejecucion_poa.html#producto-']")
    assert links.count() == 36
    expected = links.nth(5).get_attribute("href").split("#")[1]
    links.nth(5).click()
    page.wait_for_url(re.compile(rf"/ejecucion_poa\.html#{expected}$"))
    page.wait_for_load_state("load")
    assert page.locator(f"tr#{expected}").evaluate(
        "row => { const r = row.getBoundingClientRect(); return r.height > 0 && r.top >= 0 "
        "&& r.top < innerHeight; }"
    ), "el enlace no llevó a la fila del producto"
    reader.assert_clean("enlaces del resumen")


# --------------------------------------------------------------------------- tables


def test_the_36_product_table_sorts_and_filters_in_the_page(reader, base_url):
    page = reader.page
    page.goto(f"{base_url}/resumen.html")
    page.locator("details.plegable > summary").click()
    table = page.locator("details.plegable table")
    visible = table.locator("tbody tr:visible")
    assert visible.count() == 36

    box = page.locator("details.plegable .tabla-controles input[type=search]")
    box.fill("vacunas")
    shown = {int(t) for t in visible.locator("td:first-child").all_inner_texts()}
    assert shown == _vacunas_products()
    assert page.locator("details.plegable .tabla-cuenta").inner_text() == f"{len(shown)} de 36 filas"
    box.fill("VACUNAS adquiridas")  # case and accents do not matter, every word must appear
    assert visible.count() == 1
    box.fill("")
    assert visible.count() == 36

    header = table.locator("th", has_text="% de avance")
    column = [h.strip() for h in table.locator("thead th").all_inner_texts()].index(
        header.inner_text().strip()
    ) + 1

    def values():
        return [
            float(v)
            for v in table.locator(f"tbody tr td:nth-child({column})").evaluate_all(
                "cells => cells.map(c => c.dataset.valor)"
            )
        ]

    original = values()
    header.locator("button").click()
    assert header.get_attribute("aria-sort") == "ascending" and values() == sorted(original)
    header.locator("button").click()
    assert header.get_attribute("aria-sort") == "descending" and values() == sorted(original, reverse=True)
    header.locator("button").click()
    assert header.get_attribute("aria-sort") is None and values() == original
    reader.assert_clean("tabla del resumen")


def test_text_from_the_data_stays_text_when_a_table_is_sorted_and_filtered(reader, base_url):
    hostile = '<script>window.__atacado = 1</script><img src=x onerror="window.__atacado = 2">'
    table = pd.DataFrame(
        {
            "producto": [1, 2, 3, 4, 5, 6],
            "descripcion": [
                hostile,
                "Dosis de vacunas",
                "Consulta externa",
                "Raciones",
                "Pagos",
                "Hospitalización",
            ],
            "pct_avance": [10.0, 50.0, None, 30.0, 20.0, 40.0],
        }
    )
    html = presentation.html_table(
        table,
        [
            presentation.Column("producto", kind="int"),
            "descripcion",
            presentation.Column("pct_avance", kind="pct"),
        ],
        interactive=True,
    )
    test_page = (
        '<!DOCTYPE html><html lang="es"><head><meta charset="utf-8"><title>Prueba</title>'
        '<link rel="icon" href="data:,"><script src="/_static/tablas.js"></script></head>'
        f"<body><article>{html}</article></body></html>"
    )
    page = reader.page
    page.route(
        f"{base_url}/_prueba/tabla.html",
        lambda route: route.fulfill(status=200, content_type="text/html; charset=utf-8", body=test_page),
    )
    page.goto(f"{base_url}/_prueba/tabla.html")
    page.locator("table.tabla-mejorada").wait_for()
    page.locator(".tabla-controles input").fill("script")
    assert page.locator("tbody tr:visible").count() == 1
    assert page.locator("tbody tr:visible td:nth-child(2)").inner_text() == hostile
    page.locator(".tabla-controles input").fill("")
    page.locator("th", has_text="% de avance").locator("button").click()
    assert page.locator("tbody tr td:first-child").all_inner_texts() == [
        "1",
        "5",
        "4",
        "6",
        "2",
        "3",
    ]  # empty last
    page.locator("th", has_text="Descripción").locator("button").click()
    assert page.evaluate("window.__atacado") is None
    assert page.locator("tbody img, tbody script").count() == 0
    assert reader.dialogs == []
    reader.assert_clean("tabla con texto hostil")


# --------------------------------------------------------------------------- phone, screenshots, print


def test_the_summary_has_no_sideways_scroll_on_a_375px_phone_and_screenshots_are_saved(browser, base_url):
    CAPTURES.mkdir(parents=True, exist_ok=True)
    for width, height, name in ((1280, 900, "escritorio"), (375, 812, "telefono")):
        context = browser.new_context(viewport={"width": width, "height": height}, locale="es-GT")
        try:
            reader = Reader(context, base_url)
            page = reader.page
            page.goto(f"{base_url}/resumen.html", wait_until="load")
            _images_loaded(page)
            scroll = "[document.scrollingElement.scrollWidth, document.scrollingElement.clientWidth]"
            scroll_width, client_width = page.evaluate(scroll)
            assert scroll_width <= client_width, (name, scroll_width, client_width)
            _capture_whole_page(page, CAPTURES / f"resumen-{name}.png")
            page.locator("details.plegable > summary").click()  # the widest table, unfolded
            scroll_width, client_width = page.evaluate(scroll)
            assert scroll_width <= client_width, (name, "con la tabla desplegada", scroll_width, client_width)
            reader.assert_clean(f"resumen a {width} px")
        finally:
            context.close()
    assert (CAPTURES / "resumen-telefono.png").stat().st_size > 10_000


def _capture_whole_page(page, path: Path) -> None:
    """The whole page as a screen as tall as the page would show it, then the screen put back.

    Chromium's full-page capture stretches the page without resizing its sticky sidebars, and cut
    the page's table of contents short, which no reader sees.
    """
    width, height = page.viewport_size["width"], page.viewport_size["height"]
    page.set_viewport_size({"width": width, "height": page.evaluate("document.documentElement.scrollHeight")})
    page.wait_for_timeout(200)
    page.screenshot(path=str(path))
    page.set_viewport_size({"width": width, "height": height})


def test_the_summary_prints_without_sidebars_and_with_whole_tables(browser, base_url):
    # A4 at 96 px per inch, less the print stylesheet's margins: the width a printed page has.
    context = browser.new_context(viewport={"width": 700, "height": 1000}, locale="es-GT")
    try:
        reader = Reader(context, base_url)
        page = reader.page
        page.goto(f"{base_url}/resumen.html", wait_until="load")
        page.emulate_media(media="print")
        page.evaluate("window.dispatchEvent(new Event('beforeprint'))")
        assert page.locator("details.plegable").get_attribute("open") is not None
        hidden = page.evaluate(
            """() => ['.bd-sidebar-primary', '.bd-sidebar-secondary', '.bd-header', '.bd-header-article',
                      '.prev-next-footer', '.tabla-controles'].map(s => [...document.querySelectorAll(s)]
                      .every(el => getComputedStyle(el).display === 'none'))"""
        )
        assert all(hidden), hidden
        # the edition and the date of the data, on paper
        assert page.locator(".bd-footer-content").is_visible()
        cut = page.evaluate(
            """() => [...document.querySelectorAll('.tabla-contenedor')]
                .filter(box => box.scrollWidth > box.clientWidth + 1)
                .map(box => box.querySelector('th').textContent)"""
        )
        assert cut == [], f"tablas cortadas en papel: {cut}"
        pdf = page.pdf(path=str(CAPTURES / "resumen.pdf"), format="A4", print_background=True)
        assert pdf.startswith(b"%PDF") and 2 <= len(re.findall(rb"/Type\s*/Page\b", pdf)) <= 3
        reader.assert_clean("impresión")
    finally:
        context.close()


# -------------------------------------------------------------------------- layout: 1280 px, phone, dark mode


def _scrolled_to(page, url: str, selector: str):
    """The first element *selector* of the page at *url*, scrolled into view (after the page loaded)."""
    page.goto(url, wait_until="load")
    found = page.locator(selector).first
    found.scroll_into_view_if_needed()
    return found


def test_at_1280px_a_projection_table_shows_every_figure_up_to_its_interval_and_keeps_the_product_in_view(
    reader, base_url
):
    """Only the note, which says in words what the figures say, may need the table scrolled sideways."""
    reader.page.goto(f"{base_url}/proyeccion.html", wait_until="load")
    ends = reader.page.evaluate("""() => [...document.querySelectorAll('table.tabla-interactiva')]
        .filter(t => t.querySelector('td.rango')).map(t => {
            const box = t.closest('.tabla-contenedor').getBoundingClientRect();
            const cells = [...t.tHead.rows[0].cells];
            const last = cells.findIndex(th => th.textContent.trim().startsWith('Intervalo'));
            return {box: box.right, last, right: cells[last].getBoundingClientRect().right,
                    hidden: cells.slice(0, last + 1)
                        .filter(th => th.getBoundingClientRect().right > box.right + 1)
                        .map(th => th.textContent.trim())};
        })""")
    assert len(ends) == 4 and all(e["last"] == 6 for e in ends), ends  # one table per program, interval 7th
    assert all(not e["hidden"] for e in ends), ends
    table = _scrolled_to(reader.page, f"{base_url}/proyeccion.html", "table.tabla-interactiva")
    geometry = """table => {
        const box = table.closest('.tabla-contenedor').getBoundingClientRect();
        const first = table.tBodies[0].rows[0].cells, r1 = first[0].getBoundingClientRect(),
              r2 = first[1].getBoundingClientRect();
        return {box: [box.left, box.right], producto: [r1.left, r1.right], descripcion: [r2.left, r2.right]};
    }"""
    left, right = table.evaluate(geometry)["box"]
    table.evaluate("t => { const box = t.closest('.tabla-contenedor'); box.scrollLeft = box.scrollWidth; }")
    assert table.evaluate("t => t.closest('.tabla-contenedor').scrollLeft") > 0, (
        "la tabla ya no se desplaza: nada que probar"
    )
    after = table.evaluate(geometry)
    assert abs(after["producto"][0] - left) <= 1 and after["descripcion"][0] >= after["producto"][1] - 1, (
        after
    )
    assert after["descripcion"][1] <= right, after
    cover = table.evaluate("""t => { const cell = t.tBodies[0].rows[0].cells[1];
        cell.scrollIntoView({block: 'center', inline: 'nearest'});
        const r = cell.getBoundingClientRect();
        const hit = document.elementFromPoint(r.left + 8, r.top + r.height / 2);
        return cell.contains(hit) || hit.tagName; }""")
    assert cover is True, "al desplazar la tabla, otra columna tapa la descripción del producto"
    reader.assert_clean("tabla de proyección a 1280 px")


@pytest.mark.parametrize(
    ("name", "section"),
    [("ejecucion_poa.html", "programa-11"), ("pei.html", "metas-cuantitativas-e-indicadores")],
)
def test_at_1280px_a_table_a_few_pixels_too_wide_fits_its_box_instead_of_hiding_a_column_edge(
    reader, base_url, name, section
):
    """The subprogram (50 px) and the PEI target (40 px) were cut at the right edge, header half shown."""
    box = _scrolled_to(reader.page, f"{base_url}/{name}", f"section#{section} .tabla-contenedor")
    client, scroll = box.evaluate("b => [b.clientWidth, b.scrollWidth]")
    assert scroll <= client + 1, (name, section, client, scroll)
    reader.assert_clean(f"{name}: tabla a 1280 px")


def test_at_1280px_the_title_of_a_table_wider_than_its_box_stays_whole_and_in_view_when_scrolled(
    reader, base_url
):
    """A long title was cut at the box's right edge, and scrolled out of view with the table."""
    box = _scrolled_to(reader.page, f"{base_url}/proyeccion.html", "section#programa-11 .tabla-contenedor")
    where = """b => { const c = b.querySelector('caption').getBoundingClientRect(),
                             r = b.getBoundingClientRect();
        return {caption: [c.left, c.right], box: [r.left, r.right],
                scroll: b.scrollWidth - b.clientWidth}; }"""
    before = box.evaluate(where)
    assert before["scroll"] > 0, "la tabla ya no se desplaza: nada que probar"
    assert before["caption"][1] <= before["box"][1] + 1, before
    box.evaluate("b => { b.scrollLeft = b.scrollWidth; }")
    after = box.evaluate(where)
    assert abs(after["caption"][0] - after["box"][0]) <= 1 and after["caption"][1] <= after["box"][1] + 1, (
        after
    )
    reader.assert_clean("título de tabla a 1280 px")


def test_at_1280px_each_pei_link_is_a_card_with_every_field_in_view_and_its_reason_across_it(
    reader, base_url
):
    """Ten columns did not fit the text column: the product's advance and semáforo came after the long
    reason, 400 px off to the right, and each row stood ten lines tall and mostly blank."""
    selector = "section#productos-del-poa-que-sirven-a-cada-objetivo table.tabla-pei"
    table = _scrolled_to(reader.page, f"{base_url}/pei.html", selector)
    cards = table.evaluate("""t => { const box = t.closest('.tabla-contenedor').getBoundingClientRect();
        return [...t.tBodies[0].rows].map(row => {
            const card = row.getBoundingClientRect(), cells = [...row.cells];
            const out = cells.filter(c => { const r = c.getBoundingClientRect();
                return !(r.width > 0 && r.left >= box.left - 0.5 && r.right <= box.right + 0.5); });
            const reason = cells.find(c => c.dataset.etiqueta === 'Razón del vínculo');
            return {off: out.map(c => c.dataset.etiqueta), height: card.height,
                    reason: reason.getBoundingClientRect().width / card.width}; }); }""")
    assert len(cards) >= 40
    assert [c for c in cards if c["off"]] == []
    assert min(c["reason"] for c in cards) > 0.9, cards[:3]
    assert max(c["height"] for c in cards) < 450, max(c["height"] for c in cards)
    reader.assert_clean("vínculos del PEI a 1280 px")


_TREE_STATE = """actor => {
    const tree = document.querySelector('.pei-arbol');
    const items = [...tree.querySelectorAll('li[id]')];
    const names = li => (li.getAttribute('data-actores') || '').split('|');
    const shown = li => !li.closest('[hidden]') && li.getClientRects().length > 0;
    return {
        naming: items.filter(li => names(li).includes(actor)).length,
        namingShown: items.filter(li => names(li).includes(actor) && shown(li)).length,
        othersShown: items.filter(li => !names(li).includes(actor) && !li.querySelector('[data-actores]')
            && !li.parentElement.closest('li[id]') && shown(li)).length,
        shown: items.filter(shown).length, total: items.length,
        status: tree.querySelector('.pei-filtro-estado').textContent,
    };
}"""


def test_choosing_a_unit_in_the_pei_tree_leaves_in_view_only_the_goals_and_actions_that_name_it(
    reader, base_url
):
    """The selector is built by book/_static/arbol_pei.js; without it the tree reads whole."""
    page = reader.page
    page.goto(f"{base_url}/pei.html", wait_until="load")
    select = page.locator("select#pei-filtro-actor")
    options = select.evaluate("s => [...s.options].map(o => o.value).filter(Boolean)")
    assert len(options) >= 5
    actor = options[0]
    select.select_option(actor)
    state = page.evaluate(_TREE_STATE, actor)
    assert state["naming"] >= 1 and state["namingShown"] == state["naming"], state
    assert state["othersShown"] == 0 and state["shown"] < state["total"], state
    expected = "meta o acción nombra a" if state["naming"] == 1 else "metas o acciones nombran a"
    assert state["status"] == f"{state['naming']} {expected} {actor}.", state
    select.select_option("")
    state = page.evaluate(_TREE_STATE, actor)
    assert state["status"] == "" and not page.evaluate(
        "() => [...document.querySelectorAll('.pei-arbol li[id], .pei-arbol details')].some(e => e.hidden)"
    )
    reader.assert_clean("filtro del árbol del PEI")


def test_on_a_375px_phone_the_pei_tree_selector_fits_the_screen_and_is_tall_enough_to_tap(browser, base_url):
    context = browser.new_context(viewport={"width": 375, "height": 812}, locale="es-GT")
    try:
        reader = Reader(context, base_url)
        reader.page.goto(f"{base_url}/pei.html", wait_until="load")
        box = reader.page.locator("select#pei-filtro-actor").bounding_box()
        assert box["height"] >= 24 and box["x"] >= 0 and box["x"] + box["width"] <= 375, box
        reader.assert_clean("selector del árbol del PEI a 375 px")
    finally:
        context.close()


@pytest.mark.parametrize("name", ["resumen.html", "ejecucion_poa.html", "proyeccion.html"])
def test_on_a_375px_phone_every_chart_fits_the_screen_with_no_sideways_scroll(browser, base_url, name):
    context = browser.new_context(viewport={"width": 375, "height": 812}, locale="es-GT")
    try:
        reader = Reader(context, base_url)
        page = reader.page
        page.goto(f"{base_url}/{name}", wait_until="load")
        assert _images_loaded(page)
        too_wide = page.evaluate("""() => [...document.querySelectorAll('article img')].filter(img => {
                const r = img.getBoundingClientRect(), figure = img.closest('figure');
                return r.width > document.documentElement.clientWidth - 8
                    || (figure && figure.scrollWidth > figure.clientWidth + 1) || r.right > innerWidth;
            }).map(img => img.getAttribute('src'))""")
        assert too_wide == [], f"{name}: gráficos más anchos que la pantalla: {too_wide}"
        reader.assert_clean(f"{name} a 375 px")
    finally:
        context.close()


_CONTRAST = """cell => {
    const rgb = text => (text.match(/[\\d.]+/g) || []).map(Number);
    const luminance = ([r, g, b]) => [r, g, b].map(v => { v /= 255; return v <= 0.03928 ? v / 12.92 :
        Math.pow((v + 0.055) / 1.055, 2.4); })
        .reduce((sum, v, i) => sum + v * [0.2126, 0.7152, 0.0722][i], 0);
    let el = cell, background;
    while (el) { const c = rgb(getComputedStyle(el).backgroundColor); if (c.length === 3 || c[3] > 0.5) {
        background = c; break; } el = el.parentElement; }
    background = background || [255, 255, 255];
    const [a, b] = [luminance(rgb(getComputedStyle(cell).color)), luminance(background)];
    return (Math.max(a, b) + 0.05) / (Math.min(a, b) + 0.05);
}"""


@pytest.mark.parametrize("theme", ["dark", "light"])
def test_table_headings_and_cells_are_readable_in_both_themes(reader, base_url, theme):
    page = reader.page
    for name in ("proyeccion.html", "resumen.html"):
        page.goto(f"{base_url}/{name}", wait_until="load")
        page.evaluate(f"document.documentElement.dataset.theme = '{theme}'")
        selectors = [
            "table.tabla-pei thead th",
            "table.tabla-pei tbody td.texto",
            "table.tabla-pei caption",
            ".tabla-controles label",
        ] + (["details.plegable > summary"] if name == "resumen.html" else [])
        for selector in selectors:
            cells = page.locator(selector)
            ratios = [cells.nth(i).evaluate(_CONTRAST) for i in range(min(cells.count(), 12))]
            assert ratios or "thead" not in selector, (name, "sin tablas que medir")
            assert min(ratios, default=21) >= 4.5, (name, theme, selector, ratios)
    reader.assert_clean(f"tema {theme}")


@pytest.mark.parametrize("theme", ["dark", "light"])
def test_a_figures_caption_and_its_source_line_read_in_regular_weight_in_both_themes(reader, base_url, theme):
    """The theme set captions in a light face (300): thin grey text for the line that says where a figure's
    numbers come from."""
    page = reader.page
    page.goto(f"{base_url}/resumen.html", wait_until="load")
    page.evaluate(f"document.documentElement.dataset.theme = '{theme}'")
    captions = page.locator("article figcaption p")
    assert captions.count() >= 2, "sin pies de figura que medir"
    for i in range(captions.count()):
        caption = captions.nth(i)
        assert int(caption.evaluate("p => getComputedStyle(p).fontWeight")) >= 400, caption.inner_text()
        assert caption.evaluate(_CONTRAST) >= 4.5, (theme, caption.inner_text())


def test_the_list_of_editions_loads_with_its_icon_and_no_console_error(browser, tmp_path):
    write_index(tmp_path)
    with _served(tmp_path) as url:
        context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="es-GT")
        try:
            reader = Reader(context, url)
            reader.page.goto(f"{url}/index.html", wait_until="load")
            reader.page.wait_for_timeout(300)  # the icon is fetched after the load event
            assert reader.page.title().endswith("ediciones")
            reader.assert_clean("lista de ediciones")
        finally:
            context.close()


def test_on_a_375px_phone_the_decision_board_reads_without_sideways_scrolling(browser, base_url):
    """Issue #20: which products close short, by how much and what it would take, seen on a phone."""
    context = browser.new_context(viewport={"width": 375, "height": 812}, locale="es-GT")
    try:
        page = context.new_page()
        page.goto(f"{base_url}/resumen.html", wait_until="load")
        cards = page.locator(".tablero li.tarjeta")
        assert cards.count() >= 1
        assert page.evaluate("document.documentElement.scrollWidth") <= 375
        first = cards.first
        assert "Le faltarían cerca de" in first.inner_text() and "veces su ritmo actual" in first.inner_text()
        overflow = page.evaluate(
            """() => [...document.querySelectorAll('.tablero li.tarjeta')].filter(card => {
                const box = card.getBoundingClientRect();
                return box.right > window.innerWidth || card.scrollWidth > card.clientWidth; }).length"""
        )
        assert overflow == 0
        CAPTURES.mkdir(parents=True, exist_ok=True)
        first.screenshot(path=str(CAPTURES / "tablero-telefono.png"))
    finally:
        context.close()


def test_on_a_375px_phone_the_appendixs_markdown_tables_fit_and_the_wide_ones_become_cards(browser, base_url):
    """The appendix's tables are written in Markdown, not by display.html_table: at full size the table of
    methods overflowed the screen by 6 px, and the comparisons (six columns) showed three or four of them,
    the rest scrolled out of sight. Now the narrow ones take the book's small type and the wide ones a card
    per row (book/_static/tablas.js), whose continued rows («| | 2 | …») name the set of the row above."""
    page = browser.new_page(viewport={"width": 375, "height": 812})
    try:
        page.goto(f"{base_url}/anexo_tecnico.html", wait_until="load")
        tables = page.evaluate(
            """() => [...document.querySelectorAll('article table.table')].map(t => ({
                id: t.closest('section').id, size: parseFloat(getComputedStyle(t).fontSize),
                columns: t.tHead.rows[0].cells.length, cards: getComputedStyle(t.tBodies[0].rows[0]).display,
                over: t.parentElement.scrollWidth - t.parentElement.clientWidth}))"""
        )
        assert len(tables) >= 5 and all(t["size"] <= 13 for t in tables), tables
        assert all(t["over"] <= 0 for t in tables), tables
        wide = [t for t in tables if t["columns"] >= 5]
        assert len(wide) >= 3 and all(t["cards"] == "block" for t in wide), tables
        second = page.locator("#evaluacion-backtest table.table").first.locator("tbody tr").nth(1)
        cells = second.evaluate(
            """r => [...r.cells].map(c => [getComputedStyle(c, '::before').content,
                                            getComputedStyle(c, '::after').content])"""
        )
        assert cells[0] == ['"Conjunto"', '"Empleo de EE. UU., 148 series reales, todos los orígenes (5770)"']
        assert cells[1][0] == '"Cuatrimestres observados"' and cells[2][0] == '"Motor"', cells
    finally:
        page.close()


def test_at_1280px_the_appendixs_wide_tables_stay_tables(reader, base_url):
    reader.page.goto(f"{base_url}/anexo_tecnico.html", wait_until="load")
    shown = reader.page.evaluate(
        """() => [...document.querySelectorAll('article table.tabla-markdown')].map(t =>
            [getComputedStyle(t).display, getComputedStyle(t.tHead).position])"""
    )
    assert len(shown) >= 3 and all(s == ["table", "static"] for s in shown), shown


# --------------------------------------------------------------------------- issue #20: charts on a phone

#: The smallest letter a reader should meet in a chart, in CSS px, and the phone the book is checked on.
SMALLEST_LETTER = 11
PHONE = {"width": 375, "height": 812}

#: For each visible chart of the page: its file, its rendered width and its smallest letter in CSS px,
#: computed from the SVG's own font sizes (in viewBox units) times the scale it is drawn at.
_CHART_LETTERS = """async () => {
    const out = [];
    for (const img of document.querySelectorAll('article img')) {
        const box = img.getBoundingClientRect();
        if (!box.width || getComputedStyle(img).display === 'none' || !img.src.endsWith('.svg')) continue;
        const svg = new DOMParser().parseFromString(await (await fetch(img.src)).text(), 'image/svg+xml');
        const scale = box.width / Number(svg.documentElement.getAttribute('viewBox').split(/\\s+/)[2]);
        const sizes = [...svg.querySelectorAll('text')].map(t => /font-size:\\s*([\\d.]+)px/.exec(
            t.getAttribute('style') || '')).filter(Boolean).map(m => parseFloat(m[1]) * scale);
        out.push({src: img.getAttribute('src'), width: box.width, texts: sizes.length,
                  smallest: Math.min(...sizes)});
    }
    return out;
}"""


def _phone(browser, base_url):
    context = browser.new_context(viewport=PHONE, locale="es-GT")
    return context, Reader(context, base_url)


def test_on_a_375px_phone_no_page_of_the_edition_scrolls_sideways(browser, base_url, site):
    context, reader = _phone(browser, base_url)
    try:
        wide = {}
        for name in sorted(p.name for p in site.glob("*.html")):
            reader.page.goto(f"{base_url}/{name}", wait_until="load")
            if name == "index.html":  # the edition's index leads to the summary
                reader.page.wait_for_url(re.compile(r"/resumen\.html$"))
            _images_loaded(reader.page)
            width = reader.page.evaluate("document.documentElement.scrollWidth")
            if width > PHONE["width"]:
                wide[name] = width
        assert wide == {}, f"páginas más anchas que un teléfono de 375 px: {wide}"
        reader.assert_clean("todas las páginas a 375 px")
    finally:
        context.close()


@pytest.mark.parametrize("name", ["resumen.html", "ejecucion_poa.html", "proyeccion.html"])
def test_on_a_375px_phone_every_chart_writes_its_letters_at_11px_or_more(browser, base_url, name):
    context, reader = _phone(browser, base_url)
    try:
        reader.page.goto(f"{base_url}/{name}", wait_until="load")
        _images_loaded(reader.page)
        charts = reader.page.evaluate(_CHART_LETTERS)
        figures = reader.page.locator("article figure").count()
        assert figures >= 1 and len(charts) == figures, (name, figures, charts)  # one visible chart a figure
        assert all(c["texts"] > 3 for c in charts), charts  # letters as text, so they can be measured
        small = [c for c in charts if c["smallest"] < SMALLEST_LETTER]
        assert small == [], f"{name}: letras de menos de {SMALLEST_LETTER} px en un teléfono: {small}"
        reader.assert_clean(f"{name}: letras a 375 px")
    finally:
        context.close()


@pytest.mark.parametrize("name", ["resumen.html", "ejecucion_poa.html", "proyeccion.html"])
def test_at_1280px_each_figure_shows_its_wide_chart_and_hides_its_phone_chart(reader, base_url, name):
    page = reader.page
    page.goto(f"{base_url}/{name}", wait_until="load")
    _images_loaded(page)
    shown = page.evaluate("""() => [...document.querySelectorAll('article img')].map(img => [img.className,
        getComputedStyle(img).display !== 'none' && img.getBoundingClientRect().width > 0])""")
    figures = page.locator("article figure").count()
    expected = [["grafico-ancho", True]] * figures + [["grafico-telefono", False]] * figures
    assert figures >= 1 and sorted(shown) == sorted(expected), shown
    assert page.locator("article figure img.grafico-ancho").count() == figures  # the caption: the wide one's
    reader.assert_clean(f"{name}: gráficos a 1280 px")


@contextlib.contextmanager
def _phone_table(browser, base_url, page_name: str, selector: str):
    """A page at 375 px scrolled to one of its tables: (reader, table); the page closes after the checks."""
    context, reader = _phone(browser, base_url)
    try:
        yield reader, _scrolled_to(reader.page, f"{base_url}/{page_name}", selector)
    finally:
        context.close()


@pytest.mark.parametrize(
    ("name", "section"),
    [
        ("metodologia.html", "fuentes"),
        ("metodologia.html", "verificaciones"),
        ("datos.html", "diccionario-de-columnas"),
        ("ejecucion_poa.html", "programa-11"),
        ("ejecucion_poa.html", "programa-12"),
        ("pei.html", "los-objetivos-en-cifras"),
        ("pei.html", "las-estrategias"),
        ("pei.html", "metas-cuantitativas-e-indicadores"),
        ("pei.html", "productos-del-poa-que-sirven-a-cada-objetivo"),
        ("pei.html", "ejes-tematicos-y-objetivos-estrategicos"),
        ("pei.html", "lo-que-es-lectura-de-esta-publicacion"),
    ],
)
def test_on_a_375px_phone_every_column_of_a_reference_table_is_on_screen(browser, base_url, name, section):
    """The sources: the SHA-256 of each original stretched every row and pushed the other columns off screen.
    The recomputed percentages: the largest difference was cut at the screen's edge.
    The column dictionary: which downloads hold each column was off screen. The execution tables: lo
    programado and lo ejecutado were off screen, past a description that ran the height of the screen. The
    PEI's tables: the semáforo of each strategy, the baseline and target of each meta and all but the first
    columns of each link were off screen; so were the objectives O3 to O5 of each eje and the reason of each
    reading of this publication. (An empty cell of a matrix of marks is left out of its card.)"""
    with _phone_table(browser, base_url, name, f"section#{section} table.tabla-pei") as (
        reader,
        table,
    ):
        off_screen = table.evaluate("""t => [...t.tBodies[0].rows].flatMap(row => [...row.cells])
            .filter(cell => cell.textContent.trim() || getComputedStyle(cell).display !== 'none')
            .filter(cell => { const r = cell.getBoundingClientRect();
                return !(r.width > 0 && r.left >= 0 && r.right <= innerWidth + 0.5); })
            .map(cell => cell.textContent.trim())""")
        assert off_screen == [], f"{name}#{section}: celdas fuera de la pantalla a 375 px: {off_screen}"
        reader.assert_clean(f"{name}#{section} a 375 px")


def test_on_a_375px_phone_each_products_sicoin_description_spans_its_card(browser, base_url):
    """The fixed product column held the description to 8.5rem, a few words per line, inside a wide card."""
    with _phone_table(browser, base_url, "ejecucion_poa.html", "section#programa-11 table.tabla-pei") as (
        reader,
        table,
    ):
        widths = table.evaluate("""t => [...t.tBodies[0].rows].map(row => row.cells[1])
            .map(cell => cell.getBoundingClientRect().width / t.getBoundingClientRect().width)""")
        assert len(widths) >= 3 and min(widths) > 0.9, widths
        reader.assert_clean("descripciones de ejecución a 375 px")


def test_on_a_375px_phone_an_intervals_two_ends_and_a_products_unit_stay_beside_what_they_belong_to(
    browser, base_url
):
    """A card lays each cell out as a row that spreads its boxes apart: the interval's ends went to the two
    sides of the card («212,234 a» far from «268,014») and the unit stood apart from the product's name."""
    with _phone_table(browser, base_url, "proyeccion.html", "section#programa-11 table.tabla-pei") as (
        reader,
        table,
    ):
        gaps = table.evaluate("""t => [...t.querySelectorAll('td.rango')]
          .filter(cell => cell.querySelectorAll('.extremo').length === 2).map(cell => {  // has two ends
            const [a, b] = [...cell.querySelectorAll('.extremo')].map(e => e.getBoundingClientRect());
            return a.top === b.top ? b.left - a.right : 0; })""")
        assert len(gaps) >= 3 and max(gaps) < 12, gaps
        units = table.evaluate("""t => [...t.querySelectorAll('.unidad')].map(unit => {
            const name = unit.parentElement.firstElementChild.getBoundingClientRect(),
                  r = unit.getBoundingClientRect();
            return [r.top - name.bottom, Math.abs(r.right - name.right)]; })""")
        assert len(units) >= 3 and all(0 <= below < 8 and offset < 2 for below, offset in units), units
        reader.assert_clean("intervalo y unidad a 375 px")


def test_on_a_375px_phone_each_projection_method_is_a_card_as_wide_as_the_screen(browser, base_url):
    """The method's name was a column 70 px wide, a word per line, beside its description."""
    selector = "section#metodo-de-proyeccion-usado table.tabla-pei"
    with _phone_table(browser, base_url, "proyeccion.html", selector) as (reader, table):
        widths = table.evaluate("""t => [...t.tBodies[0].rows].flatMap(row => [...row.cells])
            .map(cell => cell.getBoundingClientRect().width / t.getBoundingClientRect().width)""")
        assert widths and min(widths) > 0.9, widths
        reader.assert_clean("métodos a 375 px")


@pytest.mark.parametrize(
    ("name", "section"),
    [
        ("resumen.html", "mayores-rezagos"),
        ("proyeccion.html", "programa-11"),
        ("proyeccion.html", "programa-12"),
        ("resumen.html", "todos-los-productos"),
    ],
)
def test_on_a_375px_phone_each_products_percentage_and_semaforo_are_on_screen(
    browser, base_url, name, section
):
    """«Mayores rezagos», «Todos los productos» (folded: opened first) and the projection tables: at 375 px
    the semáforo was behind the fixed columns or past the screen's edge."""
    with _phone_table(browser, base_url, name, f"section#{section} table.tabla-pei") as (
        reader,
        table,
    ):
        reader.page.evaluate("() => document.querySelectorAll('details').forEach(d => { d.open = true; })")
        rows = table.evaluate("""t => [...t.tBodies[0].rows].map(row => {
            const box = cell => { const r = cell.getBoundingClientRect();
                return r.width > 0 && r.left >= 0 && r.right <= innerWidth + 0.5; };
            const cells = [...row.cells], heading = i => t.tHead.rows[0].cells[i].textContent.trim();
            const pct = cells.filter((c, i) => heading(i).startsWith('%'));
            const status = cells.filter(c => c.classList.contains('estado'));
            return {product: cells[0].textContent.trim(), pct: pct.length >= 1 && pct.every(box),
                    semaforo: status.length === 1 && box(status[0]),
                    labels: cells.map(c => getComputedStyle(c, '::before').content.replace(/^"|"$/g, ''))};
        })""")
        assert len(rows) >= 3, rows
        hidden = [r for r in rows if not (r["pct"] and r["semaforo"])]
        assert hidden == [], f"{name}#{section} esconde el % o el semáforo a 375 px: {hidden}"
        headings = table.locator("thead th").all_inner_texts()
        assert all(r["labels"] == [h.strip() for h in headings] for r in rows), rows  # each value is labelled
        reader.assert_clean(f"{name}#{section} a 375 px")
