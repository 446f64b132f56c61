"""One build of the whole book (edition 2024-c1, the shipped data) shared by every end-to-end test."""

from __future__ import annotations

import pytest

from pei_analysis.publish.book import build_book_report


@pytest.fixture(scope="session")
def built_book(tmp_path_factory):
    """The BuildReport of the 2024-c1 edition built into a temporary folder (site/2024-c1 is untouched)."""
    site = tmp_path_factory.mktemp("sitio")
    return build_book_report(2024, 1, site / "2024-c1", log=lambda _: None)
