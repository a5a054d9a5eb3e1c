"""One message catalogue per language, one API: ``t(msgid, lang, **params)``.

A message id is either an English template with named placeholders (gettext style)::

    t("{n} months left", n=13)                       # "13 months left" / "剩余 13 个月"

or a name whose English lives in :mod:`salesnb.locale.en` (``"h.summary"``, ``"column.win_rate"``)::

    t("tile.win_rate", "zh-CN")                       # "赢单率"
    t("narr.revenue", "en", actual="$1.2M", ...)

The TEMPLATE is translated, then the parameters are filled — never a finished sentence. Code that
builds text for a later page (an alert, a note) returns a :class:`Message` (``Message(template,
**params)``): a ``str`` that reads as its English text (results, exports and tests see English) and
is translated again, template first, wherever a page shows it. A parameter that is itself a Message
is translated in the same language; a plain string parameter is data (a region, a name) and is
inserted as it is, unless the catalogue has it as a message (``"customer type"``).

The catalogues are one file per language in :mod:`salesnb.locale` (``en.py``, ``zh_CN.py``),
registered in :data:`LOCALES`; docs/i18n.md tells how to add a language or a message. A message
without a translation falls back to English and, in the current language of a notebook, is recorded
in :data:`MISSING` (``sn.finish()`` publishes it as ``i18n_missing``). Text is plain text: callers
that render HTML escape it.
"""

from __future__ import annotations

import importlib
import re
from collections.abc import Iterable, Mapping
from functools import cache, lru_cache
from typing import Any

#: language code -> module of salesnb.locale holding its catalogue (add a language: one line here)
LOCALES: dict[str, str] = {
    "en": "en",
    "zh-CN": "zh_CN",
}
LANGS: tuple[str, ...] = tuple(LOCALES)
DEFAULT = "en"

_CJK = re.compile(r"[\u3000-\u303f\u3400-\u9fff\uff00-\uffef]")
_LETTER = re.compile(r"[A-Za-z]")
_PLACEHOLDER = re.compile(r"\{(\w+)((?:[:!][^{}]*)?)\}")
#: text that ends with full-width punctuation (a Chinese sentence or clause)
_FULL_WIDTH_END = re.compile(r"[\u3000-\u303f\uff00-\uffef]$")


@cache
def _locale(lang: str):
    return importlib.import_module(f"salesnb.locale.{LOCALES[lang]}")


def catalogue(lang: str) -> Mapping[str, str]:
    """The messages of ``lang`` (message id → text)."""
    return _locale(normalise(lang)).MESSAGES


@lru_cache(maxsize=1)
def _aliases() -> dict[str, str]:
    out = {}
    for code in LOCALES:
        out[code.lower()] = code
        for a in _locale(code).ALIASES:
            out[a.lower()] = code
    return out


def normalise(lang: str | None) -> str:
    """``"zh_cn"``/``"zh"``/``"zh-Hans"`` → ``"zh-CN"``; ``None``/``""`` → ``"en"``.

    Raises
    ------
    ValueError
        For a language that is not supported.
    """
    if not lang:
        return DEFAULT
    key = str(lang).strip().lower()
    if key not in _aliases():
        raise ValueError(f"lang must be one of {', '.join(LANGS)}, got {lang!r}")
    return _aliases()[key]


def is_cjk(lang: str | None) -> bool:
    """Whether text in ``lang`` needs a CJK font."""
    return bool(_locale(normalise(lang)).CJK)


def has_cjk(text: str) -> bool:
    """Whether ``text`` holds Chinese (or other CJK) characters."""
    return bool(_CJK.search(str(text)))


def placeholders(template: str) -> set[str]:
    """The names of the ``{placeholders}`` of a template."""
    return {m.group(1) for m in _PLACEHOLDER.finditer(template)}


# ------------------------------------------------------------------ current language, missing
_current = DEFAULT
#: message ids shown in English on a page of another language (insertion-ordered)
MISSING: dict[str, None] = {}
#: English text → the Message that made it in this process: a message that lost its type on the
#: way (a pandas string column, ``str(m)``) is still translated from its template, never by pattern
_MADE: dict[str, Message] = {}


def set_lang(lang: str | None) -> str:
    """Make ``lang`` the current language (and forget what was missing); returns it normalised."""
    global _current
    _current = normalise(lang)
    MISSING.clear()
    _MADE.clear()
    return _current


def get_lang() -> str:
    """The current language (``"en"`` until :func:`set_lang`)."""
    return _current


def missing() -> list[str]:
    """The messages that fell back to English since the language was set."""
    return list(MISSING)


# ------------------------------------------------------------------ messages
class Verbatim(str):
    """Text that is data (a region, a name): :func:`t` and :func:`col_label` leave it as it is."""

    __slots__ = ()


def verbatim(text: Any) -> Verbatim:
    """Mark ``text`` as data, e.g. a chart titled by a region: ``viz.fan_chart(..., title=verbatim(r))``."""
    return Verbatim(str(text))


class Message(str):
    """A template and its parameters that reads as its English text.

    ``Message("{n} months left", n=13)`` equals ``"13 months left"`` for every ``str`` use (results,
    CSV, tests); :func:`t` renders it in another language by translating the template, then
    filling the parameters (Message parameters translated too). ``Message.join(" ", parts)`` keeps
    each part a message.
    """

    msgid: str
    params: dict[str, Any]

    def __new__(cls, msgid: str, /, **params: Any) -> Message:
        self = super().__new__(cls, _render(msgid, params, DEFAULT))
        self.msgid = str(msgid)
        self.params = params
        if self.msgid != self:
            _MADE[str(self)] = self
        return self

    @classmethod
    def join(cls, sep: str, parts: Iterable[Any]) -> Message:
        """``sep.join(parts)`` with each part translated on its own; ``sep`` is translated when the
        catalogue has it (``"; "`` → ``"；"``)."""
        return _Join(sep, [p for p in parts if p])

    def render(self, lang: str, **params: Any) -> str:
        """This message in ``lang`` (normalised), ``params`` added to its own."""
        return _translate(self.msgid, {**self.params, **params}, lang)

    def __add__(self, other: Any) -> Any:
        if isinstance(other, str):
            return Message.join("", [self, other])
        return NotImplemented

    def __radd__(self, other: Any) -> Any:
        if isinstance(other, str):
            return Message.join("", [other, self])
        return NotImplemented

    def __reduce__(self):  # pickling (multiprocessing, caches) keeps the message
        return (_message, (self.msgid, self.params))


def join_sentences(texts: Iterable[str], lang: str) -> str:
    """Sentences (already in ``lang``) joined as the language joins them: by a space, except that
    Chinese puts none after a full-width stop (。 ） and the like) and keeps one after text that ends
    otherwise (a name, English data)."""
    texts = list(texts)
    if not is_cjk(lang):
        return " ".join(texts)
    out = texts[0] if texts else ""
    for text in texts[1:]:
        out += ("" if _FULL_WIDTH_END.search(out) else " ") + text
    return out


def listing(items: Iterable[Any], *, limit: int | None = None) -> Message:
    """Data (names, months, columns) listed in a sentence: ``"A, B, …"`` in English, ``"A、B、…"``
    in Chinese (the catalogue's ``", "``). ``limit``: the first ``limit`` items, then "…"."""
    items = [str(x) for x in items]
    shown = items if limit is None else items[:limit]
    more = [Verbatim("…")] if len(shown) < len(items) else []
    return Message.join(", ", [Verbatim(x) for x in shown] + more)


def _message(msgid: str, params: dict[str, Any]) -> Message:
    return Message(msgid, **params)


class _Join(Message):
    """Parts joined by a separator, each translated on its own (see :meth:`Message.join`)."""

    def __new__(cls, sep: str, parts: list[Any]) -> _Join:
        self = str.__new__(cls, sep.join(_param(p, DEFAULT) for p in parts))
        self.msgid, self.params, self.sep, self.parts = str(self), {}, sep, parts
        if len(parts) > 1:
            _MADE[str(self)] = self
        return self

    def render(self, lang: str, **params: Any) -> str:
        sep = self.sep if lang == DEFAULT else catalogue(lang).get(self.sep, self.sep)
        texts = [_param(p, lang) for p in self.parts]
        return join_sentences(texts, lang) if sep == " " else sep.join(texts)

    def __reduce__(self):
        return (_Join, (self.sep, self.parts))


def _render(template: str, params: Mapping[str, Any], lang: str) -> str:
    """Fill ``{name}`` / ``{name:spec}`` placeholders of an already translated template."""
    if not params:
        return template

    def one(m: re.Match) -> str:
        name, spec = m.group(1), m.group(2)
        if name not in params:
            return m.group(0)
        v = params[name]
        if isinstance(v, str):
            return _param(v, lang)
        if spec:
            return ("{0" + spec + "}").format(v)
        return str(v)

    return _PLACEHOLDER.sub(one, template)


def message_of(text: Any) -> Message | None:
    """The :class:`Message` behind ``text``: itself, or the message this process made with that
    English text (after a pandas column dropped its type); ``None`` for other text."""
    if isinstance(text, Message):
        return text
    return _MADE.get(text) if isinstance(text, str) else None


def _param(value: str, lang: str) -> str:
    """A parameter in ``lang``: a Message (or the text of one made in this process) is translated;
    a string the catalogue knows as a message (a word made by the code) is translated; other
    strings are data and stay."""
    if isinstance(value, Message):
        return t(value, lang)
    if lang == DEFAULT or isinstance(value, Verbatim):
        return str(value)
    hit = catalogue(lang).get(value)
    if hit is None and value in _MADE:  # a message's text that lost its type (a pandas column)
        return _MADE[value].render(lang)
    return str(value) if hit is None else hit


def _english(msgid: str) -> str:
    return _locale(DEFAULT).MESSAGES.get(msgid, msgid)


def t(msgid: Any, lang: str | None = None, /, **params: Any) -> Any:
    """The message ``msgid`` in ``lang`` (default: the current language), parameters filled.

    ``msgid`` is a dotted key, ``"column.<name>"``, an English template or a :class:`Message`
    (its own parameters, then ``params``). A message without a translation comes back in English
    and is recorded in :data:`MISSING` when ``lang`` is the current language; text without a
    letter, text already in Chinese, :class:`Verbatim` data and non-strings come back as they are.
    """
    if not isinstance(msgid, str) or isinstance(msgid, Verbatim):
        return msgid
    lang = normalise(lang) if lang else _current
    if isinstance(msgid, Message):
        return msgid.render(lang, **params)
    return _translate(msgid, params, lang)


def _translate(msgid: str, params: Mapping[str, Any], lang: str) -> str:
    if lang == DEFAULT:
        return _render(_english(msgid), params, lang)
    cat = catalogue(lang)
    text = cat.get(msgid)
    if text is None:
        text = cat.get(msgid.strip())
    if text is None and msgid in _MADE:  # text a Message made, shown after it lost its type
        return _MADE[msgid].render(lang, **params)
    if text is None:
        text = _english(msgid)
        literal = _PLACEHOLDER.sub("", text)
        if _LETTER.search(literal) and not has_cjk(literal) and lang == _current:
            MISSING.setdefault(msgid, None)
    return _render(text, params, lang)


def known(text: Any, lang: str | None = None) -> Any:
    """``text`` translated when the catalogue has it as a message, else as it is, unrecorded: for
    values read back from results (an entity, a register row) that may be data or finished text."""
    if not isinstance(text, str) or isinstance(text, Verbatim):
        return text
    lang = normalise(lang) if lang else _current
    if lang == DEFAULT:
        return str(text)
    return _param(text, lang)


def tr(text: Any, lang: str | None = None, /, **params: Any) -> Any:
    """Compatibility name of :func:`t` (the notebooks' ``sn.tr``): translate a template, then fill."""
    return t(text, lang, **params)


def labels(keys: Mapping[str, str], lang: str | None = None) -> dict[str, str]:
    """``{column: msgid}`` → ``{column: translated}``: a ``rename`` mapping for table headers."""
    return {col: t(key, lang) for col, key in keys.items()}


def col_label(col: Any, lang: str | None = None) -> str:
    """The header of a table column: ``"win_rate"`` → ``"Win rate"`` / ``"赢单率"``.

    The message ``column.<name>``; an unknown snake_case name becomes "Sentence case" in English
    and is looked up (and, when absent, recorded as missing) as a template in another language.
    Names that are not strings (a pivot of numbers) come back as text unchanged.
    """
    if not isinstance(col, str) or isinstance(col, Verbatim):
        return str(col)
    lang = normalise(lang) if lang else _current
    key = f"column.{col}"
    en = _locale(DEFAULT).MESSAGES.get(key) or _sentence(col)
    if lang == DEFAULT or not _LETTER.search(col) or has_cjk(col):
        return en
    hit = catalogue(lang).get(key)
    return hit if hit is not None else t(en, lang)


def _sentence(col: str) -> str:
    """``"days_in_stage"`` → ``"Days in stage"``; other names stay as they are."""
    if not re.fullmatch(r"[a-z][a-z0-9_ ]*", col):
        return col
    text = col.replace("_", " ").strip()
    return text[:1].upper() + text[1:]


def page_title(notebook: str, lang: str | None = DEFAULT) -> str:
    """The title of a report page: ``"02_performance_review"`` → ``"Performance review"`` / ``"业绩评估"``.

    Notebooks without a title message get their name without the number, underscores as spaces.
    """
    key = f"nb.{notebook}"
    if key in _locale(DEFAULT).MESSAGES:
        return t(key, lang or DEFAULT)
    name = notebook.split("_", 1)[1] if notebook[:2].isdigit() and "_" in notebook else notebook
    return name.replace("_", " ").capitalize()


class _Strings(Mapping):
    """Compatibility view ``STRINGS[key][lang]`` of the named (dotted-key) messages."""

    def __getitem__(self, key: str) -> dict[str, str]:
        en = _locale(DEFAULT).MESSAGES[key]
        if key.startswith("column."):
            raise KeyError(key)
        out = {DEFAULT: en}
        for lang in LANGS[1:]:
            if key in catalogue(lang):
                out[lang] = catalogue(lang)[key]
        return out

    def __iter__(self):
        return (k for k in _locale(DEFAULT).MESSAGES if not k.startswith("column."))

    def __len__(self) -> int:
        return sum(1 for _ in self)


#: ``{key: {lang: text}}`` for the dotted keys (read-only; the catalogues are salesnb/locale/*.py)
STRINGS: Mapping[str, dict[str, str]] = _Strings()
