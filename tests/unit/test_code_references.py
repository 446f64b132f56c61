"""The logs and guides name the code behind each decision (`importer.py::check_years`); a name that moved
or was renamed would send the next engineer to a function that is not there."""

from __future__ import annotations

import re
from pathlib import Path

from pei_analysis.paths import REPO_DIR

#: `path.py::name`, as the assumptions log, the data log and the guides write a reference to code.
REFERENCE = re.compile(r"`([A-Za-z_/]+\.py)::([A-Za-z_]\w*)")
DOCS = ("*.md", "data/**/*.md", "book/*.md", "pei_analysis/**/*.md")
CODE = ("pei_analysis/**/*.py", "evaluation/*.py", "tests/**/*.py")


def defines(path: Path, name: str) -> bool:
    """Whether *path* defines *name*: a function, a class or a module-level (or class-level) assignment."""
    text = path.read_text(encoding="utf-8")
    return re.search(rf"^\s*(?:def|class)\s+{name}\b|^\s*{name}\s*[:=]", text, re.M) is not None


def broken_references(root: Path = REPO_DIR) -> list[str]:
    """Every `file.py::name` in the docs whose file (matched by the end of its path) does not define name."""
    code = [path for pattern in CODE for path in root.glob(pattern)]
    broken = []
    for doc in sorted({path for pattern in DOCS for path in root.glob(pattern)}):
        for match in REFERENCE.finditer(doc.read_text(encoding="utf-8")):
            file, name = match.groups()
            candidates = [p for p in code if p.relative_to(root).as_posix().endswith(file)]
            if not any(defines(p, name) for p in candidates):
                broken.append(f"{doc.relative_to(root)}: {file}::{name}")
    return broken


def test_every_reference_to_code_in_the_docs_names_a_definition_that_exists():
    assert broken_references() == []


def test_a_reference_to_a_function_that_moved_is_reported(tmp_path):
    (tmp_path / "pei_analysis").mkdir()
    (tmp_path / "pei_analysis" / "a.py").write_text("def here():\n    pass\n", encoding="utf-8")
    (tmp_path / "NOTAS.md").write_text("Ver `a.py::here` y `a.py::gone`.\n", encoding="utf-8")
    assert broken_references(tmp_path) == ["NOTAS.md: a.py::gone"]
