"""LaTeX in BibTeX fields → plain Unicode text that keeps every word.

Real bibliographies use far more than accents: logos (``\\TeX``, ``\\MF``), math (``$k$-means``,
``$\\alpha$``), ties (``J.~Smith``), dashes and macros from packages we have never heard of. A general
LaTeX-to-text converter drops what it does not know, and a missing ``TeX`` in a title is worse than
a visible macro name. So this decoder is small and BibTeX-minded:

* known macros (accents, letters such as ``\\ss``, symbols, logos, Greek) become Unicode;
* an unknown macro with a braced argument becomes the argument (``\\foo{x}`` → ``x``), and one
  without becomes its own name (``\\TUBfoo`` → ``TUBfoo``): a reader still sees the word;
* formatting declarations (``\\em``, ``\\small``) and spacing commands vanish, braces vanish;
* ``~`` is a space, ``--``/``---`` are en and em dashes, `````` ``…'' `````` are curly quotes;
* math keeps its content: ``$\\alpha$`` → ``α``, ``$n^2$`` → ``n²``, ``$O(n \\log n)$`` → ``O(n log n)``.

Unbalanced braces and stray ``$`` are read as best they can be; the one error is nesting (braces,
arguments, accents on accents) deeper than :data:`MAX_DEPTH` levels, :class:`TooDeep`, so that a
hostile field cannot exhaust the stack. Results are cached, since the same journal names and first
names come back in every entry.
"""

from __future__ import annotations

import functools
import re
import unicodedata

#: Accent commands → Unicode combining marks, composed with the letter that follows (NFC).
ACCENTS = {
    "`": "\u0300",
    "'": "\u0301",
    "^": "\u0302",
    "~": "\u0303",
    "=": "\u0304",
    "u": "\u0306",
    ".": "\u0307",
    '"': "\u0308",
    "r": "\u030a",
    "H": "\u030b",
    "v": "\u030c",
    "d": "\u0323",
    "c": "\u0327",
    "k": "\u0328",
    "b": "\u0331",
    "t": "\u0361",
}

#: Macros that stand for letters: they sit inside words (``Bj\\o rn``), so the space after them goes.
LETTERS = {
    "ss": "ß",
    "SS": "SS",
    "o": "ø",
    "O": "Ø",
    "aa": "å",
    "AA": "Å",
    "ae": "æ",
    "AE": "Æ",
    "oe": "œ",
    "OE": "Œ",
    "l": "ł",
    "L": "Ł",
    "i": "ı",
    "j": "ȷ",
    "dh": "ð",
    "DH": "Ð",
    "dj": "đ",
    "DJ": "Đ",
    "th": "þ",
    "TH": "Þ",
    "ng": "ŋ",
    "NG": "Ŋ",
}

#: Logos and names written as macros: words of their own, so a following space is kept.
WORDS = {
    "TeX": "TeX",
    "LaTeX": "LaTeX",
    "LaTeXe": "LaTeX2ε",
    "BibTeX": "BibTeX",
    "BibLaTeX": "BibLaTeX",
    "biblatex": "biblatex",
    "MF": "Metafont",
    "MP": "MetaPost",
    "METAFONT": "METAFONT",
    "METAPOST": "METAPOST",
    "AmS": "AMS",
    "AMS": "AMS",
    "AmSTeX": "AMS-TeX",
    "AMSTeX": "AMS-TeX",
    "AmSLaTeX": "AMS-LaTeX",
    "AMSLaTeX": "AMS-LaTeX",
    "SliTeX": "SliTeX",
    "ConTeXt": "ConTeXt",
    "XeTeX": "XeTeX",
    "XeLaTeX": "XeLaTeX",
    "LuaTeX": "LuaTeX",
    "LuaLaTeX": "LuaLaTeX",
    "pdfTeX": "pdfTeX",
    "pdfLaTeX": "pdfLaTeX",
    "eTeX": "ε-TeX",
    "PiCTeX": "PiCTeX",
    "LyX": "LyX",
    "PS": "PostScript",
    "TUB": "TUGboat",
    "log": "log",
    "ln": "ln",
    "exp": "exp",
    "sin": "sin",
    "cos": "cos",
    "tan": "tan",
    "max": "max",
    "min": "min",
    "sup": "sup",
    "inf": "inf",
    "lim": "lim",
    "det": "det",
    "dim": "dim",
    "arg": "arg",
    "deg": "deg",
    "gcd": "gcd",
    "Pr": "Pr",
}

_GREEK = [
    "alpha",
    "beta",
    "gamma",
    "delta",
    "epsilon",
    "zeta",
    "eta",
    "theta",
    "iota",
    "kappa",
    "lambda",
    "mu",
    "nu",
    "xi",
    "omicron",
    "pi",
    "rho",
    "sigma",
    "tau",
    "upsilon",
    "phi",
    "chi",
    "psi",
    "omega",
]

#: Symbols, text and math alike.
SYMBOLS = {
    **{name: chr(0x3B1 + i + (1 if i >= 17 else 0)) for i, name in enumerate(_GREEK)},  # skips final sigma
    **{name.capitalize(): chr(0x391 + i + (1 if i >= 17 else 0)) for i, name in enumerate(_GREEK)},
    "varepsilon": "ε",
    "vartheta": "ϑ",
    "varphi": "φ",
    "varrho": "ϱ",
    "varsigma": "ς",
    "varpi": "ϖ",
    "textendash": "–",
    "textemdash": "—",
    "textquoteleft": "‘",
    "textquoteright": "’",
    "textquotedblleft": "“",
    "textquotedblright": "”",
    "quotedblbase": "„",
    "quotesinglbase": "‚",
    "guillemotleft": "«",
    "guillemotright": "»",
    "guillemetleft": "«",
    "guillemetright": "»",
    "flqq": "«",
    "frqq": "»",
    "S": "§",
    "P": "¶",
    "dag": "†",
    "ddag": "‡",
    "copyright": "©",
    "textcopyright": "©",
    "textregistered": "®",
    "texttrademark": "™",
    "ldots": "…",
    "dots": "…",
    "textellipsis": "…",
    "cdots": "⋯",
    "textbullet": "•",
    "textdegree": "°",
    "textasciitilde": "~",
    "textasciicircum": "^",
    "textbackslash": "\\",
    "textunderscore": "_",
    "textbar": "|",
    "textless": "<",
    "textgreater": ">",
    "pounds": "£",
    "textsterling": "£",
    "euro": "€",
    "texteuro": "€",
    "textdollar": "$",
    "slash": "/",
    "hyphen": "-",
    "textperiodcentered": "·",
    "textmu": "µ",
    "textperthousand": "‰",
    "times": "×",
    "cdot": "·",
    "pm": "±",
    "mp": "∓",
    "div": "÷",
    "leq": "≤",
    "le": "≤",
    "geq": "≥",
    "ge": "≥",
    "neq": "≠",
    "ne": "≠",
    "approx": "≈",
    "sim": "∼",
    "simeq": "≃",
    "equiv": "≡",
    "propto": "∝",
    "infty": "∞",
    "partial": "∂",
    "nabla": "∇",
    "sum": "∑",
    "prod": "∏",
    "int": "∫",
    "to": "→",
    "rightarrow": "→",
    "leftarrow": "←",
    "Rightarrow": "⇒",
    "Leftarrow": "⇐",
    "leftrightarrow": "↔",
    "mapsto": "↦",
    "in": "∈",
    "notin": "∉",
    "subset": "⊂",
    "subseteq": "⊆",
    "supset": "⊃",
    "cup": "∪",
    "cap": "∩",
    "forall": "∀",
    "exists": "∃",
    "neg": "¬",
    "lnot": "¬",
    "wedge": "∧",
    "land": "∧",
    "vee": "∨",
    "lor": "∨",
    "emptyset": "∅",
    "ell": "ℓ",
    "hbar": "ℏ",
    "circ": "∘",
    "star": "⋆",
    "ast": "∗",
    "langle": "⟨",
    "rangle": "⟩",
    "vert": "|",
    "mid": "|",
    "prime": "′",
    "ll": "≪",
    "gg": "≫",
    # Spacing: one space (collapsed later); `\par` and `\\` end lines, which in a field is a space.
    "quad": " ",
    "qquad": " ",
    "enspace": " ",
    "thinspace": " ",
    "space": " ",
    "par": " ",
}

#: Declarations and commands that print nothing (fonts, sizes, hints to TeX's line breaker).
SILENT = frozenset(
    [
        "em",
        "it",
        "bf",
        "sc",
        "tt",
        "rm",
        "sf",
        "sl",
        "md",
        "up",
        "itshape",
        "bfseries",
        "scshape",
        "ttfamily",
        "rmfamily",
        "sffamily",
        "slshape",
        "upshape",
        "mdseries",
        "normalfont",
        "relax",
        "protect",
        "nobreak",
        "null",
        "unskip",
        "allowbreak",
        "xspace",
        "ignorespaces",
        "noindent",
        "small",
        "footnotesize",
        "scriptsize",
        "tiny",
        "large",
        "Large",
        "LARGE",
        "huge",
        "Huge",
        "normalsize",
        "selectfont",
        "displaystyle",
        "textstyle",
        "scriptstyle",
        "left",
        "right",
        "big",
        "Big",
        "bigl",
        "bigr",
        "Bigl",
        "Bigr",
        "limits",
        "nolimits",
        "newblock",
        "sloppy",
        "frenchspacing",
        "nonfrenchspacing",
        "ensuremath",
        "boldmath",
        "unboldmath",
        "cal",  # {\cal L}
    ]
)

#: Commands whose argument is not text (a length, a sort key, a label): the argument goes too.
DROP_ARGUMENT = frozenset(["hspace", "vspace", "label", "index", "noopsort", "hyphenation", "kern"])

#: Commands whose argument is an address, taken as written (``~`` and ``%`` are part of URLs).
VERBATIM_ARGUMENT = frozenset({"url", "path", "nolinkurl"})

#: Quotation commands (csquotes, biblatex) → curly quotes around their argument.
QUOTES = frozenset({"enquote", "mkbibquote", "textquote"})

_SUPERSCRIPTS = str.maketrans("0123456789+-=()ni", "⁰¹²³⁴⁵⁶⁷⁸⁹⁺⁻⁼⁽⁾ⁿⁱ")
_SUBSCRIPTS = str.maketrans("0123456789+-=()", "₀₁₂₃₄₅₆₇₈₉₊₋₌₍₎")
_SUPERSCRIPT_OK = frozenset("0123456789+-=()ni")
_SUBSCRIPT_OK = frozenset("0123456789+-=()")

#: Deepest nesting of groups, arguments and accents read (real fields nest a few levels).
MAX_DEPTH = 100


class TooDeep(ValueError):
    """A field nests braces, arguments or accents deeper than :data:`MAX_DEPTH` levels."""

    def __init__(self) -> None:
        super().__init__(f"nests braces, macro arguments or accents deeper than {MAX_DEPTH} levels")


#: Anything the decoder would change. A field without any of these is returned as it is.
_NEEDS_DECODING = re.compile(r"[\\{}$~]|--|``|''|`")
_PLAIN_RUN = re.compile(r"[^\\{}$~`'\-^_]+")
_CONTROL_WORD = re.compile(r"[A-Za-z@]+\*?")
_SPACES = re.compile(r"\s+")


@functools.lru_cache(maxsize=32768)
def latex_to_text(text: str) -> str:
    """Plain Unicode for a BibTeX field value (LaTeX markup decoded, whitespace collapsed).

    Raises :class:`TooDeep` for nesting deeper than :data:`MAX_DEPTH`.
    """
    if not _NEEDS_DECODING.search(text):
        return _SPACES.sub(" ", text).strip()
    out = _Decoder(text).run()
    return _SPACES.sub(" ", unicodedata.normalize("NFC", out)).strip()


_URL_WRAPPER = re.compile(r"^\s*\\(?:url|href)\s*\{([^{}]*)\}(?:\s*\{.*\})?\s*$", re.S)


def unwrap_url(value: str) -> str:
    """The address inside ``\\url{…}`` or ``\\href{…}{…}`` (reference managers such as Citavi write
    those into ``url`` fields); any other value unchanged."""
    match = _URL_WRAPPER.match(value)
    return match.group(1).strip() if match else value


class _Cursor:
    """Position in one field value, and reading a macro's arguments from there."""

    def __init__(self, text: str) -> None:
        self.s = text
        self.pos = 0
        self.math = False
        # Levels of groups and macros being read: every nested call passes through _enter.
        self.depth = 0

    def _enter(self) -> None:
        self.depth += 1
        if self.depth > MAX_DEPTH:
            raise TooDeep

    def _until(self, *, closing: bool) -> str:
        raise NotImplementedError  # the decoding pass (see _Decoder)

    def _macro(self) -> str:
        raise NotImplementedError  # the decoding pass (see _Decoder)

    def _skip_spaces(self) -> bool:
        start = self.pos
        while self.pos < len(self.s) and self.s[self.pos].isspace():
            self.pos += 1
        return self.pos > start

    def _argument(self) -> str:
        """The next argument: a braced group, a macro, or a single character."""
        self._skip_spaces()
        if self.pos >= len(self.s):
            return ""
        ch = self.s[self.pos]
        if ch == "{":
            self.pos += 1
            return self._until(closing=True)
        if ch == "\\":
            return self._macro()
        if ch == "}":
            return ""
        self.pos += 1
        return ch

    def _raw_argument(self) -> str:
        """A braced argument as written (for URLs)."""
        self._skip_spaces()
        if not self.s.startswith("{", self.pos):
            return self._argument()
        depth, start = 0, self.pos
        for i in range(self.pos, len(self.s)):
            if self.s[i] == "{":
                depth += 1
            elif self.s[i] == "}":
                depth -= 1
                if depth == 0:
                    self.pos = i + 1
                    return self.s[start + 1 : i]
        self.pos = len(self.s)
        return self.s[start + 1 :]

    def _next_is_group(self) -> bool:
        i = self.pos
        while i < len(self.s) and self.s[i].isspace():
            i += 1
        return self.s.startswith("{", i)

    def _control_symbol(self, sym: str) -> str:
        if sym in ACCENTS:
            return self._accent(sym)
        if sym in "&%$#_{}":
            return sym
        if sym == "\\" or sym.isspace() or sym in ",;:>":
            return " "
        if sym in "-/@!)(][":  # hyphenation hint, italic correction, spacing, \( \) \[ \]
            if sym in "([":
                self.math = True
            elif sym in ")]":
                self.math = False
            return ""
        return sym

    def _accent(self, accent: str) -> str:
        base = self._argument()
        if not base:
            return {"~": "~", "^": "^"}.get(accent, "")
        first = {"ı": "i", "ȷ": "j"}.get(base[0], base[0])
        return unicodedata.normalize("NFC", first + ACCENTS[accent]) + base[1:]

    def _script(self, mark: str) -> str:
        content = self._argument()
        table, allowed = (_SUPERSCRIPTS, _SUPERSCRIPT_OK) if mark == "^" else (_SUBSCRIPTS, _SUBSCRIPT_OK)
        if content and all(c in allowed for c in content):
            return content.translate(table)
        return f"{mark}{content}" if len(content) <= 1 else f"{mark}({content})"


class _Decoder(_Cursor):
    """A single left-to-right pass over one field value."""

    def run(self) -> str:
        return self._until(closing=False)

    def _until(self, *, closing: bool) -> str:
        """Decode up to the matching ``}`` (when ``closing``) or to the end of the text."""
        self._enter()
        try:
            return self._read_until(closing=closing)
        finally:
            self.depth -= 1

    def _read_until(self, *, closing: bool) -> str:
        out: list[str] = []
        s = self.s
        while self.pos < len(s):
            ch = s[self.pos]
            if ch == "}":
                self.pos += 1
                if closing:
                    break
                continue  # a stray closing brace: drop it
            if ch == "{":
                self.pos += 1
                out.append(self._until(closing=True))
            elif ch == "\\":
                out.append(self._macro())
            elif ch == "$":
                # `$$` opens display math; either way, only the math mode changes.
                self.pos += 2 if s.startswith("$$", self.pos) else 1
                self.math = not self.math
            elif ch == "~":
                self.pos += 1
                out.append(" ")
            elif ch == "-" and not self.math:
                if s.startswith("---", self.pos):
                    self.pos += 3
                    out.append("—")
                elif s.startswith("--", self.pos):
                    self.pos += 2
                    out.append("–")
                else:
                    self.pos += 1
                    out.append("-")
            elif ch == "`":
                if s.startswith("``", self.pos):
                    self.pos += 2
                    out.append("“")
                else:
                    self.pos += 1
                    out.append("‘")
            elif ch == "'" and s.startswith("''", self.pos):
                self.pos += 2
                out.append("”")
            elif ch in "^_" and self.math:
                self.pos += 1
                out.append(self._script(ch))
            else:
                match = _PLAIN_RUN.match(s, self.pos)
                if match:
                    out.append(match.group())
                    self.pos = match.end()
                else:
                    out.append(ch)
                    self.pos += 1
        return "".join(out)

    def _macro(self) -> str:
        """Decode the macro at ``self.pos`` (which is a backslash)."""
        self._enter()
        try:
            return self._read_macro()
        finally:
            self.depth -= 1

    def _read_macro(self) -> str:
        s = self.s
        self.pos += 1
        if self.pos >= len(s):
            return ""
        word = _CONTROL_WORD.match(s, self.pos)
        if not word:  # a control symbol: \' \& \\ \, ...
            sym = s[self.pos]
            self.pos += 1
            return self._control_symbol(sym)
        name = word.group().rstrip("*")
        self.pos = word.end()
        if name in ACCENTS and len(name) == 1:  # \c{c}, \v s, \H{o}
            return self._accent(name)
        if name == "href":
            url = self._raw_argument()
            text = self._argument() if self._next_is_group() else ""
            return text or url
        if name in VERBATIM_ARGUMENT:
            return self._raw_argument()
        if name in DROP_ARGUMENT:
            if self._next_is_group():
                self._argument()
            return ""
        if name in QUOTES:
            return f"“{self._argument()}”"
        if name == "sqrt":
            return "√" + self._argument()
        if name in ("frac", "tfrac", "dfrac"):
            numerator = self._argument()
            return f"{numerator}/{self._argument()}"
        spaced = self._skip_spaces()
        if name in LETTERS:
            return LETTERS[name]
        if name in SILENT:
            return " " if spaced else ""
        if name in SYMBOLS:
            return SYMBOLS[name]  # TeX swallows the space after a symbol: `methodology\hyphen independent`
        if name in WORDS:
            if self.s.startswith("{}", self.pos):  # `\TeX{}` ends the macro without a space
                self.pos += 2
            # A logo is a word: `\TeX users` means "TeX users" (TeX itself would print "TeXusers").
            return WORDS[name] + (" " if spaced else "")
        if self._next_is_group():
            # Unknown command with an argument (\emph{x}, \textsc{x}, \mkbibemph{x}): keep the argument.
            return ""
        # Unknown command without one: its name is the best guess at the word it prints.
        return name + (" " if spaced else "")
