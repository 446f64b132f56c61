"""What the build trims from the pages so a reader downloads less (pei_analysis.publish.page_weight)."""

from __future__ import annotations

from pei_analysis.publish import page_weight

PAGE = """<head>
  <script defer src="_static/scripts/fontawesome.js?digest=55c26ed414f5f8a31ebb"></script>
  <link rel="preload" as="script" href="_static/scripts/bootstrap.js?digest=55c26ed414f5f8a31ebb" />
</head><body>
<button title="Imprimir"><i class="fa-solid fa-print"></i></button>
<i class="theme-switch fa-solid fa-sun fa-lg" data-mode="light" title="Claro"></i>
<span class="fa-solid fa-bars"></span>
<span class="fas fa-expand"></span>
<i aria-hidden="true" class="fa-solid fa-list"></i>
<img alt="fa-solid" src="x.svg"><i class="nota">fa-solid en el texto</i><span class="unidad">unidad</span>
<img alt="Gráfico" class="grafico-telefono" src="_images/a.svg" />
<figure><img alt="Gráfico" class="grafico-ancho" src="_images/b.svg" /></figure>
<img alt="Otro gráfico" src="_images/c.svg" /><img loading="eager" class="grafico-ancho" src="d.svg" />
</body>"""


def test_the_page_loses_the_icon_script_and_keeps_every_other_asset():
    out = page_weight.lighter_page(PAGE)
    assert "fontawesome.js" not in out
    assert '<link rel="preload" as="script" href="_static/scripts/bootstrap.js' in out
    assert out.startswith("<head>\n  <link rel=")  # no blank line left where the tag was


def test_each_icon_is_hidden_from_screen_readers_once_and_nothing_else_changes():
    out = page_weight.lighter_page(PAGE)
    assert '<i aria-hidden="true" class="fa-solid fa-print"></i>' in out
    assert '<i aria-hidden="true" class="theme-switch fa-solid fa-sun fa-lg" data-mode="light"' in out
    assert '<span aria-hidden="true" class="fa-solid fa-bars"></span>' in out
    assert '<span aria-hidden="true" class="fas fa-expand"></span>' in out
    assert out.count("aria-hidden") == 5
    assert '<img alt="fa-solid" src="x.svg"><i class="nota">fa-solid en el texto</i>' in out
    assert '<span class="unidad">unidad</span>' in out
    assert page_weight.lighter_page(out) == out


def test_each_chart_drawn_twice_loads_when_shown_and_any_other_image_as_before():
    out = page_weight.lighter_page(PAGE)
    assert '<img loading="lazy" alt="Gráfico" class="grafico-telefono" src="_images/a.svg" />' in out
    assert (
        '<figure><img loading="lazy" alt="Gráfico" class="grafico-ancho" src="_images/b.svg" /></figure>'
        in out
    )
    assert '<img alt="Otro gráfico" src="_images/c.svg" />' in out
    assert '<img loading="eager" class="grafico-ancho" src="d.svg" />' in out  # a choice already made stays
    assert out.count('loading="lazy"') == 2


def test_a_chart_keeps_its_place_while_it_loads_with_the_size_of_its_svg(tmp_path):
    svg = tmp_path / "a.svg"
    svg.write_text(
        '<svg xmlns="http://www.w3.org/2000/svg" width="518.4pt" height="433.44pt">', encoding="utf-8"
    )
    assert page_weight.svg_size(svg) == (691, 578)  # 96 CSS pixels per 72 points
    assert page_weight.svg_size(tmp_path / "b.svg") is None and page_weight.svg_size(tmp_path) is None
    tall = tmp_path / "telefono.svg"  # a phone chart: 345.6 × 2,600 CSS pixels, shown 343 px wide
    tall.write_text(
        '<svg xmlns="http://www.w3.org/2000/svg" width="259.2pt" height="1950pt">', encoding="utf-8"
    )
    width, height = page_weight.svg_size(tall)
    assert abs(343 * height / width - 343 * 2600 / 345.6) < 0.5  # the place kept is the height it gets
    sizes = {"_images/a.svg": (691, 578)}
    out = page_weight.lighter_page(PAGE, sizes.get)
    assert '<img loading="lazy" width="691" height="578" alt="Gráfico" class="grafico-telefono"' in out
    assert '<img loading="lazy" alt="Gráfico" class="grafico-ancho" src="_images/b.svg" />' in out  # no size
    assert page_weight.lighter_page(out, sizes.get) == out
    kept = '<img alt="ancho de 5 width=3" width="10" class="grafico-ancho" src="_images/a.svg">'
    assert page_weight.lighter_page(kept, sizes.get) == (
        '<img loading="lazy" height="578" alt="ancho de 5 width=3" width="10" class="grafico-ancho" '
        'src="_images/a.svg">'
    )


def test_trimming_a_built_book_removes_the_script_its_licence_and_the_source_maps(tmp_path):
    scripts = tmp_path / "_static" / "scripts"
    scripts.mkdir(parents=True)
    for name in ("fontawesome.js", "fontawesome.js.LICENSE.txt", "fontawesome.js.map", "bootstrap.js"):
        (scripts / name).write_text("x", encoding="utf-8")
    (tmp_path / "_static" / "libro.css").write_text("x", encoding="utf-8")
    (tmp_path / "_images").mkdir()
    (tmp_path / "_images" / "a.svg").write_text('<svg width="7.5pt" height="3pt">', encoding="utf-8")
    (tmp_path / "resumen.html").write_text(PAGE, encoding="utf-8")
    (tmp_path / "otra.html").write_text("<p>sin íconos</p>", encoding="utf-8")
    page_weight.trim_pages(tmp_path)
    left = sorted(str(p.relative_to(tmp_path)) for p in tmp_path.rglob("*") if p.is_file())
    assert left == [
        "_images/a.svg",
        "_static/libro.css",
        "_static/scripts/bootstrap.js",
        "otra.html",
        "resumen.html",
    ]
    trimmed = (tmp_path / "resumen.html").read_text(encoding="utf-8")
    assert trimmed == page_weight.lighter_page(PAGE, {"_images/a.svg": (10, 4)}.get)
    assert (tmp_path / "otra.html").read_text(encoding="utf-8") == "<p>sin íconos</p>"
