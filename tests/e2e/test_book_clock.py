"""The book says the same words whatever day it is built: every date and tense comes from the data's period.

A 2024 edition rebuilt in 2031 must not say «el año 2024 aún no termina». The second build runs in a
process whose library sees 15 July 2031 as today (a ``sitecustomize`` on ``PYTHONPATH``, which papermill's
kernels inherit too); every chapter's text must equal the session build's. Only the footer, outside
the chapters, and the citation of «Cómo citar esta edición» (a citation names the build it cites) say
when the book was built.
"""

from __future__ import annotations

import subprocess
import sys
import textwrap

import pytest

from pei_analysis.paths import REPO_DIR
from pei_analysis.publish import book as build
from tests.e2e.test_book_build import read_page

FAKE_DAY = (2031, 7, 15)
#: Moves the clock of the library only: every module of pei_analysis reads it as ``dt`` (``import datetime as
#: dt``); swapping Python's own datetime classes would break pandas' compiled code.
FAKE_CLOCK = textwrap.dedent(f"""
    import datetime as _dt
    import importlib.abc
    import sys
    import types

    class _Date(_dt.date):
        @classmethod
        def today(cls):
            return cls{FAKE_DAY}

    class _DateTime(_dt.datetime):
        @classmethod
        def now(cls, tz=None):
            return cls(*{FAKE_DAY}, 12, 0, tzinfo=tz)

        @classmethod
        def today(cls):
            return cls(*{FAKE_DAY}, 12, 0)

    _fake = types.ModuleType("datetime")
    _fake.__dict__.update(vars(_dt))
    _fake.date, _fake.datetime = _Date, _DateTime

    class _Loader(importlib.abc.Loader):
        def __init__(self, inner):
            self.inner = inner

        def create_module(self, spec):
            return self.inner.create_module(spec)

        def exec_module(self, module):
            self.inner.exec_module(module)
            if getattr(module, "dt", None) is _dt:
                module.dt = _fake

    class _Finder(importlib.abc.MetaPathFinder):
        def find_spec(self, name, path, target=None):
            if not name.startswith("pei_analysis"):
                return None
            for finder in sys.meta_path:
                if finder is self:
                    continue
                spec = finder.find_spec(name, path, target) if hasattr(finder, "find_spec") else None
                if spec is not None and spec.loader is not None:
                    spec.loader = _Loader(spec.loader)
                    return spec
            return None

    sys.meta_path.insert(0, _Finder())
""")
BUILD = (
    "from pei_analysis.publish.book import build_book; import sys; "
    "build_book(2024, 1, sys.argv[1], log=print)"
)


@pytest.fixture(scope="module")
def late_site(tmp_path_factory, built_book):
    clock = tmp_path_factory.mktemp("reloj")
    (clock / "sitecustomize.py").write_text(FAKE_CLOCK, encoding="utf-8")
    site = tmp_path_factory.mktemp("sitio_2031") / "2024-c1"
    env = {**build.environment(), "PYTHONPATH": str(clock)}
    proc = subprocess.run(
        [sys.executable, "-c", BUILD, str(site)],
        cwd=REPO_DIR,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert proc.returncode == 0, proc.stderr[-3000:]
    return site


def test_the_fake_clock_really_moves_the_build_to_2031(late_site):
    _, _, source = read_page(late_site / "resumen.html")
    assert "construida el 15 de julio de 2031" in source


def test_a_book_built_in_2031_says_the_same_words_as_one_built_today(built_book, late_site):
    for name in build.chapter_files():
        if name == "citar":
            continue
        today_text, _, _ = read_page(built_book.output_dir / f"{name}.html")
        late_text, _, _ = read_page(late_site / f"{name}.html")
        assert late_text == today_text, name


def test_the_citation_of_a_book_built_in_2031_names_that_build_and_the_date_of_its_data(late_site):
    text, _, _ = read_page(late_site / "citar.html")
    assert "(datos al 30 de abril de 2024). Construida el 15 de julio de 2031;" in text
