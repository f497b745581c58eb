"""Campaign targets read with the kit: its limits and its vocabulary; nothing is written when a file is
refused."""

from datetime import date

import pytest
from django.core.exceptions import ValidationError

from learning.campaigns.models import Campaign, CampaignTarget
from learning.campaigns.targets import targets_import

from .test_vocabulary import QUANG_HA, WRITTEN
from .xlsx_files import shared_string_bomb

pytestmark = pytest.mark.django_db

HEADER = "Mã xã;Người dân — tham gia;Người dân — hoàn thành\n"


@pytest.fixture
def campaign():
    return Campaign.objects.create(
        name="Chiến dịch", province_id="22", starts_on=date(2026, 1, 1), ends_on=date(2026, 12, 31)
    )


def test_the_shared_string_bomb_is_refused_and_nothing_written(campaign):
    with pytest.raises(ValidationError) as info:
        targets_import(campaign=campaign, data=shared_string_bomb(390), filename="chi-tieu.xlsx")
    assert "unpacks to 390.0 MB, more than the 64.0 MB accepted" in info.value.messages[0]
    assert not CampaignTarget.objects.exists()


def test_the_upload_size_is_a_setting(campaign, settings):
    settings.TARGETS_MAX_BYTES = 1024 * 1024
    with pytest.raises(ValidationError) as info:
        targets_import(campaign=campaign, data=(HEADER + "06922;10;5\n" * 120_000).encode(), filename="chi-tieu.csv")
    assert info.value.messages == ["The file is 1.3 MB; the largest file accepted is 1.0 MB."]
    assert not CampaignTarget.objects.exists()


@pytest.mark.parametrize("written", WRITTEN)
def test_every_way_of_writing_quang_ha(campaign, written):
    report = targets_import(campaign=campaign, data=f"{HEADER}{written};10;5\n".encode(), filename="chi-tieu.csv")
    assert report.created == 1 and CampaignTarget.objects.get().commune_id == QUANG_HA


def test_an_ambiguous_name_asks_for_the_code():
    campaign = Campaign.objects.create(
        name="Lạng Sơn", province_id="19", starts_on=date(2026, 1, 1), ends_on=date(2026, 12, 31)
    )
    with pytest.raises(ValidationError) as info:
        targets_import(campaign=campaign, data=f"{HEADER}van lang;10;5\n".encode(), filename="chi-tieu.csv")
    assert info.value.messages == ["Row 2: several communes are called “van lang”; use the code: 02143, 05665."]
    report = targets_import(campaign=campaign, data=f"{HEADER}Văn Lăng;10;5\n".encode(), filename="chi-tieu.csv")
    assert report.created == 1 and CampaignTarget.objects.get().commune_id == "05665"


def test_group_headers_take_the_same_names_as_roster_cells(campaign):
    content = "Mã xã;CBCCVC — tham gia;CBCCVC — hoàn thành;Công nhân — tham gia;Công nhân — hoàn thành\n"
    report = targets_import(campaign=campaign, data=(content + "06922;4;3;9;8\n").encode(), filename="chi-tieu.csv")
    assert report.groups == ["enterprise_worker", "official"]
