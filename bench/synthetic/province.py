"""What the synthetic Quảng Ninh looks like: its communes' sizes, who learns there, their names, how they take
the courses, and the campaign's mandatory assignments. Plain data; the generator reads it."""

import datetime as dt

PROVINCE = "22"  # Quảng Ninh
MARKER_PASSWORD = "!synthetic-province"  # noqa: S105 - a marker, not a password: "!" makes it unusable
CAMPAIGN_SUFFIX = " (dữ liệu mô phỏng)"
DEFAULT_START = dt.date(2026, 5, 1)
MAX_LEARNERS = 10_000_000
SNAPSHOT_VARIANTS = 6  # real snapshots drawn per quiz; attempts share them
MAX_LESSONS = 15  # per course (keys are enrolment * 16 + lesson)

TEMPORARY_TABLES = (
    "syn_commune", "syn_phone", "syn_learner", "syn_enrol", "syn_final", "syn_course", "syn_lesson", "syn_quiz",
    "syn_snapshot", "syn_assignment", "syn_member",
)  # fmt: skip
GROUPS = ("citizen", "student", "enterprise_worker", "official", "party_member", "other")

# Communes from the biggest down: the urban wards of Hạ Long, Cẩm Phả, Uông Bí, Móng Cái, Đông Triều and
# Quảng Yên, the Vân Đồn special zone, the district towns; the remaining wards and communes follow (by
# code), and the island communes come last.
COMMUNE_RANK = [
    "06688",  # Hạ Long
    "06673",  # Bãi Cháy
    "06793",  # Cẩm Phả
    "06811",  # Uông Bí
    "06685",  # Hồng Gai
    "06712",  # Móng Cái 1
    "06778",  # Quang Hanh
    "07093",  # Đông Triều
    "07069",  # Mạo Khê
    "07132",  # Quảng Yên
    "06658",  # Cao Xanh
    "06676",  # Hà Lầm
    "06661",  # Việt Hưng
    "06652",  # Hà Tu
    "06781",  # Cửa Ông
    "06709",  # Móng Cái 2
    "06820",  # Vàng Danh
    "07030",  # Hoành Bồ
    "06706",  # Tuần Châu
    "06760",  # Mông Dương
    "06994",  # Đặc khu Vân Đồn
    "06832",  # Yên Tử
    "07135",  # Đông Mai
    "07168",  # Hà An
    "06736",  # Móng Cái 3
    "06862",  # Tiên Yên
    "06922",  # Quảng Hà
    "06895",  # Đầm Hà
]
COMMUNE_LAST = ["06757", "06967", "07192"]  # Vĩnh Thực, Cái Chiên (islands), Đặc khu Cô Tô
HA_LONG_WARDS = ["06688", "06673", "06685", "06658", "06676", "06652", "06661", "06706", "07030"]
ZIPF_EXPONENT = 1.05

# Share of each primary group (in GROUPS order) among learners, by commune type.
GROUP_MIX = {
    "phuong": (0.40, 0.22, 0.18, 0.09, 0.04, 0.07),
    "xa": (0.52, 0.22, 0.08, 0.08, 0.05, 0.05),
    "dac_khu": (0.48, 0.20, 0.12, 0.09, 0.05, 0.06),
}
# Expected completions per expected participant, by group (campaign targets).
COMPLETION_RATE = {
    "citizen": 0.6,
    "student": 0.8,
    "enterprise_worker": 0.7,
    "official": 0.95,
    "party_member": 0.95,
    "other": 0.5,
}

# Per demo course (in display order): share of learners who enrol, mean days from sign-up to enrolling,
# share who mean to finish every lesson (scaled by the learner's engagement).
COURSE_BEHAVIOUR = [(0.97, 0.3, 0.88), (0.88, 12.0, 0.87), (0.81, 20.0, 0.84)]
EXTRA_COURSE_BEHAVIOUR = (0.5, 30.0, 0.7)
LESSON_CHECK_SHARE = 0.125  # lesson completions followed by the lesson's check
FINAL_TAKE_SHARE = 0.62  # learners who finished every lesson and take the final test (mandated: 0.95)
FINAL_PASS = (0.72, 0.62, 0.55)  # by attempt number

# Mandatory assignments of the campaign: (group, course positions, deadline and creation as days after the
# start, communes or None for the whole province, title template).
ASSIGNMENTS = [
    ("official", (1,), 75, 3, None, "Cán bộ, công chức, viên chức hoàn thành khóa «{c1}»"),
    ("party_member", (2,), 152, 10, None, "Đảng viên hoàn thành khóa «{c2}»"),
    (
        "party_member",
        (1, 3),
        183,
        45,
        HA_LONG_WARDS,
        "Đảng viên các phường khu vực Hạ Long hoàn thành khóa «{c1}» và «{c3}»",
    ),
    ("official", (3,), 228, 75, None, "Cán bộ, công chức, viên chức hoàn thành khóa «{c3}»"),
]

# Names (weights), Northern usage: Vũ before Võ, Hoàng before Huỳnh; some Tày, Dao and Sán Chỉ family
# names of Bình Liêu and Ba Chẽ.
FAMILY_NAMES = {
    "Nguyễn": 310, "Trần": 100, "Lê": 80, "Phạm": 70, "Hoàng": 50, "Vũ": 50, "Đặng": 30, "Bùi": 30, "Đỗ": 30,
    "Ngô": 20, "Dương": 20, "Đào": 20, "Đinh": 20, "Hà": 15, "Phan": 15, "Lương": 10, "Mai": 10, "Trịnh": 10,
    "Lý": 10, "Cao": 10, "Đoàn": 10, "Tạ": 5, "Lưu": 5, "Chu": 5, "Tô": 5, "Lâm": 5, "Phùng": 5, "Triệu": 5,
    "Nông": 5, "Lục": 3, "Chíu": 2, "Võ": 5, "Hồ": 8, "Vương": 4, "Quách": 3, "Kiều": 3,
}  # fmt: skip
MALE_MIDDLE = {
    "Văn": 40, "Đức": 8, "Minh": 8, "Quang": 6, "Hữu": 5, "Công": 5, "Xuân": 4, "Thành": 4, "Đình": 4,
    "Mạnh": 3, "Ngọc": 3, "Tiến": 3, "Duy": 3, "Quốc": 3, "Trung": 2, "Hoàng": 2, "Anh": 2, "Thanh": 2,
    "Việt": 2, "Bá": 1,
}  # fmt: skip
FEMALE_MIDDLE = {
    "Thị": 45, "Thu": 6, "Thanh": 5, "Ngọc": 5, "Minh": 4, "Hồng": 4, "Thúy": 3, "Phương": 3, "Kim": 3,
    "Mai": 2, "Bích": 2, "Hải": 2, "Khánh": 2, "Bảo": 2, "Lan": 2, "Hoài": 2, "Quỳnh": 2, "Mỹ": 2, "Diệu": 1,
    "Vân": 1,
}  # fmt: skip
YOUNG_MALE_MIDDLE = {
    "Minh": 10, "Đức": 8, "Quang": 6, "Gia": 6, "Bảo": 6, "Anh": 5, "Hoàng": 5, "Tuấn": 4, "Việt": 4,
    "Nhật": 4, "Đăng": 3, "Duy": 4, "Văn": 8, "Trung": 3, "Hải": 3,
}  # fmt: skip
YOUNG_FEMALE_MIDDLE = {
    "Ngọc": 8, "Thu": 6, "Khánh": 6, "Bảo": 5, "Minh": 5, "Phương": 5, "Thảo": 4, "Hà": 4, "Gia": 4,
    "Thị": 8, "Quỳnh": 4, "Mai": 4, "Diệu": 3, "Hải": 3, "Tuệ": 2, "An": 3,
}  # fmt: skip
FEMALE_SECOND_MIDDLE = ["Thu", "Thanh", "Ngọc", "Hồng", "Kim", "Minh", "Phương", "Bích", "Thúy", "Mai"]
MALE_GIVEN = {
    "Anh": 6, "Hùng": 5, "Dũng": 5, "Tuấn": 5, "Minh": 5, "Hải": 4, "Long": 4, "Nam": 4, "Sơn": 4,
    "Thắng": 3, "Trung": 3, "Hiếu": 3, "Đức": 3, "Cường": 3, "Quân": 3, "Huy": 4, "Phong": 2, "Tùng": 3,
    "Bình": 3, "Khoa": 2, "Thành": 3, "Hưng": 3, "Việt": 2, "Tú": 2, "Kiên": 2, "Lâm": 2, "Toàn": 2,
    "Quang": 2, "Hòa": 2, "Tiến": 2, "Đạt": 3, "Vinh": 2, "Phúc": 2, "Khánh": 2, "Thịnh": 2, "Trọng": 2,
    "Bảo": 2, "Duy": 2, "Lộc": 2, "Hoàng": 2, "Nghĩa": 2, "Tâm": 1, "Chiến": 2, "Hậu": 1, "Thái": 1,
    "Lực": 1, "Khải": 1, "Quyết": 1, "Hoàn": 1, "Thuận": 1,
}  # fmt: skip
FEMALE_GIVEN = {
    "Hương": 5, "Lan": 4, "Linh": 5, "Trang": 5, "Hà": 4, "Hoa": 3, "Mai": 3, "Thảo": 4, "Huyền": 4,
    "Ngọc": 3, "Phương": 3, "Thủy": 3, "Yến": 3, "Nhung": 3, "Hằng": 3, "Hạnh": 3, "Dung": 2, "Loan": 2,
    "Nga": 2, "Oanh": 2, "Quyên": 1, "Vân": 2, "Thu": 2, "Hiền": 3, "Nhàn": 1, "Tâm": 1, "Uyên": 2,
    "Giang": 2, "Chi": 2, "Anh": 3, "Hồng": 2, "Liên": 2, "Ly": 2, "Nhi": 2, "Vy": 2, "Quỳnh": 2,
    "Diệp": 1, "Trâm": 1, "Hoài": 1, "Thư": 2, "Ánh": 2, "Duyên": 2, "Lụa": 1, "Tuyết": 1, "Xuân": 1,
    "Bích": 1, "Nguyệt": 1, "Thanh": 2,
}  # fmt: skip

PHONE_PREFIXES = "0134678"  # +8490, 91, 93, 94, 96, 97, 98 (MobiFone, VinaPhone, Viettel)
PHONE_SPACE = len(PHONE_PREFIXES) * 10**7
PHONE_STEP = 27_644_437  # a prime: coprime with the space, so k -> (k * step + offset) mod space is one-to-one


def weighted(names: dict[str, int]) -> list[str]:
    return [name for name, weight in names.items() for _i in range(weight)]
