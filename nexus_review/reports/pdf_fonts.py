"""The PDF's fonts: embedded Unicode fonts, registered once, and text as reportlab markup.

Text from notes is plain text: it is escaped before reportlab's paragraph markup sees it, so
``<b>`` and ``&amp;`` print literally. Characters the body font lacks (emoji) are drawn in the
fallback font; right-to-left runs (Arabic, Hebrew) are shaped and put in display order.
"""

from __future__ import annotations

import re
from functools import cache
from typing import Any
from xml.sax.saxutils import escape

from nexus_review.paths import resource_path

BODY = "NexusSans"
BOLD = "NexusSans-Bold"
ITALIC = "NexusSans-Oblique"
FALLBACK = "NexusSymbols"
CJK = "NexusCJK"
HANGUL = "NexusHangul"
DEVANAGARI = "NexusDevanagari"

_RTL = re.compile("[\u0590-\u08ff\ufb1d-\ufdff\ufe70-\ufeff]")


def _utf16_hex(code: int) -> str:
    return chr(code).encode("utf-16-be").hex().upper()


def _to_unicode_cmap(original: Any) -> Any:
    """reportlab writes characters beyond U+FFFF (emoji) into the ToUnicode map as five hex
    digits, which readers reject; written as UTF-16 (surrogate pairs), they copy out again."""

    def make(fontname: str, subset: list[int]) -> str:
        text = str(original(fontname, subset))
        for i, code in enumerate(subset):
            if code > 0xFFFF:
                text = text.replace(f"<{i:02X}> <{code:04X}>", f"<{i:02X}> <{_utf16_hex(code)}>")
        return text

    return make


# Fonts for scripts the body font lacks, registered the first time a text needs them: the
# Chinese, Japanese and Korean subsets are large, and most reports never use them.
_FALLBACK_FILES = {
    FALLBACK: ("Symbola-emoji.ttf", False),
    CJK: ("NexusCJK-DroidSansFallback.ttf", False),
    HANGUL: ("NexusHangul-NanumGothic.ttf", False),
    DEVANAGARI: ("NotoSansDevanagari-Regular.ttf", True),  # shaped (conjuncts, vowel signs)
}
_SCRIPT_RANGES = (
    (HANGUL, ((0x1100, 0x11FF), (0x3130, 0x318F), (0xAC00, 0xD7A3))),
    (
        CJK,
        (
            (0x2E80, 0x2FFF),
            (0x3000, 0x312F),
            (0x3190, 0x9FFF),
            (0xF900, 0xFAFF),
            (0xFE30, 0xFE4F),
            (0xFF00, 0xFFEF),
        ),
    ),
    (DEVANAGARI, ((0x0900, 0x097F), (0xA8E0, 0xA8FF), (0x1CD0, 0x1CFF))),
)


@cache
def register_fonts() -> dict[str, frozenset[int]]:
    """Register the body fonts once; gives each font's set of characters."""
    from reportlab.lib.fonts import addMapping
    from reportlab.pdfbase import pdfmetrics, ttfonts
    from reportlab.pdfbase.ttfonts import TTFont

    if not getattr(ttfonts.makeToUnicodeCMap, "_nexus", False):
        ttfonts.makeToUnicodeCMap = _to_unicode_cmap(ttfonts.makeToUnicodeCMap)
        ttfonts.makeToUnicodeCMap._nexus = True

    files = {BODY: "DejaVuSans.ttf", BOLD: "DejaVuSans-Bold.ttf", ITALIC: "DejaVuSans-Oblique.ttf"}
    covers: dict[str, frozenset[int]] = {}
    for name, file in files.items():
        font = TTFont(name, str(resource_path("fonts", file)), shapable=False)
        pdfmetrics.registerFont(font)
        covers[name] = frozenset(font.face.charToGlyph)
    addMapping(BODY, 0, 0, BODY)
    addMapping(BODY, 1, 0, BOLD)
    addMapping(BODY, 0, 1, ITALIC)
    addMapping(BODY, 1, 1, BOLD)
    return covers


@cache
def _fallback_font(name: str) -> frozenset[int]:
    """Register one fallback font; gives its set of characters."""
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont

    register_fonts()
    file, shaped = _FALLBACK_FILES[name]
    if shaped:
        try:
            import uharfbuzz  # noqa: F401
        except ImportError:  # drawn unshaped: every letter there, conjuncts apart
            shaped = False
    font = TTFont(name, str(resource_path("fonts", file)), shapable=shaped)
    pdfmetrics.registerFont(font)
    return frozenset(font.face.charToGlyph)


_DEVANAGARI = re.compile("[\u0900-\u097f\ua8e0-\ua8ff\u1cd0-\u1cff]")


def shaped_style(style: Any, text: str) -> Any:
    """The paragraph style to draw a text in. reportlab shapes a paragraph only when the
    style's own font is shapable, and then each run in its own font: a text with Hindi takes
    the Devanagari font as its base (shaped with HarfBuzz, when it is there), and its other
    runs name the body font (:func:`markup` with ``base``), which stays unshaped."""
    if not _DEVANAGARI.search(text):
        return style
    try:
        import uharfbuzz  # noqa: F401
    except ImportError:
        return style
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.pdfbase import pdfmetrics

    _fallback_font(DEVANAGARI)
    # reportlab shapes every run of such a paragraph, each in its own font, but readies for
    # shaping only the font it starts with: the others are readied here.
    for name in (
        BODY,
        BOLD,
        ITALIC,
        *(n for n in _FALLBACK_FILES if n in pdfmetrics.getRegisteredFontNames()),
    ):
        pdfmetrics.getFont(name).hbFont()
    shaped = ParagraphStyle(style.name + "-shaped", style, fontName=DEVANAGARI, shaping=1)
    return shaped


def _fallback_for(code: int) -> str | None:
    """The font to draw a character the body font lacks in, if one has it."""
    for name, ranges in _SCRIPT_RANGES:
        if any(lo <= code <= hi for lo, hi in ranges):
            return name if code in _fallback_font(name) else None
    return FALLBACK if code in _fallback_font(FALLBACK) else None


def display_order(text: str) -> str:
    """Right-to-left runs shaped (Arabic joining forms) and put in the order they are drawn."""
    if not _RTL.search(text):
        return text
    try:
        import arabic_reshaper
        from bidi import get_display
    except ImportError:  # the text is still all there, in typing order
        return text
    return str(get_display(arabic_reshaper.reshape(text)))


@cache
def _body_chars() -> frozenset[str]:
    """The characters the body font draws, other than the emoji selectors markup drops."""
    return frozenset(chr(c) for c in register_fonts()[BODY]) - {"\ufe0f", "\ufe0e", "\u200d"}


def markup(text: str, base: str | None = None) -> str:
    """Plain text as reportlab paragraph markup: escaped, with fallback-font runs for the
    characters the body font lacks (emoji, Chinese, Japanese, Korean, Hindi). With ``base``
    the body font's runs name it too (for a paragraph whose own font is another)."""
    body = register_fonts()[BODY]
    if (
        base is None
        and "\n" not in text
        and _body_chars().issuperset(text)
        and not _RTL.search(text)
    ):
        return escape(text)  # the common case, decided without a loop in Python
    out: list[str] = []
    run: list[str] = []
    font: str | None = None

    def flush() -> None:
        if run:
            chunk = escape("".join(run))
            name: str | None = font or base
            out.append(f'<font name="{name}">{chunk}</font>' if name else chunk)
            run.clear()

    for ch in display_order(text):
        code = ord(ch)
        if ch == "\n":
            flush()
            out.append("<br/>")
            continue
        if code in (0xFE0F, 0xFE0E, 0x200D):  # emoji variation selectors and joiners
            continue
        wanted: str | None
        if font == DEVANAGARI and not ch.isspace() and code in _fallback_font(DEVANAGARI):
            wanted = DEVANAGARI  # punctuation inside a shaped word is shaped with it
        else:
            wanted = None if code in body else _fallback_for(code)
        if wanted != font:
            flush()
            font = wanted
        run.append(ch)
    flush()
    return "".join(out)
