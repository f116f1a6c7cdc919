"""The issuing-body block of a document header, laid out line by line before any renderer sees it.

The block sits in a column about 72 mm wide. Left to the PDF engine or to Word, a long body name breaks
wherever the column ends, often inside a word group ("KHEN / THƯỞNG", "TỈNH / ỦY"). So both renderers get
finished lines, each printed without wrapping:

* an officer's exact lines (``Header.parent_exact``, ``body_exact``) are kept as set; one too wide for
  the column is printed smaller (down to ``MIN_SIZE_PT``) rather than broken;
* otherwise a line that does not fit is broken into the fewest lines that fit, at the word boundaries that
  balance their widths best, never inside a known word group or next to a dash.

Widths are measured with the document font's own advance widths (``documents.render.document_fonts``), so
what fits here fits in the PDF; Word's Times New Roman has the same metrics.
"""

from __future__ import annotations

import functools
import itertools
import unicodedata
from dataclasses import dataclass

from .content import Header

COLUMN_MM = 76.0  # the issuer column's width (documents/base_document.html and documents/docx.py: 76 of 165 mm)
SIZE_PT = 12.0
MIN_SIZE_PT = 10.0
MAX_LINES = 4

# Word groups an automatic break never splits (upper case; Vietnamese compounds common in body names).
WORD_GROUPS = frozenset(
    {
        "THI ĐUA",
        "KHEN THƯỞNG",
        "HỘI ĐỒNG",
        "ỦY BAN",
        "UỶ BAN",
        "NHÂN DÂN",
        "TỈNH ỦY",
        "TỈNH UỶ",
        "THÀNH ỦY",
        "ĐẢNG ỦY",
        "CƠ QUAN",
        "ĐOÀN THỂ",
        "CHÍNH TRỊ",
        "XÃ HỘI",
        "MẶT TRẬN",
        "TỔ QUỐC",
        "VIỆT NAM",
        "THÀNH PHỐ",
        "DOANH NGHIỆP",
        "KINH TẾ",
        "NỘI CHÍNH",
        "VĂN HÓA",
        "VĂN HOÁ",
        "GIÁO DỤC",
        "ĐÀO TẠO",
        "Y TẾ",
        "CHÍNH PHỦ",
        "TRUNG ƯƠNG",
        "QUẬN HUYỆN",
        "HUYỆN THỊ",
        "SỰ NGHIỆP",
        "TÀI CHÍNH",
        "NGÂN HÀNG",
        "CÔNG AN",
        "QUÂN SỰ",
        "BIÊN PHÒNG",
        "TƯ PHÁP",
        "KHOA HỌC",
        "CÔNG NGHỆ",
        "NÔNG NGHIỆP",
        "PHÁT TRIỂN",
        "NÔNG THÔN",
        "GIAO THÔNG",
        "VẬN TẢI",
        "XÂY DỰNG",
        "CÔNG THƯƠNG",
        "DU LỊCH",
        "THỂ THAO",
        "LAO ĐỘNG",
        "THƯƠNG BINH",
        "DÂN TỘC",
        "TÔN GIÁO",
        "NỘI VỤ",
        "NGOẠI VỤ",
        "KẾ HOẠCH",
        "ĐẦU TƯ",
        "TÀI NGUYÊN",
        "MÔI TRƯỜNG",
        "THÔNG TIN",
        "TRUYỀN THÔNG",
        "THANH TRA",
        "KIỂM SÁT",
        "TÒA ÁN",
        "PHỤ NỮ",
        "CỰU CHIẾN",
        "CHIẾN BINH",
        "NÔNG DÂN",
        "THANH NIÊN",
        "LIÊN ĐOÀN",
        "CÔNG ĐOÀN",
        "CỘNG SẢN",
        "HỒ CHÍ",
        "CHÍ MINH",
        "KHỐI THI",
        "CỤM THI",
    }
)
_DASHES = {"–", "-", "—"}


@dataclass(frozen=True)
class HeaderLine:
    text: str
    bold: bool
    size_pt: float

    @property
    def css_class(self) -> str:
        """ "issuer-line bold size-115": the template's classes for the line (documents/base_document.html)."""
        return f"issuer-line{' bold' if self.bold else ''} size-{round(self.size_pt * 10)}"


@functools.lru_cache(maxsize=4)
def _advances(bold: bool) -> tuple[dict[int, int], int] | None:
    """(advance width per code point, units per em) of the document font, or None without the font."""
    from fontTools.ttLib import TTFont

    from .render import document_fonts

    path = document_fonts().get("Bold" if bold else "Regular")
    if not path:
        return None
    with TTFont(path, lazy=True) as font:
        cmap = font.getBestCmap() or {}
        metrics = font["hmtx"].metrics
        widths = {code: metrics[glyph][0] for code, glyph in cmap.items() if glyph in metrics}
        return widths, font["head"].unitsPerEm


def text_width_mm(text: str, *, size_pt: float = SIZE_PT, bold: bool = False) -> float:
    """How wide ``text`` prints in the document font (millimetres)."""
    advances = _advances(bold)
    if advances is None:  # no font file: an average Times letter is about half an em wide
        em_units = len(text) * 0.55
    else:
        widths, units_per_em = advances
        fallback = units_per_em // 2
        em_units = sum(widths.get(ord(ch), fallback) for ch in text) / units_per_em
    return em_units * size_pt * 25.4 / 72


def _break_allowed(left: str, right: str) -> bool:
    if left in _DASHES or right in _DASHES:
        return False
    return f"{left} {right}".upper() not in WORD_GROUPS


def balanced_lines(text: str, *, bold: bool, width_mm: float = COLUMN_MM, size_pt: float = SIZE_PT) -> list[str]:
    """``text`` as the fewest lines that fit ``width_mm``, broken where the widths balance best.

    Breaks inside a word group are taken only when no other way fits; a single word wider than the column
    stays whole (the renderer shrinks it).
    """
    words = text.split()
    if not words or text_width_mm(" ".join(words), size_pt=size_pt, bold=bold) <= width_mm:
        return [" ".join(words)] if words else []
    gaps = range(1, len(words))
    best: tuple[tuple[int, int, float], list[str]] | None = None
    for count in range(2, min(MAX_LINES, len(words)) + 1):
        for cuts in itertools.combinations(gaps, count - 1):
            bounds = (0, *cuts, len(words))
            lines = [" ".join(words[a:b]) for a, b in itertools.pairwise(bounds)]
            widest = max(text_width_mm(line, size_pt=size_pt, bold=bold) for line in lines)
            bad_breaks = sum(not _break_allowed(words[cut - 1], words[cut]) for cut in cuts)
            key = (int(widest > width_mm), bad_breaks, widest)
            if best is None or key < best[0]:
                best = (key, lines)
        if best is not None and best[0][:2] == (0, 0):
            break  # the fewest lines that fit without splitting a word group
    return best[1] if best else [text]


def _fitted(text: str, *, bold: bool, width_mm: float) -> HeaderLine:
    """The line at the standard size, or smaller (not below MIN_SIZE_PT) when it would not fit."""
    size = SIZE_PT
    width = text_width_mm(text, size_pt=size, bold=bold)
    if width > width_mm:  # in half points, so that both renderers have a class or size for it
        size = max(MIN_SIZE_PT, int(SIZE_PT * width_mm / width * 2) / 2)
    return HeaderLine(text=text, bold=bold, size_pt=size)


def header_layout(header: Header, *, width_mm: float = COLUMN_MM) -> list[HeaderLine]:
    """The printed lines of the issuing-body block: parent body regular, issuing body bold, upper case."""
    printed: list[HeaderLine] = []
    groups = ((header.parent_lines, False, header.parent_exact), (header.body_lines, True, header.body_exact))
    for lines, bold, exact in groups:
        for line in lines:
            upper = unicodedata.normalize("NFC", " ".join(line.upper().split()))
            fits_small = text_width_mm(upper, size_pt=MIN_SIZE_PT, bold=bold) <= width_mm
            # An exact line is kept whole while it fits at the smallest size; past that it must wrap
            # somewhere, and a balanced break between words is better than one at the column's edge.
            keep = exact and fits_small
            parts = [upper] if keep else balanced_lines(upper, bold=bold, width_mm=width_mm)
            printed.extend(_fitted(part, bold=bold, width_mm=width_mm) for part in parts)
    return printed
