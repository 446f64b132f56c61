"""How the repository may be used and cited: LICENSE, CITATION.cff and CHANGELOG.md agree with pyproject."""

from __future__ import annotations

import re
import tomllib

import yaml

from pei_analysis.paths import REPO_DIR
from pei_analysis.tables.datapackage import CONTENT_LICENSE

#: The keys CFF 1.2.0 requires (https://github.com/citation-file-format/citation-file-format, schema.json).
CFF_REQUIRED = {"cff-version", "message", "title", "authors"}


def _project() -> dict:
    return tomllib.loads((REPO_DIR / "pyproject.toml").read_text(encoding="utf-8"))["project"]


def _citation() -> dict:
    return yaml.safe_load((REPO_DIR / "CITATION.cff").read_text(encoding="utf-8"))


def test_citation_cff_is_version_1_2_0_with_every_required_key():
    citation = _citation()
    assert set(citation) >= CFF_REQUIRED
    assert citation["cff-version"] == "1.2.0"
    assert all(author.get("name") or author.get("family-names") for author in citation["authors"])
    for reference in citation.get("references", []):
        assert {"type", "title", "authors"} <= set(reference)


def test_citation_cff_cites_the_version_and_licence_that_pyproject_declares():
    citation, project = _citation(), _project()
    assert str(citation["version"]) == project["version"]
    assert citation["license"] == project["license"] == "MIT"


def test_the_licence_file_is_mit_and_names_the_content_licence_and_the_igss_originals():
    text = (REPO_DIR / "LICENSE").read_text(encoding="utf-8")
    assert text.startswith("MIT License")
    assert "CC BY 4.0" in text and CONTENT_LICENSE["path"] in text
    assert "data/raw/" in text and "no se relicencian" in text


def test_the_changelog_has_an_unreleased_section_and_one_for_the_version_in_pyproject():
    text = (REPO_DIR / "CHANGELOG.md").read_text(encoding="utf-8")
    headings = re.findall(r"^## \[([^\]]+)\]", text, re.MULTILINE)
    assert headings[0] == "Sin publicar"
    assert _project()["version"] in headings
