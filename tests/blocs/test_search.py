"""Search ignores case and diacritics word by word and matches short names and abbreviations, on SQLite
and PostgreSQL alike."""

import unicodedata

import pytest

from blocs.models import Bloc, Unit

from ..factories import BlocFactory, UnitFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def youth_union(council, units) -> Unit:
    return UnitFactory(
        council=council,
        code="TD",
        name="Đoàn Thanh niên Cộng sản Hồ Chí Minh tỉnh",
        short_name="Tỉnh Đoàn",
        abbreviations="ĐTN",
    )


def found(query) -> set[str]:
    return set(Unit.objects.search(query).values_list("code", flat=True))


@pytest.mark.parametrize(
    "query",
    [
        "hoi phu nu",
        "LHPN",
        "lhpn",
        "Hội Phụ nữ",
        "HỘI PHỤ NỮ",
        unicodedata.normalize("NFD", "Hội Phụ nữ"),
        "  hội   phụ\tnữ ",
        "Phụ nữ, Hội",
        "lien hiep",
    ],
)
def test_womens_union_is_found_however_it_is_typed(units, youth_union, query):
    assert found(query) == {"LHPN"}


def test_search_with_d_or_dj_finds_doan(units, youth_union):
    assert found("đoan thanh nien") == {"TD"}
    assert found("Đoàn Thanh Niên") == {"TD"}
    assert found("doan thanh nien") == {"TD"}
    # "Liên đoàn Lao động" contains "đoàn" too.
    assert found("doan") == {"TD", "LDLD"}
    assert found("ĐOÀN") == {"TD", "LDLD"}


def test_abbreviations_and_short_names_match(units, youth_union):
    assert found("MTTQ") == {"MTTQ"}
    assert found("mttq tinh") == {"MTTQ"}
    assert found("ĐTN") == {"TD"}
    assert found("dtn") == {"TD"}
    assert found("LĐLĐ") == {"LDLD"}
    assert found("tinh doan") == {"TD", "LDLD"}  # short name "Tỉnh Đoàn"; "Liên đoàn ... tỉnh"


def test_unit_code_matches(units):
    assert found("snv") == {"SNV"}


def test_every_word_must_match(units, youth_union):
    assert found("hoi") == {"LHPN", "HND", "CCB"}
    assert found("hoi nong") == {"HND"}
    assert found("nong hoi") == {"HND"}
    assert found("hoi xyz") == set()
    assert found("phu nu nong dan") == set()


def test_empty_query_returns_all(units, youth_union):
    everything = set(Unit.objects.values_list("code", flat=True))
    assert len(everything) == 7
    assert found("") == everything
    assert found(None) == everything
    assert found("   ") == everything
    assert found(" - , ") == everything


def test_search_combines_with_other_filters(council, other_council, units):
    UnitFactory(council=other_council, code="LHPN", name="Hội Liên hiệp Phụ nữ tỉnh Bắc Kạn")
    assert Unit.objects.search("phu nu").count() == 2
    assert list(Unit.objects.of_council(council).search("phu nu").values_list("council_id", flat=True)) == [council.pk]


def test_search_follows_a_renamed_unit(units):
    unit = units["farmers"]
    unit.name = "Hội Làm vườn tỉnh"
    unit.short_name = "Hội Làm vườn"
    unit.abbreviations = ""
    unit.save()
    assert found("lam vuon") == {"HND"}  # the code stays "HND"
    assert found("nong dan") == set()


def test_words_run_together_do_not_match(units):
    assert found("phunu") == set()
    assert found("hoilhpn") == set()


def test_blocs_are_searched_by_name_and_code(council, bloc):
    cluster = BlocFactory(council=council, name="Cụm thi đua các xã phía Bắc", code="CTĐ1", kind=Bloc.Kind.CLUSTER)

    def blocs(query):
        return set(Bloc.objects.search(query).values_list("pk", flat=True))

    assert blocs("KTĐ6") == {bloc.pk}
    assert blocs("ktd6") == {bloc.pk}
    assert blocs("chinh tri xa hoi") == {bloc.pk}
    assert blocs("Chính trị - Xã hội") == {bloc.pk}
    assert blocs("cum phia bac") == {cluster.pk}
    assert blocs("thi dua") == {bloc.pk, cluster.pk}
    assert blocs("thi đua xã") == {bloc.pk, cluster.pk}  # "xã hội", "các xã"
    assert blocs("") == {bloc.pk, cluster.pk}
    assert blocs("khoi cum") == set()
