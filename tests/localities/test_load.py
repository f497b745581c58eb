import csv
import shutil

import pytest
from django.core.management import call_command

from learning.localities.models import Commune, Province
from learning.localities.services import DATA_DIR, LocalityDataError, localities_load

pytestmark = pytest.mark.django_db


def test_all_units_in_force_since_july_2025_are_loaded():
    assert Province.objects.count() == 34
    assert Commune.objects.count() == 3321
    quang_ninh = Province.objects.get(code="22")
    assert quang_ninh.name == "Tỉnh Quảng Ninh"
    assert quang_ninh.communes.count() == 54
    counts = {t: quang_ninh.communes.filter(type=t).count() for t in ("phuong", "xa", "dac_khu")}
    assert counts == {"phuong": 30, "xa": 22, "dac_khu": 2}
    assert Commune.objects.get(code="06978").name == "Xã Ba Chẽ"  # code as corrected by QĐ 19/2025


def test_loading_again_changes_nothing(capsys):
    call_command("load_localities")
    assert "0 created, 0 updated. Communes: 0 created, 0 updated" in capsys.readouterr().out
    assert Commune.objects.count() == 3321


def test_reload_updates_names_matching_on_code_never_duplicates(tmp_path):
    for name in ("vn_provinces.csv", "vn_communes.csv"):
        shutil.copy(DATA_DIR / name, tmp_path / name)
    path = tmp_path / "vn_communes.csv"
    rows = list(csv.DictReader(path.open(encoding="utf-8")))
    for row in rows:
        if row["code"] == "06799":
            row["name"] = "Xã Hải Hòa"  # the other tone-mark spelling
    with path.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.DictWriter(fh, fieldnames=rows[0].keys())
        writer.writeheader()
        writer.writerows(rows)
    result = localities_load(data_dir=tmp_path)
    assert (result.communes_created, result.communes_updated) == (0, 1)
    commune = Commune.objects.get(code="06799")
    assert commune.name == "Xã Hải Hòa" and commune.name_folded == "xa hai hoa"
    assert Commune.objects.count() == 3321


def test_a_bad_row_is_refused_with_file_and_line_and_nothing_changes(tmp_path):
    for name in ("vn_provinces.csv", "vn_communes.csv"):
        shutil.copy(DATA_DIR / name, tmp_path / name)
    with (tmp_path / "vn_communes.csv").open("a", encoding="utf-8") as fh:
        fh.write("123,Xã Sai Mã,xa,22\n")
    with pytest.raises(LocalityDataError, match=r"vn_communes.csv:3323: bad code"):
        localities_load(data_dir=tmp_path)
    assert Commune.objects.count() == 3321


def test_database_constraints_refuse_malformed_codes():
    from django.db import IntegrityError, transaction

    with pytest.raises(IntegrityError), transaction.atomic():
        Commune.objects.create(code="12A45", name="Sai", type="xa", province_id="22")
