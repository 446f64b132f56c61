"""The book's charts (pei_analysis.chapters.figures): what they draw, how they label it, and that they leave
nothing open."""

from __future__ import annotations

import io

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt
import pytest
from matplotlib.backends.backend_agg import FigureCanvasAgg

from pei_analysis.chapters import display as presentation
from pei_analysis.chapters import figures as plots
from pei_analysis.errors import DataError
from pei_analysis.model import attainment
from pei_analysis.model import edition as report


@pytest.fixture(scope="module")
def edition():
    return report.load_edition(2024, 1)


def texts(fig) -> list[str]:
    ax = fig.axes[0]
    found = [t.get_text() for t in ax.texts]
    found += [t.get_text() for t in ax.get_yticklabels()]
    for legend in fig.legends + ([ax.get_legend()] if ax.get_legend() else []):
        found += [t.get_text() for t in legend.get_texts()]
    return found


def png_size(fig) -> tuple[int, int]:
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png")
    data = buffer.getvalue()
    assert data.startswith(b"\x89PNG")
    return int.from_bytes(data[16:20], "big"), int.from_bytes(data[20:24], "big")


def test_avance_chart_draws_one_labelled_bar_per_product_and_the_expected_line(edition):
    fig = plots.avance_chart(edition.table, "11")
    ax = fig.axes[0]
    rows = edition.table[edition.table["programa"] == "11"]
    assert len(ax.patches) == len(rows)
    widths = sorted(round(p.get_width(), 6) for p in ax.patches)
    assert widths == sorted(round(v, 6) for v in rows["pct_avance"])
    written = texts(fig)
    assert "34.6%" in written  # product 4's avance, one decimal (SICOIN prints 34.55%)
    assert any(t.startswith(" esperado 33.3%") for t in written)
    assert any(line.get_xdata()[0] == pytest.approx(100 / 3) for line in ax.get_lines())
    assert "%" in ax.get_xlabel() and "programado" in ax.get_xlabel()
    assert fig.get_suptitle().startswith("Programa 11")


def test_avance_chart_marks_bars_behind_pace_by_hatching_as_well_as_colour(edition):
    fig = plots.avance_chart(edition.table, "12")
    rows = edition.table[edition.table["programa"] == "12"].sort_values("producto", ascending=False)
    hatches = [bool(p.get_hatch()) for p in fig.axes[0].patches]
    assert hatches == (rows["pct_avance"] < rows["pct_esperado"]).tolist()
    assert "por debajo del ritmo esperado" in texts(fig)


def test_projection_chart_writes_each_scored_products_percentage_and_names_the_unscored(edition):
    t = edition.table
    fig = plots.projection_chart(t, "12", edition.thresholds)
    written = texts(fig)
    rows = t[t["programa"] == "12"]
    for r in rows.to_dict("records"):
        style = presentation.STATUS_STYLE[r["estado"]]
        if r["estado"] in report.SCORED_STATES:
            doubt = " (incierto)" if r["estado_incierto"] else ""
            assert f"{style['simbolo']} {r['pct_proyectado']:.1f}%{doubt}" in written
    flagged = rows[~rows["estado"].isin(report.SCORED_STATES)]
    assert sum("no se califica" in t for t in written) == len(flagged)
    for estado in report.SCORED_STATES:
        assert f"{presentation.STATUS_STYLE[estado]['simbolo']} {estado}" in written


def test_projection_chart_says_which_states_the_interval_puts_in_doubt(edition):
    rows = edition.table[
        (edition.table["programa"] == "11") & edition.table["estado"].isin(report.SCORED_STATES)
    ]
    assert rows["estado_incierto"].any() and not rows["estado_incierto"].all()
    written = [t for t in texts(plots.projection_chart(edition.table, "11")) if t[:1] in "▲✔!✖"]
    assert sum(t.endswith("(incierto)") for t in written) == int(rows["estado_incierto"].sum())


def test_a_value_written_beside_a_point_or_bar_sits_on_white_so_no_reference_line_crosses_it(edition):
    values = []
    for fig in (plots.projection_chart(edition.table, "11"), plots.avance_chart(edition.table, "11")):
        values += [t for t in fig.axes[0].texts if t.get_text()[:1] in "▲✔!✖" or t.get_text()[:1].isdigit()]
    assert len(values) > 10
    for text in values:
        box = text.get_bbox_patch()
        assert box is not None, text.get_text()
        assert box.get_facecolor()[:3] == (1.0, 1.0, 1.0) and box.get_alpha() >= 0.7


def test_projection_chart_draws_the_thresholds_in_use(edition):
    limits = attainment.Thresholds(satisfactory=85, at_risk=60, over_execution=130)
    fig = plots.projection_chart(edition.table, "11", limits)
    xs = {
        round(float(line.get_xdata()[0]), 6)
        for line in fig.axes[0].get_lines()
        if len(set(line.get_xdata())) == 1
    }
    assert {60.0, 85.0, 100.0, 130.0} <= xs


def test_status_chart_labels_each_state_with_symbol_word_and_count(edition):
    counts = report.status_counts(edition.table)
    fig = plots.status_chart(counts)
    written = texts(fig)
    for r in counts[counts["productos"] > 0].to_dict("records"):
        assert f"{presentation.STATUS_STYLE[r['estado']]['simbolo']} {r['estado']}" in written
        assert str(r["productos"]) in written
    assert fig.axes[0].get_xlabel() == "Número de productos"


def test_charts_are_closed_so_jupyter_shows_each_once_and_they_render(edition):
    plt.close("all")
    figures = [
        plots.avance_chart(edition.table, "94"),
        plots.projection_chart(edition.table, "15"),
        plots.status_chart(report.status_counts(edition.table)),
    ]
    assert plt.get_fignums() == []
    for fig in figures:
        width, height = png_size(fig)
        assert width == int(plots.WIDTH * 150) and height > 100


def test_a_chart_of_an_unknown_program_is_refused_naming_the_programs_there_are(edition):
    with pytest.raises(DataError, match="11, 12, 15, 94"):
        plots.avance_chart(edition.table, "99")


def test_text_from_the_data_is_drawn_literally_never_as_mathtext_or_markup(edition):
    table = edition.table.copy()
    first = table.index[table["programa"] == "11"][0]
    table.loc[first, "descripcion"] = "Pagos de $\\nocomando$ y <script>alert(1)</script> (DYC)"
    figure = plots.projection_chart(table, "11")
    figure.canvas.draw()
    ticks = figure.axes[0].get_yticklabels()
    assert any("$\\nocomando$" in t.get_text() for t in ticks)
    assert not any(t.get_parse_math() for t in ticks)


def test_the_pace_colours_share_no_colour_with_the_semaforo():
    """Blue and amber mean sobre-ejecución and en riesgo; the execution chapter's pace (ahead or
    behind the even pace) and the history's bars must not reuse them with another meaning."""
    semaforo = {style["color"].upper() for style in presentation.STATUS_STYLE.values()}
    other = {
        c.upper() for c in (plots.AHEAD_COLOR, plots.BEHIND_COLOR, plots.CURRENT_COLOR, plots.PAST_COLOR)
    }
    assert other & semaforo == set()
    assert plots.AHEAD_COLOR != plots.BEHIND_COLOR


def test_the_svg_keeps_its_text_as_text_and_is_the_same_from_one_build_to_the_next(edition):
    svg = plots.svg_text(plots.avance_chart(edition.table, "11"))
    assert svg.count("<text") > 20 and "34.6%" in svg
    assert "DejaVuSans-" not in svg  # no glyphs drawn as paths
    assert "<dc:date>" not in svg
    assert svg == plots.svg_text(plots.avance_chart(edition.table, "11"))


def test_the_avance_data_are_the_bars_drawn_top_first(edition):
    fig = plots.avance_chart(edition.table, "12")
    data = plots.avance_data(edition.table, "12")
    drawn = [p.get_width() for p in fig.axes[0].patches][::-1]  # bars go bottom-up
    assert data["pct_avance"].tolist() == pytest.approx(drawn)
    assert data["por_debajo_del_ritmo"].tolist() == [bool(p.get_hatch()) for p in fig.axes[0].patches][::-1]
    assert data["pct_esperado"].tolist() == pytest.approx([100 / 3] * len(data))


def test_the_projection_data_give_each_point_and_interval_drawn_and_no_infinite_number(edition):
    table = edition.table
    data = plots.projection_data(table, "11")
    rows = table[table["programa"] == "11"].sort_values("producto")
    assert data["producto"].tolist() == rows["producto"].tolist()
    fig = plots.projection_chart(table, "11")
    points = sorted(
        round(float(line.get_xdata()[0]), 6)
        for line in fig.axes[0].get_lines()
        if len(line.get_xdata()) == 1 and line.get_marker() not in ("None", None, "")
    )
    scored = data[data["estado"].isin(report.SCORED_STATES)]
    assert points == sorted(round(v, 6) for v in scored["pct_proyectado"])
    assert not data.select_dtypes("number").isin([float("inf"), float("-inf")]).any().any()


def test_an_open_upper_limit_is_an_empty_cell_in_the_figures_data(edition):
    table = edition.table.copy()
    first = table.index[table["programa"] == "94"][0]
    table.loc[first, "pct_superior"] = float("inf")
    data = plots.projection_data(table, "94")
    assert data["pct_superior"].isna().iloc[0]


def test_the_status_data_are_the_counts_drawn(edition):
    counts = report.status_counts(edition.table)
    data = plots.status_data(counts)
    drawn = [p.get_width() for p in plots.status_chart(counts).axes[0].patches][::-1]
    assert data["productos"].tolist() == drawn and (data["productos"] > 0).all()


def test_the_source_line_names_sicoin_the_report_and_the_period():
    assert plots.source_line(2024, 1) == (
        "Fuente: SICOIN, Reporte Analítico de Ejecución Física, enero-abril 2024; "
        "cálculos de esta publicación."
    )
    assert "2021 a mayo-agosto 2024;" in plots.source_line(2024, 2, first_year=2021)


def _letters(fig) -> list[tuple[str, float]]:
    """Every piece of text the figure draws (titles, ticks, notes, legends) with its size in points."""
    fig.canvas.draw()
    return [
        (t.get_text(), t.get_fontsize())
        for t in fig.findobj(lambda a: hasattr(a, "get_fontsize"))
        if t.get_text().strip() and t.get_visible()
    ]


def drawn_box(fig):
    """The box (inches) around everything the figure draws, and the figure's own box."""
    canvas = FigureCanvasAgg(fig)
    canvas.draw()
    return fig.get_tightbbox(canvas.get_renderer()), fig.bbox_inches


@pytest.mark.parametrize("programa", ["11", "12", "15", "94"])
def test_every_per_program_chart_draws_all_its_text_inside_the_figure_title_included(edition, programa):
    # Programa 94 has one product with a short label and the longest program name: its title, written
    # from where the plot starts, ran 1 inch past the right edge and the book showed it cut.
    charts = (plots.avance_chart(edition.table, programa), plots.projection_chart(edition.table, programa))
    for wide in charts:
        for fig in (wide, plots.phone_figure(wide)):
            drawn, page = drawn_box(fig)
            assert fig.get_suptitle().startswith(f"Programa {programa}:")
            assert page.x0 - 0.01 <= drawn.x0 and drawn.x1 <= page.x1 + 0.01, (programa, drawn, page)
            assert page.y0 - 0.01 <= drawn.y0 and drawn.y1 <= page.y1 + 0.01, (programa, drawn, page)


def test_every_chart_has_a_phone_version_as_wide_as_a_phones_column_with_no_letter_under_11px(edition):
    counts = report.status_counts(edition.table)
    charts = [
        plots.avance_chart(edition.table, "12"),
        plots.projection_chart(edition.table, "11"),
        plots.status_chart(counts),
    ]
    for wide in charts:
        phone = plots.phone_figure(wide)
        assert phone is not None and phone.get_figwidth() == plots.PHONE_WIDTH < wide.get_figwidth()
        # drawn unscaled in a 375 px phone's column (about 327 CSS px): a point is 4/3 of a CSS px
        assert plots.PHONE_WIDTH * 96 <= 330
        small = [(text, size) for text, size in _letters(phone) if size * 4 / 3 < 11]
        assert small == [] and len(_letters(phone)) > 5


def test_the_phone_charts_write_each_products_label_above_its_bar_with_the_same_values(edition):
    rows = edition.table[edition.table["programa"] == "12"]
    phone = plots.phone_figure(plots.avance_chart(edition.table, "12"))
    ax = phone.axes[0]
    assert [t.get_text() for t in ax.get_yticklabels()] == []
    written = [t.get_text() for t in ax.texts]
    for producto in rows["producto"]:
        assert any(t.startswith(f"{int(producto)} ") for t in written), producto
    assert "34.9%" in written  # product 22's avance, as in the wide chart
    projection = plots.phone_figure(plots.projection_chart(edition.table, "12")).axes[0]
    assert any("\n✖ 43.2%" in t.get_text() for t in projection.texts)  # its state under its label
    assert any("meta pequeña: no se califica" in t.get_text() for t in projection.texts)


def test_a_figure_not_drawn_by_this_module_has_no_phone_version():
    fig, _ = plt.subplots()
    plt.close(fig)
    assert plots.phone_figure(fig) is None


def private_names_imported_across_chart_modules() -> list[str]:
    """«module: name» for every underscore name a module of the figures package imports from another."""
    import ast

    from pei_analysis.paths import REPO_DIR

    found = []
    for path in sorted((REPO_DIR / "pei_analysis" / "chapters" / "figures").glob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom) and (node.module or "").startswith("pei_analysis"):
                found += [f"{path.name}: {a.name}" for a in node.names if a.name.startswith("_")]
    return found


def test_the_chart_modules_share_only_public_helpers():
    assert private_names_imported_across_chart_modules() == []


def test_the_shared_chart_helpers_say_why_they_exist():
    from pei_analysis.chapters.figures import common

    helpers = ["chart_style", "with_phone", "program_rows", "program_title", "phone_labels", "phone_rows"]
    helpers.append("finite_or_empty")
    undocumented = [name for name in helpers if not getattr(common, name).__doc__]
    assert undocumented == []
