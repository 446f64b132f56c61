"""What a published edition keeps of the theme (pei_analysis.publish.theme_assets)."""

from __future__ import annotations

from pei_analysis.publish import theme_assets

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
</body>"""


def test_the_page_loses_the_icon_script_and_keeps_every_other_asset():
    out = theme_assets.without_icon_script(PAGE)
    assert "fontawesome.js" not in out
    assert '<link rel="preload" as="script" href="_static/scripts/bootstrap.js' in out
    assert out.startswith("<head>\n  <link rel=")  # no blank line left where the tag was


def test_each_icon_is_hidden_from_screen_readers_once_and_nothing_else_changes():
    out = theme_assets.without_icon_script(PAGE)
    assert '<i aria-hidden="true" class="fa-solid fa-print"></i>' in out
    assert '<i aria-hidden="true" class="theme-switch fa-solid fa-sun fa-lg" data-mode="light"' in out
    assert '<span aria-hidden="true" class="fa-solid fa-bars"></span>' in out
    assert '<span aria-hidden="true" class="fas fa-expand"></span>' in out
    assert out.count("aria-hidden") == 5
    assert '<img alt="fa-solid" src="x.svg"><i class="nota">fa-solid en el texto</i>' in out
    assert '<span class="unidad">unidad</span>' in out
    assert theme_assets.without_icon_script(out) == out


def test_trimming_a_built_book_removes_the_script_its_licence_and_the_source_maps(tmp_path):
    scripts = tmp_path / "_static" / "scripts"
    scripts.mkdir(parents=True)
    for name in ("fontawesome.js", "fontawesome.js.LICENSE.txt", "fontawesome.js.map", "bootstrap.js"):
        (scripts / name).write_text("x", encoding="utf-8")
    (tmp_path / "_static" / "libro.css").write_text("x", encoding="utf-8")
    (tmp_path / "resumen.html").write_text(PAGE, encoding="utf-8")
    (tmp_path / "otra.html").write_text("<p>sin íconos</p>", encoding="utf-8")
    theme_assets.trim_theme(tmp_path)
    left = sorted(str(p.relative_to(tmp_path)) for p in tmp_path.rglob("*") if p.is_file())
    assert left == ["_static/libro.css", "_static/scripts/bootstrap.js", "otra.html", "resumen.html"]
    assert (tmp_path / "resumen.html").read_text(encoding="utf-8") == theme_assets.without_icon_script(PAGE)
    assert (tmp_path / "otra.html").read_text(encoding="utf-8") == "<p>sin íconos</p>"
