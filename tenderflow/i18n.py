"""The officer's language: every word the CLI prints goes through :func:`_`.

Messages are written in English in the code (the gettext ``msgid``) and translated from the
catalogue ``tenderflow/locale/zh/LC_MESSAGES/tenderflow.po``, read directly (no compiled
``.mo`` to keep in step) by :func:`read_catalogue`, a small reader of the gettext ``.po``
syntax the catalogue uses; importing Babel for it cost every command ~20 ms (issue 17), and a
test checks that it reads the catalogue exactly as Babel's ``read_po`` does (Babel's
extractor still lets a test list every message the code can print). The language is chosen
once per command by ``--lang`` (:func:`set_language`); ``zh`` is the default.

    from tenderflow.i18n import _
    click.echo(_("{n} procurements").format(n=3))

A message with placeholders keeps them named, so a translation may reorder them.
"""

from __future__ import annotations

import re
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


_ESCAPE = re.compile(r'\\([\\trn"])')
_ESCAPES = {"n": "\n", "t": "\t", "r": "\r"}


def _unquote(text: str, file: Path, number: int) -> str:
    """A ``"…"`` string of a .po line, its escapes (\\n \\t \\r \\" \\\\) undone as Babel does."""
    text = text.strip()
    if len(text) < 2 or text[0] != '"' or text[-1] != '"':
        raise ValueError(f"{file}:{number}: expected a quoted string, got {text!r}")
    return _ESCAPE.sub(lambda m: _ESCAPES.get(m.group(1), m.group(1)), text[1:-1])


def read_catalogue(file: Path = CATALOGUE) -> dict[str, str]:
    """msgid -> msgstr of every translated singular message of a ``.po`` file (plural forms,
    obsolete ``#~`` entries and empty translations left out; a msgid given twice in the same
    context keeps its first entry), as ``{m.id: m.string}`` over Babel's ``read_po`` gives
    it."""
    found: dict[tuple[str, str], str] = {}  # (context, msgid) -> msgstr, the first entry
    entry: dict[str, list[str]] = {}
    key: str | None = None

    def finish() -> None:
        if "msgid" in entry and "msgid_plural" not in entry:
            context = "".join(entry.get("msgctxt", []))
            found.setdefault((context, "".join(entry["msgid"])), "".join(entry.get("msgstr", [])))
        entry.clear()

    for number, line in enumerate(file.read_text(encoding="utf-8").splitlines(), 1):
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        if line.startswith('"'):
            if key is None:
                raise ValueError(f"{file}:{number}: a string outside an entry")
            entry[key].append(_unquote(line, file, number))
            continue
        word, _sep, rest = line.partition(" ")
        if word.startswith("msgstr["):  # a plural translation: the entry is left out
            word = "msgstr_plural"
        elif word not in ("msgctxt", "msgid", "msgid_plural", "msgstr"):
            raise ValueError(f"{file}:{number}: unknown keyword {word!r}")
        if word in ("msgctxt", "msgid") and ("msgstr" in entry or "msgstr_plural" in entry):
            finish()
        key = word
        entry.setdefault(key, []).append(_unquote(rest, file, number))
    finish()
    return {msgid: msgstr for (_context, msgid), msgstr in found.items() if msgid and msgstr}


@cache
def _zh() -> dict[str, str]:
    return remembered_catalogue(CATALOGUE)


def remembered_catalogue(file: Path = CATALOGUE) -> dict[str, str]:
    """:func:`read_catalogue` of ``file``, kept in the per-user cache
    (:func:`tenderflow.usercache.cache_dir`) as :mod:`marshal` data under the SHA-256 of the
    catalogue's bytes, of this module's source (the reader) and of the Python version; the
    entry starts with the SHA-256 of its data, checked on reading. Reading the 600 messages
    of the catalogue costs every Chinese command ~3 ms, reading them back ~0.3 ms (issue 17).
    A changed catalogue has a new key; a damaged, lost or unwritable entry costs the reading,
    never a message; a catalogue that does not read is refused as before."""
    import hashlib
    import marshal
    import sys

    from tenderflow.usercache import cache_dir, write_atomically

    entry: Path | None = None
    try:
        raw = file.read_bytes()
        key = hashlib.sha256(b"%s\n%s\n%s" % (Path(__file__).read_bytes(), sys.version.encode(),
                                                raw)).hexdigest()
        entry = cache_dir() / "catalogue" / f"{key}.marshal"
        kept = entry.read_bytes()
        if hashlib.sha256(kept[32:]).digest() == kept[:32]:
            found = marshal.loads(kept[32:])
            if isinstance(found, dict):
                return found
    except (OSError, EOFError, ValueError, TypeError):
        pass
    messages = read_catalogue(file)
    if entry is not None:
        try:
            body = marshal.dumps(messages)
            write_atomically(entry, hashlib.sha256(body).digest() + body)
        except (OSError, ValueError):  # an unwritable cache
            pass
    return messages


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
