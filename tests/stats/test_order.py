"""The organiser's lists in Vietnamese alphabetical order: communes, people, courses, provinces."""

from learning.core.text import vietnamese_sort_key
from learning.stats import selectors
from tests.stats.conftest import HA_TU


def _sorted(names):
    return sorted(names, key=vietnamese_sort_key)


def test_dashboard_lists_communes_in_vietnamese_order(client, province_organiser):
    client.force_login(province_organiser)
    names = [r["name"] for r in client.get("/organiser/stats/").context["rows"]]
    assert len(names) == 54 and names == _sorted(names)
    assert names.index("Phường Hạ Long") < names.index("Phường Hà Tu") < names.index("Phường Hoành Bồ")
    assert names[0] == "Đặc khu Cô Tô"  # "Đ" after "D", so before "Phường"
    backwards = [r["name"] for r in client.get("/organiser/stats/", {"sort": "-name"}).context["rows"]]
    assert backwards == names[::-1]
    # equal figures keep the alphabetical order
    by_participants = [r["name"] for r in client.get("/organiser/stats/", {"sort": "participants"}).context["rows"]]
    assert by_participants == names  # nobody takes part yet


def test_people_are_listed_in_vietnamese_order(
    client, province_organiser, make_user, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        for name in ("Ưng Thị Út", "Hoàng Văn Hòa", "Đỗ Văn Đức", "Uông Văn Uy", "Hà Văn Hải", "Dương Văn Dũng"):
            make_user(commune=HA_TU, full_name=name)
        make_user(commune=HA_TU, full_name="Hạ Thị Hoa")
    client.force_login(province_organiser)
    names = [r["full_name"] for r in client.get(f"/organiser/stats/communes/{HA_TU}/people/").context["rows"]]
    assert names == _sorted(names)
    assert names.index("Dương Văn Dũng") < names.index("Đỗ Văn Đức") < names.index("Hạ Thị Hoa")
    assert names.index("Hà Văn Hải") < names.index("Hoàng Văn Hòa")
    assert names.index("Uông Văn Uy") < names.index("Ưng Thị Út")
    listed = client.get(f"/organiser/stats/communes/{HA_TU}/people/", {"format": "csv"}).content.decode("utf-8-sig")
    in_csv = [line.split(",")[0] for line in listed.splitlines()[1:]]
    assert in_csv == names


def test_courses_are_listed_in_vietnamese_order(client, province_organiser, make_course):
    for title in ("Ứng dụng số", "Đời sống số", "Uống thuốc đúng giờ", "Dữ liệu cá nhân", "An toàn mạng"):
        make_course(title=title, lessons=1)
    expected = ["An toàn mạng", "Dữ liệu cá nhân", "Đời sống số", "Uống thuốc đúng giờ", "Ứng dụng số"]
    assert [c.title for c in selectors.course_list()] == expected
    client.force_login(province_organiser)
    assert [c.title for c in client.get("/organiser/stats/").context["courses"]] == expected
    by_course = client.get(f"/organiser/stats/communes/{HA_TU}/").context["by_course"]
    assert [r["course"] for r in by_course[1:]] == expected


def test_provinces_of_an_organiser_in_vietnamese_order(db):
    names = [p.name for p in selectors.provinces_of(["11", "04", "01", "66", "48"])]
    assert names == _sorted(names)
