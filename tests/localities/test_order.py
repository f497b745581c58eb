"""Names in Vietnamese alphabetical order: "Đ" after "D" and before "E", "Ư" after "U", tones after letters —
the same order from Python and from the database (PostgreSQL's ICU collation, SQLite's registered one)."""

import pytest

from learning.accounts.forms import SignupForm
from learning.core.text import vietnamese_sort_key
from learning.localities.collation import vietnamese
from learning.localities.models import Commune, Province
from learning.localities.selectors import commune_search, communes_of, province_list


def _sorted(names):
    return sorted(names, key=vietnamese_sort_key)


@pytest.mark.parametrize(
    "ordered",
    [
        ["Dương", "Đông Triều", "Ea Súp"],  # Đ after D, before E
        ["Hạ Long", "Hà Tu", "Hoành Bồ"],  # a before o whatever the tones; then l before t
        ["Ha Long", "Hà Long", "Hả Long", "Hã Long", "Há Long", "Hạ Long"],  # tones: level, huyền, hỏi, ngã, sắc, nặng
        ["Uông Bí", "Uy Nỗ", "Ưng Hòa", "Vân Đồn"],  # Ư after every U, before V
        ["An Sinh", "Ăn Sinh", "Ân Thi", "Bãi Cháy"],  # a ă â
        ["Cổ Loa", "Cô Tô", "Côn Đảo", "Cơ Xá"],  # letters before tones (l < t); ô before ơ
        ["Ha", "Ha Long", "Hai"],  # a space before any letter
        ["Móng Cái 1", "Móng Cái 2", "Móng Cái 3"],
        ["an", "An"],  # lower case first when all else is equal
    ],
)
def test_vietnamese_sort_key(ordered):
    assert _sorted(reversed(ordered)) == ordered
    assert _sorted(ordered[::2] + ordered[1::2]) == ordered


def test_the_database_sorts_like_a_vietnamese_reader(db):
    names = ["Hoành Bồ", "Hà Tu", "Ưng Hòa", "Đông Triều", "Hạ Long", "Uông Bí", "Ea Súp", "Dương", "Vân Đồn"]
    for i, name in enumerate(names):
        Commune.objects.create(code=f"9{i:04d}", name=name, type="xa", province_id="22")
    found = list(
        Commune.objects.filter(code__startswith="9").order_by(vietnamese("name")).values_list("name", flat=True)
    )
    assert found == ["Dương", "Đông Triều", "Ea Súp", "Hạ Long", "Hà Tu", "Hoành Bồ", "Uông Bí", "Ưng Hòa", "Vân Đồn"]


def test_every_province_and_commune_in_the_same_order_from_the_database_and_from_python(db):
    provinces = [p.name for p in province_list()]
    assert len(provinces) == 34 and provinces == _sorted(provinces)
    assert provinces.index("Tỉnh Cao Bằng") < provinces.index("Tỉnh Điện Biên") < provinces.index("Tỉnh Gia Lai")
    assert [p.name for p in Province.objects.all()] == provinces  # the models' default order too
    communes = list(Commune.objects.values_list("name", flat=True))
    assert len(communes) > 3000 and communes == _sorted(communes)


def test_communes_of_a_province_and_the_search_are_in_vietnamese_order(db):
    names = [c.name for c in communes_of("22")]
    assert names == _sorted(names) and len(names) == 54
    assert names[:2] == ["Đặc khu Cô Tô", "Đặc khu Vân Đồn"]  # "Đặc" before "Phường" and "Xã"
    assert names.index("Phường Hạ Long") < names.index("Phường Hà Tu") < names.index("Phường Hoành Bồ")
    assert names.index("Phường Cửa Ông") < names.index("Phường Đông Mai") < names.index("Phường Hà An")
    found = [c.name for c in commune_search(province="22", query="ha")]
    assert found == _sorted(found) and found.index("Phường Hạ Long") < found.index("Phường Hà Tu")


def test_sign_up_lists_provinces_and_communes_in_vietnamese_order(db):
    form = SignupForm(province_code="22")
    provinces = [label for _value, label in form.fields["province"].choices]
    assert provinces == _sorted(provinces)
    communes = [label for value, label in form.fields["commune"].choices if value]
    assert communes == _sorted(communes) and communes.index("Phường Hạ Long") < communes.index("Phường Hoành Bồ")
