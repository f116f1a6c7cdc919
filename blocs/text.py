"""Vietnamese text helpers: NFC storage (``nfc_line``, ``nfc_text``), diacritic-free search keys and
alphabetical sort keys.

Search and sorting must behave the same on SQLite and PostgreSQL, so neither relies on the database's
collation or unaccent extension: the models store a folded search column and a sort-key column computed
here, and queries compare plain ASCII.
"""

import re
import unicodedata

_SPACES = re.compile(r"\s+")
_NON_WORD = re.compile(r"[^0-9a-z]+")


def nfc_line(value: str | None) -> str:
    """The stored form of a single-line field: NFC, runs of white space (line breaks too) as one space,
    the ends trimmed."""
    if not value:
        return ""
    return _SPACES.sub(" ", unicodedata.normalize("NFC", value)).strip()


# The older name: callers that normalise a lookup value (a duplicate check, a search) still use it.
nfc = nfc_line


def nfc_text(value: str | None) -> str:
    """The stored form of a multi-line field: NFC with its line breaks kept (one paragraph per line).

    Every line break (CR LF, CR, U+2028 …) becomes LF; each line has its runs of white space collapsed
    and its ends trimmed; a run of blank lines between paragraphs becomes one blank line (a paragraph
    break the writer may want), and there are none at the start or the end.
    """
    if not value:
        return ""
    kept: list[str] = []
    for line in unicodedata.normalize("NFC", value).splitlines():
        line = _SPACES.sub(" ", line).strip()
        if line or (kept and kept[-1]):
            kept.append(line)
    while kept and not kept[-1]:
        kept.pop()
    return "\n".join(kept)


def paragraphs(value: str | None) -> list[str]:
    """The paragraphs of a multi-line text, one per line, without blank lines or the white space around
    them: what a printed document shows of a field stored by ``nfc_text`` (any line break counts, CR too)."""
    return [line.strip() for line in (value or "").splitlines() if line.strip()]


def code_key(value: str | None) -> str:
    """A code with its letter case folded ("KTĐ6", "ktđ6" -> "ktđ6"), in Python: SQLite's lower() and LIKE
    fold ASCII letters only, so a database expression cannot make such codes clash on every database."""
    return nfc_line(value).casefold()


def fold(value: str | None) -> str:
    """Lower-case ASCII form used for search: "Hội Liên hiệp Phụ nữ" -> "hoi lien hiep phu nu"; đ -> d."""
    if not value:
        return ""
    decomposed = unicodedata.normalize("NFD", value.replace("đ", "d").replace("Đ", "D"))
    stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return _SPACES.sub(" ", _NON_WORD.sub(" ", stripped.lower())).strip()


def search_words(query: str | None) -> list[str]:
    """The folded words of a search box entry; every one must occur in a match."""
    return fold(query).split()


# Vietnamese alphabetical order: letters with a breve, circumflex or horn and đ are letters of their own,
# tones only break ties (a < ă < â < b < c < d < đ < e < ê ...).
_ALPHABET = "aăâbcdđeêfghijklmnoôơpqrstuưvwxyz"
_TONES = {"\u0300": 2, "\u0309": 3, "\u0303": 4, "\u0301": 5, "\u0323": 6}  # huyền hỏi ngã sắc nặng
_LETTER_MARKS = {"\u0306", "\u0302", "\u031b"}  # breve, circumflex, horn: part of the letter


def sort_key(value: str | None) -> str:
    """A string of digits that sorts ``value`` in Vietnamese order under any database collation.

    Each character becomes two digits (space 01, digits 02-11, letters 12-44, anything else 99); the
    tones follow after the separator 00, which is below every character code, so a name sorts before
    its own continuations ("Ủy ban" < "Ủy ban Kiểm tra") and tones decide only between otherwise equal
    names.
    """
    letters: list[str] = []
    tones: list[str] = []
    for ch in nfc(value).lower():
        parts = unicodedata.normalize("NFD", ch)
        base_marks = "".join(c for c in parts[1:] if c in _LETTER_MARKS)
        letter = unicodedata.normalize("NFC", parts[0] + base_marks)
        tone = next((_TONES[c] for c in parts[1:] if c in _TONES), 1)
        if letter == " ":
            code = 1
        elif letter.isdigit() and letter.isascii():
            code = 2 + int(letter)
        elif letter in _ALPHABET:
            code = 12 + _ALPHABET.index(letter)
        else:
            code = 99
        letters.append(f"{code:02d}")
        tones.append(str(tone))
    return "".join(letters) + "00" + "".join(tones)
