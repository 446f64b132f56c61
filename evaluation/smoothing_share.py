"""La parte del suavizado en la proyección con 2-3 años: las cifras de ``short_history`` con otras partes.

    .venv/bin/python -m evaluation.smoothing_share [--partes 0.4,0.5 0.2,0.25 0,0] [--out archivo.md]

The engine takes a fixed share of its result from the Holt-Winters smoothing
(``weighting.SMOOTHING_SHARE``: 40 % after one cuatrimestre, half after two),
whatever the depth of the history. With 2 or 3 past years the smoothing runs
on 6 to 9 cuatrimestres, and on simulated series the engine misses a little
more than the mean historical share after two cuatrimestres: is the share too
large for short histories? This script reruns section (b) of
``evaluation.short_history`` (each serie's last year and every window of 2 or
3 past years, the same series and split) once per pair of shares, and puts
side by side the median APE over the mean share's and the 80 % coverage.

The numbers are read, not tuned on: the engine is not changed by this script
(the share is set for the run and put back).
"""

from __future__ import annotations

import argparse
import contextlib
import time
from collections.abc import Iterator, Sequence

import pandas as pd

from evaluation.markdown import add_out_option, markdown_table, publish
from evaluation.short_history import groups, short_history_results, short_history_rows
from pei_analysis import cli_es
from pei_analysis.model.projection import weighting

#: Shares compared by default (after one, after two cuatrimestres): the engine's, half of it and none.
DEFAULT_SHARES = ((0.4, 0.5), (0.2, 0.25), (0.0, 0.0))
#: The lines compared: what section (b) measures, without the largest upper limit.
METRICS = ("APE motor / participación media", "cobertura 80%")


@contextlib.contextmanager
def smoothing_share(after_one: float, after_two: float) -> Iterator[None]:
    """The engine with these smoothing shares for the duration of the block, its own put back after."""
    saved = dict(weighting.SMOOTHING_SHARE)
    weighting.SMOOTHING_SHARE.update({1: after_one, 2: after_two})
    try:
        yield
    finally:
        weighting.SMOOTHING_SHARE.clear()
        weighting.SMOOTHING_SHARE.update(saved)


def section_b(data_by_group: dict[str, pd.DataFrame]) -> pd.DataFrame:
    """Section (b) of ``short_history`` on every group: one row per group, section, k and metric."""
    rows: list[dict] = []
    for group, data in data_by_group.items():
        for past in (2, 3):
            for rolling in (False, True):
                section, res = short_history_results(data, past, rolling=rolling)
                rows += short_history_rows(group, section, res)
    table = pd.DataFrame(rows)
    return table[table["métrica"].isin(METRICS)].reset_index(drop=True)


def compare(shares: Sequence[tuple[float, float]], data: dict[str, pd.DataFrame]) -> pd.DataFrame:
    """One column of values per pair of shares, the rows of :func:`section_b` on the groups *data*."""
    out = None
    for after_one, after_two in shares:
        with smoothing_share(after_one, after_two):
            table = section_b(data)
        column = f"{after_one:g} / {after_two:g}"
        keys = table[["grupo", "sección", "obs", "métrica"]]
        out = (
            keys.assign(**{column: table["valor"]}) if out is None else out.assign(**{column: table["valor"]})
        )
    return out


def render(table: pd.DataFrame) -> str:
    values = table.copy()
    for column in values.columns[4:]:
        values[column] = [
            f"{v:.1f}" if "cobertura" in m else f"{v:.3f}"
            for v, m in zip(values[column], values["métrica"], strict=True)
        ]
    return markdown_table(list(values.columns), values.to_numpy())


def _shares(text: str) -> tuple[float, float]:
    """«0.4,0.5» → (0.4, 0.5): the shares after one and after two cuatrimestres, each from 0 to 1."""
    try:
        after_one, after_two = (float(x) for x in text.split(","))
    except ValueError:
        raise argparse.ArgumentTypeError(f"«{text}» no es un par de partes como 0.4,0.5") from None
    if not (0 <= after_one <= 1 and 0 <= after_two <= 1):
        raise argparse.ArgumentTypeError(f"«{text}»: cada parte va de 0 a 1")
    return after_one, after_two


def main(argv: list[str] | None = None) -> None:
    cli_es.install()
    parser = argparse.ArgumentParser(
        description="Cifras de la proyección con 2-3 años de historia con otras partes del suavizado."
    )
    parser.add_argument(
        "--partes",
        nargs="+",
        type=_shares,
        default=list(DEFAULT_SHARES),
        metavar="UNO,DOS",
        help="partes del suavizado tras uno y tras dos cuatrimestres (por omisión: 0.4,0.5 0.2,0.25 0,0)",
    )
    parser.add_argument("--quick", action="store_true", help="tamaño reducido")
    add_out_option(parser)
    args = parser.parse_args(argv)
    t0 = time.perf_counter()
    text = (
        f"# Parte del suavizado con 2-3 años de historia ({time.strftime('%Y-%m-%d')})\n\n"
        "Columnas: parte del suavizado tras uno / tras dos cuatrimestres (la del motor: "
        f"{weighting.SMOOTHING_SHARE[1]:g} / {weighting.SMOOTHING_SHARE[2]:g}).\n\n"
        + render(compare(args.partes, groups(args.quick)))
        + f"\n\n_{time.perf_counter() - t0:.0f} s_\n"
    )
    publish(text, args.out)


if __name__ == "__main__":
    main()
