"""The officer's language: every word the CLI prints goes through :func:`_`.

Messages are written in English in the code (the gettext ``msgid``) and translated from the
catalogue ``tenderflow/locale/zh/LC_MESSAGES/tenderflow.po``, read with Babel (a maintained
gettext implementation: it reads ``.po`` files directly, so no compiled ``.mo`` has to be kept in
step, and its extractor lets a test list every message the code can print). The language is
chosen once per command by ``--lang`` (:func:`set_language`); ``zh`` is the default.

    from tenderflow.i18n import _
    click.echo(_("{n} procurements").format(n=3))

A message with placeholders keeps them named, so a translation may reorder them.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

LANGUAGES = ("zh", "en")
CATALOGUE = Path(__file__).parent / "locale" / "zh" / "LC_MESSAGES" / "tenderflow.po"

_language = "zh"


def set_language(lang: str) -> None:
    if lang not in LANGUAGES:
        raise ValueError(f"language {lang!r}: expected one of {', '.join(LANGUAGES)}")
    global _language
    _language = lang


def language() -> str:
    return _language


@cache
def _zh() -> dict[str, str]:
    from babel.messages.pofile import read_po

    with CATALOGUE.open("rb") as f:
        catalog = read_po(f, locale="zh_Hans_CN")
    return {m.id: m.string for m in catalog if m.id and isinstance(m.id, str) and m.string}


def _(message: str) -> str:
    """``message`` in the current language (the English itself when the language is en)."""
    if _language == "en":
        return message
    return _zh().get(message, message)


def pick(zh: str, en: str) -> str:
    """For text that exists in both languages already (a rule's title, a state's label)."""
    return en if _language == "en" else zh


def N_(message: str) -> str:
    """Marks ``message`` for the catalogue where it is defined (a table of labels); it is
    translated with :func:`_` where it is printed."""
    return message
