"""A quiz with one question of every type, built from GIFT like an editor's import."""

from courses.models import QuizPage
from courses.question_bank import questions_import
from courses.quizformats import parse_gift

GIFT = """
::Chọn một::Ai cấp tài khoản định danh điện tử VNeID? {
  =Bộ Công an #Đúng.
  ~Ngân hàng #Sai: ngân hàng không cấp VNeID.
  ~Nhà mạng điện thoại
  ####VNeID do Bộ Công an cấp.
}

::Chọn nhiều::Những thông tin nào không được chia sẻ? {
  ~%50%Mã OTP
  ~%50%Mật khẩu ngân hàng
  ~%-100%Tên của xã bạn
}

::Đúng sai::Mã OTP có thể đọc cho nhân viên ngân hàng qua điện thoại. {F
  #Sai rồi: không bao giờ đọc OTP.
  #Đúng: không ai được hỏi OTP.
}

::Trả lời ngắn::Thủ phủ của tỉnh Quảng Ninh là phường nào? {=Hạ Long =Phường Hạ Long}

::Số::Số định danh cá nhân có bao nhiêu chữ số? {#12}

::Ghép đôi::Ghép ứng dụng với việc làm. {
  =VNeID -> Định danh điện tử
  =Ứng dụng ngân hàng -> Chuyển tiền
  =Bản đồ -> Tìm đường
}

::Mô tả::Phần sau nói về an toàn khi dùng điện thoại.
"""


def make_quiz(course, *, category="Kiểm tra/An toàn", **options) -> QuizPage:
    """A published quiz of 7 questions at the end of ``course``. It opens any time unless the test says
    otherwise (``open_any_time=False``): tests of the course's order (tests/progress/test_quiz_order.py)
    do, the others are about attempts."""
    options.setdefault("open_any_time", True)
    result = questions_import(parse_gift(GIFT), category_path=category)
    assert result.created + result.unchanged == 7
    from courses.models import QuestionCategory

    quiz = QuizPage(
        title=options.pop("title", "Bài kiểm tra an toàn"),
        slug=options.pop("slug", "kiem-tra"),
        question_count=options.pop("question_count", 7),
        **options,
    )
    course.add_child(instance=quiz)
    quiz.categories.set([QuestionCategory.objects.get(path=category)])
    quiz.save_revision().publish()
    return QuizPage.objects.get(pk=quiz.pk)
