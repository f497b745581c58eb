"""Nội dung mẫu cho các khóa học "Bình dân học vụ số" (dữ liệu thuần, không import Django).

Mỗi mô-đun định nghĩa một dict ``COURSE``; ``COURSES`` liệt kê chúng theo thứ tự hiển thị.
"""

from . import ai_basics, data_basics, digital_skills

COURSES = [data_basics.COURSE, digital_skills.COURSE, ai_basics.COURSE]

__all__ = ["COURSES"]
