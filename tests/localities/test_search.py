import pytest

from learning.core.text import fold
from learning.localities.selectors import commune_search

pytestmark = pytest.mark.django_db


def test_fold_ignores_case_and_diacritics():
    assert fold("Phường Hạ Long") == "phuong ha long"
    assert fold("ĐẶC KHU  Vân Đồn") == "dac khu van don"


@pytest.mark.parametrize("query", ["ha long", "Hạ Long", "HA LONG", "phuong ha long", "long ha"])
def test_commune_search_without_diacritics(query):
    names = [c.name for c in commune_search(province="22", query=query)]
    assert "Phường Hạ Long" in names


def test_commune_search_is_limited_to_the_province():
    assert not commune_search(province="01", query="ha long").exists()
    assert commune_search(province="22").count() == 54
