"""One vocabulary for communes and target groups (rosters and targets use it: tests/imports/test_rosters.py,
tests/imports/test_targets.py).

Quảng Hà (Quảng Ninh, 06922) was a "thị trấn" until 1 July 2025 and is now a "xã": people write it
either way, with or without diacritics, and all of it names the same commune."""

import pytest

from learning.imports.vocabulary import Communes, code_of, group_keys, key, parse_groups, split_locality

QUANG_HA = "06922"
WRITTEN = [
    "Thị trấn Quảng Hà",
    "thị trấn quảng hà",
    "TT Quảng Hà",
    "TT. Quảng Hà",
    "thi tran quang ha",
    "Xã Quảng Hà",
    "XÃ QUẢNG HÀ",
    "xa quang ha",
    "X. Quảng Hà",
    "Quảng Hà",
    "quang ha",
    "  Quảng   Hà ",
    "Phường Quảng Hà",  # the wrong kind of commune still finds the only one of that name
]


@pytest.fixture
def communes(db):
    return Communes.load()


@pytest.mark.parametrize("written", WRITTEN)
def test_every_way_of_writing_quang_ha_finds_it(communes, written):
    assert [p.code for p in communes.named(written)] == [QUANG_HA]


def test_codes_and_names_outside_a_scope(communes):
    assert code_of("6922") == QUANG_HA and code_of(" 06922 ") == QUANG_HA and code_of("069220") is None
    assert communes.named("Quảng Hà", within={"06688"}) == []
    assert communes.named("Hà Nội quận") == []


def test_the_locality_words():
    assert split_locality(key("Thị trấn Quảng Hà")) == ("thi tran", "quang ha")
    assert split_locality(key("Đặc khu Vân Đồn")) == ("dac khu", "van don")
    assert split_locality(key("P.Hạ Long")) == ("p", "ha long")
    assert split_locality(key("Xã")) == ("", "xa")  # a word alone is not a prefix
    assert split_locality(key("Tân Thành")) == ("", "tan thanh")


def test_names_alike_without_diacritics_are_told_apart_by_the_kind_and_the_spelling(communes):
    # Lạng Sơn (19) has a Xã Văn Lang and a Xã Văn Lăng; Đồng Tháp (82) a Phường Mỹ Tho and a Xã Mỹ Thọ.
    assert [p.code for p in communes.named("Văn Lăng", within={"02143", "05665"})] == ["05665"]
    assert [p.code for p in communes.named("xã Văn Lang", within={"02143", "05665"})] == ["02143"]
    assert sorted(p.code for p in communes.named("van lang", within={"02143", "05665"})) == ["02143", "05665"]
    assert [p.code for p in communes.named("Phường My Tho")] == ["28261"]
    assert [p.code for p in communes.named("Xã Mỹ Thọ")] == ["30076"]
    assert sorted(p.code for p in communes.named("My Tho")) == ["28261", "30076"]


def test_one_vocabulary_of_target_groups():
    keys = group_keys()
    assert parse_groups("CBCCVC; Đảng viên", keys) == (["official", "party_member"], [])
    assert parse_groups("Cán bộ, công chức, viên chức", keys) == (["official"], [])
    assert parse_groups("Official, civil servant or public employee", keys) == (["official"], [])
    assert parse_groups("official; nông dân", keys) == (["official"], ["nong dan"])
    assert keys[key("Người lao động trong doanh nghiệp")] == "enterprise_worker"
