"""The book's charts (pei_analysis.chapters.figures): what they draw, how they label it, and that they leave nothing open."""

from __future__ import annotations

import io

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt
import pytest

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
    assert ax.get_title(loc="left").startswith("Programa 11")


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
    rows = edition.table[(edition.table["programa"] == "11") & edition.table["estado"].isin(report.SCORED_STATES)]
    assert rows["estado_incierto"].any() and not rows["estado_incierto"].all()
    written = [t for t in texts(plots.projection_chart(edition.table, "11")) if t[:1] in "▲✔!✖"]
    assert sum(t.endswith("(incierto)") for t in written) == int(rows["estado_incierto"].sum())


def test_projection_chart_draws_the_thresholds_in_use(edition):
    limits = attainment.Thresholds(satisfactory=85, at_risk=60, over_execution=130)
    fig = plots.projection_chart(edition.table, "11", limits)
    xs = {round(float(line.get_xdata()[0]), 6) for line in fig.axes[0].get_lines() if len(set(line.get_xdata())) == 1}
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
