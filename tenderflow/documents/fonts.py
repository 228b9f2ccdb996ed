"""The TrueType CJK fonts embedded in every PDF tenderflow writes (DESIGN §8).

Two faces, as Chinese official and contract documents set them: the body in a 宋体 (Song/Ming)
face and headings in a 黑体 (Hei) face. Chinese text must display in any viewer, so both are
always embedded (as subsets, which reportlab writes as ``/FontFile2``). reportlab's built-in
CID fonts (STSong-Light and friends) are never used: they are not embedded and rely on the
viewer's Asian font pack.

Each face is looked up, in order, at its environment variable (``$TENDERFLOW_BODY_FONT`` for
the body, ``$TENDERFLOW_CJK_FONT`` for headings) and then at the usual install locations of
TrueType-outline CJK fonts: AR PL UMing CN (Debian ``fonts-arphic-uming``) for the body,
WenQuanYi Zen Hei (``fonts-wqy-zenhei``) for headings. OpenType/CFF fonts such as Noto CJK
cannot be embedded by reportlab and are not on the lists. The font files are an input of the
rendering: the same data rendered with other font files gives different (equally valid) bytes.

A character that a face lacks would print as a blank: :func:`glyph_text` swaps the few symbols
known to be missing (✓ → √, ✗ → ×) and :func:`missing_glyphs` names what is still missing.
"""

from __future__ import annotations

import os
import threading
from dataclasses import dataclass
from pathlib import Path

from tenderflow.errors import DefinitionError

ENV_VAR = "TENDERFLOW_CJK_FONT"  # the 黑体 face (headings, titles); its name predates the body face
BODY_ENV_VAR = "TENDERFLOW_BODY_FONT"  # the 宋体 face (body text)

BODY = "body"
HEADING = "heading"

# (path, subfont index inside a .ttc collection); TrueType outlines only.
KNOWN_FONTS: tuple[tuple[str, int], ...] = (
    ("/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc", 0),  # Debian/Ubuntu fonts-wqy-zenhei
    ("/usr/share/fonts/wqy-zenhei/wqy-zenhei.ttc", 0),  # Fedora wqy-zenhei-fonts
    ("/usr/share/fonts/wenquanyi/wqy-zenhei/wqy-zenhei.ttc", 0),  # Arch wqy-zenhei
    ("/usr/share/fonts/truetype/wqy/wqy-microhei.ttc", 0),  # Debian fonts-wqy-microhei
    ("/usr/share/fonts/truetype/droid/DroidSansFallbackFull.ttf", 0),  # fonts-droid-fallback
    ("/usr/local/share/fonts/wqy-zenhei.ttc", 0),
    ("/Library/Fonts/Arial Unicode.ttf", 0),  # macOS
    ("C:/Windows/Fonts/simhei.ttf", 0),  # Windows 黑体
)
KNOWN_BODY_FONTS: tuple[tuple[str, int], ...] = (
    ("/usr/share/fonts/truetype/arphic/uming.ttc", 0),  # Debian/Ubuntu fonts-arphic-uming, CN
    ("/usr/share/fonts/arphic-uming/uming.ttc", 0),  # Fedora cjkuni-uming-fonts
    ("/usr/share/fonts/TTF/uming.ttc", 0),  # Arch ttf-arphic-uming
    ("/usr/local/share/fonts/uming.ttc", 0),
    ("C:/Windows/Fonts/simsun.ttc", 0),  # Windows 宋体
)

# role → (environment variable, name of the list of known paths, what, Debian, Fedora package)
_ROLES = {
    HEADING: ("ENV_VAR", "KNOWN_FONTS", "黑体 (heading)", "fonts-wqy-zenhei", "wqy-zenhei-fonts"),
    BODY: ("BODY_ENV_VAR", "KNOWN_BODY_FONTS", "宋体 (body)", "fonts-arphic-uming",
           "cjkuni-uming-fonts"),
}

# Symbols the embedded faces lack, and what is printed instead.
GLYPH_SUBSTITUTES = {"✓": "√", "✔": "√", "☑": "√", "✗": "×", "✘": "×", "☒": "×"}


def install_hint(role: str = HEADING) -> str:
    env, _known, what, debian, fedora = _role(role)
    return (f"install a TrueType CJK {what} font (Debian/Ubuntu: `apt-get install {debian}`; "
            f"Fedora: `dnf install {fedora}`) or set {env} to a .ttf/.ttc file with TrueType "
            f"outlines (append '#N' to pick the N-th font of a .ttc collection)")


INSTALL_HINT = (
    "install a TrueType CJK font (Debian/Ubuntu: `apt-get install fonts-wqy-zenhei "
    "fonts-arphic-uming`) or set TENDERFLOW_CJK_FONT (黑体) and TENDERFLOW_BODY_FONT (宋体) to "
    ".ttf/.ttc files with TrueType outlines (append '#N' to pick the N-th font of a .ttc)"
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


def _role(role: str) -> tuple[str, tuple[tuple[str, int], ...], str, str, str]:
    """The role's settings, read at call time (so that tests can point them elsewhere)."""
    if role not in _ROLES:
        raise ValueError(f"no font role {role!r} (one of {', '.join(_ROLES)})")
    env, known, what, debian, fedora = _ROLES[role]
    return globals()[env], globals()[known], what, debian, fedora


def find_font(role: str = HEADING) -> FontChoice:
    """The font to embed for ``role`` (``"body"`` 宋体 or ``"heading"`` 黑体): its environment
    variable if set, else the first known path found.

    Raises :class:`DefinitionError` naming what to install when there is none, and when the
    environment variable points at a file that does not exist.
    """
    env_var, known, what, _debian, _fedora = _role(role)
    env = os.environ.get(env_var, "").strip()
    if env:
        choice = _parse_env(env)
        if not choice.path.is_file():
            raise DefinitionError(f"{env_var}={env!r} is not a font file; {install_hint(role)}",
                                  env=env_var, path=env)
        return choice
    for path, index in known:
        if Path(path).is_file():
            return FontChoice(Path(path), index)
    raise DefinitionError(
        f"no CJK TrueType {what} font found (looked at {', '.join(p for p, _ in known)}); "
        f"{install_hint(role)}",
        searched=[p for p, _ in known],
    )


def find_cjk_font() -> FontChoice:
    """The 黑体 face (headings); see :func:`find_font`."""
    return find_font(HEADING)


_lock = threading.Lock()
_registered: dict[FontChoice, str] = {}


def register_cjk_font(choice: FontChoice | None = None, role: str = HEADING) -> str:
    """Register a CJK font with reportlab once per file and return its reportlab name; without
    ``choice``, the font found for ``role``."""
    choice = choice or find_font(role)
    with _lock:
        name = _registered.get(choice)
        if name:
            return name
        from reportlab.pdfbase import pdfmetrics
        from reportlab.pdfbase.ttfonts import TTFError, TTFont

        name = f"TenderflowCJK{len(_registered) + 1}"
        try:
            font = TTFont(name, str(choice.path), subfontIndex=choice.subfont_index)
        except (TTFError, OSError, IndexError) as exc:
            raise DefinitionError(
                f"cannot embed font {choice.path} (face {choice.subfont_index}): {exc}; "
                f"{install_hint(role)}",
                path=str(choice.path),
            ) from None
        pdfmetrics.registerFont(font)
        _registered[choice] = name
        return name


def register_fonts() -> dict[str, str]:
    """Both faces registered: ``{"body": name, "heading": name}``."""
    return {BODY: register_cjk_font(role=BODY), HEADING: register_cjk_font(role=HEADING)}


def covered(font_name: str) -> frozenset[int] | dict[int, int]:
    """The code points a registered font has glyphs for."""
    from reportlab.pdfbase import pdfmetrics

    return pdfmetrics.getFont(font_name).face.charToGlyph  # type: ignore[no-any-return]


def glyph_text(text: str) -> str:
    """``text`` with the symbols the faces lack replaced (✓ → √, ✗ → ×)."""
    if not any(c in GLYPH_SUBSTITUTES for c in text):
        return text
    return "".join(GLYPH_SUBSTITUTES.get(c, c) for c in text)


def missing_glyphs(text: str, font_name: str) -> list[str]:
    """The characters of ``text`` (spacing and control characters aside) that the registered
    font ``font_name`` cannot draw, each once, in order."""
    cmap = covered(font_name)
    out: list[str] = []
    for c in text:
        if c.isspace() or ord(c) < 0x20 or c in out:
            continue
        if ord(c) not in cmap:
            out.append(c)
    return out
