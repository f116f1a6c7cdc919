"""Vietnamese text helpers: NFC storage, folding for search, alphabetical sort keys (Python and database)."""

import random
import unicodedata

import pytest

from blocs.models import Bloc, Unit
from blocs.text import fold, nfc, nfc_line, nfc_text, paragraphs, search_words, sort_key

from ..factories import BlocFactory, UnitFactory

NAMES_IN_ORDER = [
    "Ban Dân vận",
    "Ban Tổ chức",
    "Báo tỉnh",
    "Đảng ủy Khối",
    "Hội Chữ thập đỏ",
    "Hội Cựu chiến binh",
    "Ủy ban Kiểm tra",
    "Văn phòng",
]


def vietnamese_sorted(names):
    return sorted(names, key=sort_key)


# --- nfc ---------------------------------------------------------------------------------------------


def test_nfc_composes_decomposed_text():
    decomposed = unicodedata.normalize("NFD", "Hội Liên hiệp Phụ nữ")
    assert decomposed != "Hội Liên hiệp Phụ nữ"
    assert nfc(decomposed) == "Hội Liên hiệp Phụ nữ"


def test_nfc_collapses_white_space_and_trims():
    assert nfc("  Sở   Nội\tvụ\n tỉnh ") == "Sở Nội vụ tỉnh"


def test_nfc_of_nothing_is_empty():
    assert nfc(None) == ""
    assert nfc("") == ""


def test_nfc_is_the_single_line_form():
    # The older name stays for callers that normalise a lookup value; it is the single-line form.
    assert nfc is nfc_line


# --- nfc_line / nfc_text: the two forms every stored text field takes ----------------------------------


def test_nfc_line_composes_collapses_every_white_space_and_trims():
    decomposed = unicodedata.normalize("NFD", "Khối   thi\tđua\r\n số 6 ")
    assert nfc_line(decomposed) == "Khối thi đua số 6"


def test_nfc_line_turns_no_break_spaces_into_spaces():
    assert nfc_line("Sở\u00a0Nội vụ") == "Sở Nội vụ"


def test_nfc_text_keeps_line_breaks_and_composes():
    decomposed = unicodedata.normalize("NFD", "Ủy ban nhân dân tỉnh\nKhối thi đua số 6")
    assert nfc_text(decomposed) == "Ủy ban nhân dân tỉnh\nKhối thi đua số 6"


def test_nfc_text_turns_every_line_break_into_a_newline():
    assert nfc_text("một\r\nhai\rba\u2028bốn") == "một\nhai\nba\nbốn"


def test_nfc_text_collapses_spaces_and_tabs_within_a_line_and_trims_each_line():
    assert nfc_text("  Mục   tiêu\t chung  \n\tChỉ tiêu  ") == "Mục tiêu chung\nChỉ tiêu"


def test_nfc_text_keeps_one_blank_line_between_paragraphs_and_none_at_the_ends():
    assert nfc_text("\n\n  \nĐoạn một\n\n\n \nĐoạn hai\n \n\n") == "Đoạn một\n\nĐoạn hai"


@pytest.mark.parametrize("helper", [nfc_line, nfc_text])
def test_nfc_forms_of_nothing_or_white_space_are_empty(helper):
    assert helper(None) == ""
    assert helper("") == ""
    assert helper(" \r\n\t ") == ""


@pytest.mark.parametrize("helper", [nfc_line, nfc_text])
def test_nfc_forms_are_idempotent(helper):
    text = unicodedata.normalize("NFD", " Hội nghị\r\n\r\n\r\n  tổng   kết \n")
    assert helper(helper(text)) == helper(text)


# --- fold --------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "folded"),
    [
        ("Hội Liên hiệp Phụ nữ tỉnh", "hoi lien hiep phu nu tinh"),
        ("Đoàn Thanh niên", "doan thanh nien"),
        ("đảng ủy", "dang uy"),
        ("ĐẢNG ỦY KHỐI", "dang uy khoi"),
        ("Ủy ban MTTQ Việt Nam", "uy ban mttq viet nam"),
        ("Cờ thi đua của Chính phủ", "co thi dua cua chinh phu"),
        ("Khối thi đua các tổ chức chính trị - xã hội", "khoi thi dua cac to chuc chinh tri xa hoi"),
        ("Hội đồng Thi đua – Khen thưởng (tỉnh)", "hoi dong thi dua khen thuong tinh"),
        ("Số: 01/BB-KTĐ6", "so 01 bb ktd6"),
        ("LHPN, Hội Phụ nữ", "lhpn hoi phu nu"),
        ("ăâêôơư ĂÂÊÔƠƯ", "aaeoou aaeoou"),
        ("   ", ""),
    ],
)
def test_fold(text, folded):
    assert fold(text) == folded


def test_fold_treats_decomposed_and_composed_text_alike():
    for text in ("Đoàn Thanh niên", "Hội Cựu chiến binh", "Ủy ban Kiểm tra"):
        assert fold(unicodedata.normalize("NFD", text)) == fold(text)


def test_fold_of_nothing_is_empty():
    assert fold(None) == ""


def test_search_words_are_folded_words():
    assert search_words("  Hội   PHỤ nữ, LHPN ") == ["hoi", "phu", "nu", "lhpn"]
    assert search_words("") == []
    assert search_words(None) == []


# --- sort_key ----------------------------------------------------------------------------------------


def test_names_sort_in_vietnamese_alphabetical_order():
    shuffled = NAMES_IN_ORDER[:]
    random.Random(7).shuffle(shuffled)
    assert vietnamese_sorted(shuffled) == NAMES_IN_ORDER
    assert vietnamese_sorted(reversed(NAMES_IN_ORDER)) == NAMES_IN_ORDER


@pytest.mark.parametrize(
    "ordered",
    [
        ["an", "ăn", "ân", "bạn"],  # a < ă < â < b
        ["da", "dê", "đa", "đê", "em"],  # d < đ < e
        ["em", "êm", "ga"],  # e < ê
        ["ong", "ông", "ơn", "phòng"],  # o < ô < ơ < p
        ["ua", "ưa", "va"],  # u < ư < v
        ["Ủy ban", "Ưu tiên", "Văn phòng"],
    ],
)
def test_letters_with_marks_are_letters_of_their_own(ordered):
    assert vietnamese_sorted(reversed(ordered)) == ordered


def test_tones_only_break_ties():
    # Same letters: ngang, huyền, hỏi, ngã, sắc, nặng.
    assert vietnamese_sorted(["bạ", "bá", "bã", "bả", "bà", "ba"]) == ["ba", "bà", "bả", "bã", "bá", "bạ"]
    # Different letters: the letters decide whatever the tones.
    assert vietnamese_sorted(["bac", "bạ"]) == ["bạ", "bac"]
    assert vietnamese_sorted(["ác", "ạ", "an"]) == ["ạ", "ác", "an"]
    assert vietnamese_sorted(["Hội", "Hỏi", "Hơi"]) == ["Hỏi", "Hội", "Hơi"]


def test_name_sorts_before_its_continuations():
    assert vietnamese_sorted(["Ủy ban Kiểm tra", "Ủy ban"]) == ["Ủy ban", "Ủy ban Kiểm tra"]
    assert vietnamese_sorted(["Bạn A", "Bạn"]) == ["Bạn", "Bạn A"]
    assert vietnamese_sorted(["Khối 1", "Khối"]) == ["Khối", "Khối 1"]
    assert vietnamese_sorted(["Hội Nông dân", "Hội"]) == ["Hội", "Hội Nông dân"]


def test_a_space_ends_a_word_before_any_letter():
    assert vietnamese_sorted(["Bana", "Ban A"]) == ["Ban A", "Bana"]
    assert vietnamese_sorted(["Hội Liên", "Hội"]) == ["Hội", "Hội Liên"]


def test_digits_come_before_letters():
    assert vietnamese_sorted(["Khối A", "Khối 2", "Khối 1"]) == ["Khối 1", "Khối 2", "Khối A"]


def test_sort_key_ignores_case_and_normal_form():
    assert sort_key("ĐẢNG ỦY KHỐI") == sort_key("Đảng ủy Khối")
    assert sort_key(unicodedata.normalize("NFD", "Đảng ủy Khối")) == sort_key("Đảng ủy Khối")
    assert sort_key("  Đảng   ủy Khối ") == sort_key("Đảng ủy Khối")


def test_sort_key_is_plain_digits():
    key = sort_key("Hội Cựu chiến binh – tỉnh")
    assert key.isdigit() and key.isascii()
    assert sort_key(None) == sort_key("") == "00"


# --- the same order through the database ---------------------------------------------------------------


@pytest.mark.django_db
def test_database_orders_units_by_sort_name_in_vietnamese_order(council):
    names = [*NAMES_IN_ORDER, "Ủy ban", "Ban", "Hội Cứu trợ"]
    expected = vietnamese_sorted(names)
    assert expected.index("Ủy ban") == expected.index("Ủy ban Kiểm tra") - 1
    shuffled = names[:]
    random.Random(3).shuffle(shuffled)
    for name in shuffled:
        UnitFactory(council=council, name=name)
    assert list(Unit.objects.order_by("sort_name").values_list("name", flat=True)) == expected
    assert list(Unit.objects.values_list("name", flat=True)) == expected  # the default ordering


@pytest.mark.django_db
def test_database_orders_blocs_in_vietnamese_order(council):
    names = [
        "Khối thi đua Văn hóa - Xã hội",
        "Cụm thi đua số 2",
        "Khối thi đua Đảng",
        "Khối thi đua Doanh nghiệp",
    ]
    for name in names:
        BlocFactory(council=council, name=name)
    assert list(Bloc.objects.values_list("name", flat=True)) == [
        "Cụm thi đua số 2",
        "Khối thi đua Doanh nghiệp",
        "Khối thi đua Đảng",
        "Khối thi đua Văn hóa - Xã hội",
    ]


def test_paragraphs_are_the_lines_of_a_text_without_blank_ones_whatever_the_line_break():
    assert paragraphs("Mục tiêu\r\n\r\n  Nội dung  \rTổ chức\u2028thực hiện\n") == [
        "Mục tiêu",
        "Nội dung",
        "Tổ chức",
        "thực hiện",
    ]
    assert paragraphs("") == paragraphs(None) == [] == paragraphs(" \r\n ")
