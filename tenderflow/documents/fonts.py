"""The TrueType CJK font embedded in every PDF tenderflow writes (DESIGN §8).

Chinese text must display in any viewer, so the font is always embedded (as a subset, which
reportlab writes as ``/FontFile2``). reportlab's built-in CID fonts (STSong-Light and friends)
are never used: they are not embedded and rely on the viewer's Asian font pack.

The font is looked up, in order, at ``$TENDERFLOW_CJK_FONT`` and then at the usual install
locations of TrueType-outline CJK fonts. OpenType/CFF fonts such as Noto Sans CJK cannot be
embedded by reportlab and are not on the list. The font file is an input of the rendering: the
same data rendered with a different font file gives different (but equally valid) bytes.
"""

from __future__ import annotations

import os
import threading
from dataclasses import dataclass
from pathlib import Path

from tenderflow.errors import DefinitionError

ENV_VAR = "TENDERFLOW_CJK_FONT"

# (path, subfont index inside a .ttc collection); TrueType outlines only.
KNOWN_FONTS: tuple[tuple[str, int], ...] = (
    ("/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc", 0),  # Debian/Ubuntu fonts-wqy-zenhei
    ("/usr/share/fonts/wqy-zenhei/wqy-zenhei.ttc", 0),  # Fedora wqy-zenhei-fonts
    ("/usr/share/fonts/wenquanyi/wqy-zenhei/wqy-zenhei.ttc", 0),  # Arch wqy-zenhei
    ("/usr/share/fonts/truetype/wqy/wqy-microhei.ttc", 0),  # Debian fonts-wqy-microhei
    ("/usr/share/fonts/truetype/droid/DroidSansFallbackFull.ttf", 0),  # fonts-droid-fallback
    ("/usr/local/share/fonts/wqy-zenhei.ttc", 0),
    ("/Library/Fonts/Arial Unicode.ttf", 0),  # macOS
    ("C:/Windows/Fonts/simsun.ttc", 0),  # Windows 宋体
)

INSTALL_HINT = (
    "install a TrueType CJK font (Debian/Ubuntu: `apt-get install fonts-wqy-zenhei`; "
    "Fedora: `dnf install wqy-zenhei-fonts`) or set TENDERFLOW_CJK_FONT to a .ttf/.ttc file "
    "with TrueType outlines (append '#N' to pick the N-th font of a .ttc collection)"
)


@dataclass(frozen=True)
class FontChoice:
    """A font file and the index of the face inside it (0 for a plain .ttf)."""

    path: Path
    subfont_index: int = 0


def _parse_env(value: str) -> FontChoice:
    path, sep, index = value.rpartition("#")
    if sep and index.isdigit():
        return FontChoice(Path(path), int(index))
    return FontChoice(Path(value), 0)


def find_cjk_font() -> FontChoice:
    """The CJK font to embed: ``$TENDERFLOW_CJK_FONT`` if set, else the first known path found.

    Raises :class:`DefinitionError` naming what to install when there is none, and when the
    environment variable points at a file that does not exist.
    """
    env = os.environ.get(ENV_VAR, "").strip()
    if env:
        choice = _parse_env(env)
        if not choice.path.is_file():
            raise DefinitionError(
                f"{ENV_VAR}={env!r} is not a font file; {INSTALL_HINT}", env=ENV_VAR, path=env
            )
        return choice
    for path, index in KNOWN_FONTS:
        if Path(path).is_file():
            return FontChoice(Path(path), index)
    raise DefinitionError(
        f"no CJK TrueType font found (looked at {', '.join(p for p, _ in KNOWN_FONTS)}); "
        f"{INSTALL_HINT}",
        searched=[p for p, _ in KNOWN_FONTS],
    )


_lock = threading.Lock()
_registered: dict[FontChoice, str] = {}


def register_cjk_font(choice: FontChoice | None = None) -> str:
    """Register the CJK font with reportlab once per file and return its reportlab name."""
    choice = choice or find_cjk_font()
    with _lock:
        name = _registered.get(choice)
        if name:
            return name
        from reportlab.pdfbase import pdfmetrics
        from reportlab.pdfbase.ttfonts import TTFError, TTFont

        name = f"TenderflowCJK{len(_registered) + 1}"
        try:
            font = TTFont(name, str(choice.path), subfontIndex=choice.subfont_index)
        except (TTFError, OSError) as exc:
            raise DefinitionError(
                f"cannot embed font {choice.path} (face {choice.subfont_index}): {exc}; "
                f"{INSTALL_HINT}",
                path=str(choice.path),
            ) from None
        pdfmetrics.registerFont(font)
        _registered[choice] = name
        return name
