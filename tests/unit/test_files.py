"""The shared file helpers: atomic writes readable by other users, the folder swap, text decoding."""

from __future__ import annotations

import os
import stat

import pytest

from pei_analysis.files import atomic_write_text, current_umask, read_text, replace_dir, sha256_file


@pytest.fixture
def umask():
    """Set a umask for one test and restore the previous one afterwards."""
    previous = os.umask(0o022)
    os.umask(previous)

    def set_mask(mask: int) -> None:
        os.umask(mask)

    yield set_mask
    os.umask(previous)


def test_an_atomic_write_leaves_a_file_other_users_can_read_under_the_usual_umask(tmp_path, umask):
    umask(0o022)
    target = tmp_path / "index.html"
    atomic_write_text(target, "<p>hola</p>")
    assert stat.S_IMODE(target.stat().st_mode) == 0o644
    assert target.read_text(encoding="utf-8") == "<p>hola</p>"


def test_an_atomic_write_honours_a_stricter_umask(tmp_path, umask):
    umask(0o077)
    target = tmp_path / "privado.txt"
    atomic_write_text(target, "x")
    assert stat.S_IMODE(target.stat().st_mode) == 0o600


def test_the_umask_is_read_without_being_changed(umask):
    umask(0o027)
    assert current_umask() == 0o027
    assert current_umask() == 0o027


def test_an_atomic_write_replaces_the_old_text_and_leaves_no_temporary_file(tmp_path):
    target = tmp_path / "tabla.csv"
    target.write_text("viejo", encoding="utf-8")
    atomic_write_text(target, "nuevo\n")
    assert target.read_text(encoding="utf-8") == "nuevo\n"
    assert [p.name for p in tmp_path.iterdir()] == ["tabla.csv"]


def test_a_folder_swap_puts_the_new_folder_in_place_and_removes_the_old_one(tmp_path):
    target, new, old = tmp_path / "2024-c1", tmp_path / "nuevo", tmp_path / ".2024-c1.anterior"
    target.mkdir()
    (target / "viejo.html").write_text("viejo", encoding="utf-8")
    new.mkdir()
    (new / "index.html").write_text("nuevo", encoding="utf-8")
    replace_dir(new, target, old)
    assert [p.name for p in target.iterdir()] == ["index.html"]
    assert not new.exists() and not old.exists()


def test_a_folder_swap_that_fails_puts_the_old_folder_back(tmp_path):
    target, old = tmp_path / "2024-c1", tmp_path / ".2024-c1.anterior"
    target.mkdir()
    (target / "viejo.html").write_text("viejo", encoding="utf-8")
    with pytest.raises(OSError):
        replace_dir(tmp_path / "no-existe", target, old)
    assert (target / "viejo.html").read_text(encoding="utf-8") == "viejo"


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("año\r\n".encode("utf-8-sig"), "año\n"),
        ("año\r\n".encode("cp1252"), "año\n"),
        (b"a\rb", "a\nb"),
    ],
)
def test_a_text_file_is_read_as_utf8_or_windows_1252_with_unix_line_ends(tmp_path, raw, expected):
    path = tmp_path / "reporte.txt"
    path.write_bytes(raw)
    assert read_text(path) == expected


def test_the_hash_of_a_file_is_its_sha256(tmp_path):
    path = tmp_path / "a.txt"
    path.write_bytes(b"abc")
    assert sha256_file(path) == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
