"""What a published edition keeps of the book's theme: its icons, without the 1.5 MB script that drew them.

pydata-sphinx-theme loads ``_static/scripts/fontawesome.js`` on every page: 1.5 MB (540 KB compressed),
more than everything else a chapter loads together, charts included, only to turn each
``<i class="fa-solid fa-…">`` into an inline SVG once the page has loaded. The theme's own stylesheet
already draws those icons with the Font Awesome font it loads anyway, so the script goes, and a phone on
a slow connection opens its first page seconds sooner. What the script did besides drawing stays: each
icon is marked ``aria-hidden`` (its button or link says in words what it does), so a screen reader does
not read the font's private character. The source maps (``*.map``, 3.4 MB, for a developer's tools;
no reader's browser asks for them) go too: every edition is kept, and they were a third of each one.
"""

from __future__ import annotations

import re
from pathlib import Path

#: The theme's tag that loads the script, with the blank line it leaves.
ICON_SCRIPT_RE = re.compile(
    r'[ \t]*<script\b[^>]*\bsrc="[^"]*scripts/fontawesome\.js[^"]*"[^>]*>\s*</script>[ \t]*\n?'
)
#: An element the theme draws as an icon: its class names a Font Awesome style.
ICON_TAG_RE = re.compile(
    r'<(?:i|span)\b[^>]*\bclass="(?:[^"]* )?(?:fa-solid|fa-regular|fa-brands|fas|far|fab)[ "][^>]*>'
)
#: Files of the theme no published page uses once the script is gone.
UNUSED_FILES = ("_static/scripts/fontawesome.js", "_static/scripts/fontawesome.js.LICENSE.txt")


def without_icon_script(page: str) -> str:
    """*page* (HTML) without the tag that loads ``fontawesome.js`` and with each icon hidden from screen
    readers; a page already so is returned unchanged."""
    page = ICON_SCRIPT_RE.sub("", page)
    return ICON_TAG_RE.sub(_hidden, page)


def _hidden(match: re.Match) -> str:
    tag = match.group(0)
    if "aria-hidden=" in tag:
        return tag
    name_end = 2 if tag.startswith("<i") else 5
    return f'{tag[:name_end]} aria-hidden="true"{tag[name_end:]}'


def trim_theme(html_dir: Path) -> None:
    """Rewrite the built pages of *html_dir* without the icon script and remove what nothing uses."""
    for page in html_dir.rglob("*.html"):
        text = page.read_text(encoding="utf-8")
        trimmed = without_icon_script(text)
        if trimmed != text:
            page.write_text(trimmed, encoding="utf-8")
    for name in UNUSED_FILES:
        (html_dir / name).unlink(missing_ok=True)
    for source_map in html_dir.rglob("*.map"):
        source_map.unlink()
