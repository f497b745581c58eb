# ruff: noqa: E501
"""Khóa học mẫu: Kiến thức cơ bản về dữ liệu.

Dữ liệu thuần (không import Django). Mỗi bài học có `body` là danh sách
các cặp (loại khối, giá trị) theo thứ tự đọc.
"""

COURSE = {
    "slug": "kien-thuc-co-ban-ve-du-lieu",
    "title": "Kiến thức cơ bản về dữ liệu",
    "intro": (
        "<p>Dữ liệu có mặt trong mọi việc hằng ngày: từ cuốn sổ bán hàng, "
        "hóa đơn tiền điện đến thông tin dân cư trên thẻ căn cước. "
        "Khóa học này giúp bạn hiểu <strong>dữ liệu là gì</strong>, biết "
        "<strong>cất giữ, sắp xếp</strong> giấy tờ và tệp tin cho gọn gàng, "
        "<strong>bảo vệ thông tin cá nhân</strong> của mình và gia đình, "
        "và đọc các con số, biểu đồ một cách tỉnh táo. "
        "Các ví dụ đều gần gũi với cuộc sống của bà con Quảng Ninh.</p>"
    ),
    "topic": "data",
    "audience": "Mọi người dân, học sinh, cán bộ, công chức và người lao động",
    "audience_groups": ["citizen", "student", "official", "enterprise_worker"],
    "estimated_minutes": 85,
    "competences": ["1.1", "1.2", "1.3", "2.6", "4.2"],
    "sequential": True,
    "lessons": [
        # ------------------------------------------------------------------
        {
            "slug": "du-lieu-la-gi",
            "title": "Dữ liệu là gì?",
            "estimated_minutes": 15,
            "competences": ["1.1"],
            "body": [
                (
                    "rich_text",
                    "<h2>Dữ liệu ở ngay quanh ta</h2>"
                    "<p>Nghe đến hai chữ “dữ liệu”, nhiều người nghĩ đó là chuyện của máy tính, "
                    "của kỹ sư. Thật ra dữ liệu ở rất gần chúng ta. <strong>Dữ liệu là những "
                    "con số, chữ viết, hình ảnh, âm thanh ghi lại sự vật, sự việc.</strong> "
                    "Khi được ghi lại đầy đủ và sắp xếp gọn gàng, dữ liệu giúp ta hiểu rõ tình hình "
                    "và đưa ra quyết định đúng hơn.</p>"
                    "<p>Hãy nghĩ đến chị Hoa, chủ một tiệm tạp hóa nhỏ ở Cẩm Phả. Tối nào chị cũng "
                    "ghi vào sổ: hôm nay bán được bao nhiêu thùng mì, bao nhiêu chai nước mắm, "
                    "ai còn nợ tiền hàng. Những dòng ghi chép ấy chính là dữ liệu. Nhờ cuốn sổ, "
                    "chị biết mặt hàng nào bán chạy để nhập thêm, mặt hàng nào bán chậm để nhập ít lại.</p>"
                    "<h2>Những ví dụ quen thuộc</h2>"
                    "<ul>"
                    "<li><strong>Hóa đơn tiền điện:</strong> ghi số điện nhà bạn dùng trong tháng "
                    "(tính bằng kWh, thường gọi là “số điện”) và số tiền phải trả. Đặt các hóa đơn "
                    "cạnh nhau, bạn thấy ngay tháng nào nhà dùng nhiều điện.</li>"
                    "<li><strong>Sổ khám bệnh, sổ tiêm chủng của con:</strong> ghi ngày khám, "
                    "cân nặng, chiều cao, các mũi tiêm đã tiêm.</li>"
                    "<li><strong>Sổ ghi chép chuyến biển:</strong> anh Tuấn, một ngư dân ở Vân Đồn, "
                    "ghi lại mỗi chuyến ra khơi: đi ngày nào, về ngày nào, được bao nhiêu cân cá, "
                    "bán được bao nhiêu tiền, tốn bao nhiêu dầu.</li>"
                    "<li><strong>Danh sách hộ gia đình trong thôn, khu phố:</strong> trưởng thôn "
                    "ghi họ tên chủ hộ, số người trong hộ, hộ nào thuộc diện chính sách.</li>"
                    "</ul>"
                    "<h2>Từ sổ hộ khẩu giấy đến dữ liệu dân cư</h2>"
                    "<p>Trước đây, mỗi gia đình giữ một cuốn sổ hộ khẩu bằng giấy. Mỗi lần làm thủ tục, "
                    "bà con phải mang sổ đi, photo, chứng thực. Sổ có thể bị rách, bị ướt khi mưa bão, "
                    "thậm chí thất lạc. Từ ngày 1/1/2023, sổ hộ khẩu giấy không còn giá trị sử dụng. "
                    "Thông tin về nơi thường trú, nơi tạm trú của mỗi người nay được lưu trong "
                    "<strong>Cơ sở dữ liệu quốc gia về dân cư</strong>.</p>"
                    "<p>Mỗi người có một <strong>số định danh cá nhân</strong> gồm 12 chữ số. "
                    "Đó cũng chính là số in trên thẻ căn cước (trước đây là thẻ căn cước công dân). "
                    "Khi bà con làm thủ tục ở xã, phường, cán bộ có thể tra cứu thông tin trên hệ thống "
                    "thay vì yêu cầu nộp thêm bản photo. Đây là một ví dụ rõ ràng: dữ liệu được "
                    "lưu trữ tốt giúp cuộc sống thuận tiện hơn.</p>",
                ),
                (
                    "callout",
                    {
                        "kind": "tip",
                        "title": "Thử ngay ở nhà",
                        "text": (
                            "<p>Tìm ba hóa đơn tiền điện gần nhất của gia đình (bản giấy hoặc tin nhắn "
                            "trong điện thoại). Ghi ra giấy số điện và số tiền của từng tháng. "
                            "Tháng nào cao nhất? Vì sao? Bạn vừa tự mình “đọc dữ liệu” đấy!</p>"
                        ),
                    },
                ),
                (
                    "rich_text",
                    "<h2>Dữ liệu và thông tin khác nhau thế nào?</h2>"
                    "<p>Dữ liệu giống như nguyên liệu thô, còn <strong>thông tin</strong> là điều ta "
                    "hiểu ra sau khi xem xét dữ liệu. Ví dụ:</p>"
                    "<ul>"
                    "<li>“Tháng 6: 180 số điện. Tháng 7: 260 số điện.” Đây là <em>dữ liệu</em>.</li>"
                    "<li>“Tháng 7 nhà mình dùng điện nhiều hơn hẳn, chắc do trời nóng, bật điều hòa "
                    "nhiều.” Đây là <em>thông tin</em> rút ra từ dữ liệu.</li>"
                    "<li>“Từ nay ra khỏi phòng thì tắt điều hòa.” Đây là <em>quyết định</em> "
                    "dựa trên thông tin.</li>"
                    "</ul>"
                    "<p>Như vậy, dữ liệu chỉ có ích khi ta biết đọc nó và dùng nó để làm việc gì đó "
                    "tốt hơn.</p>"
                    "<h2>Dữ liệu số là gì?</h2>"
                    "<p>Khi dữ liệu được lưu trong điện thoại, máy tính hoặc trên mạng Internet, "
                    "ta gọi đó là <strong>dữ liệu số</strong>. Tấm ảnh chụp bằng điện thoại, "
                    "tin nhắn Zalo, lịch sử chuyển khoản trong ứng dụng ngân hàng, danh bạ điện thoại "
                    "đều là dữ liệu số.</p>"
                    "<p>Dữ liệu số có nhiều cái lợi: tìm kiếm nhanh, sao chép dễ, gửi đi xa chỉ trong "
                    "vài giây. Con gái bác Minh đi làm ở Hà Nội, chụp ảnh cháu nội gửi về Uông Bí, "
                    "bác xem được ngay. Nhưng cũng vì dễ sao chép, dễ lan truyền nên dữ liệu số "
                    "cần được giữ gìn cẩn thận. Một tấm ảnh chụp giấy tờ tùy thân lọt ra ngoài "
                    "có thể bị kẻ xấu lợi dụng. Các bài sau sẽ hướng dẫn cách phòng tránh.</p>"
                    "<h2>Vì sao mỗi người cần hiểu về dữ liệu?</h2>"
                    "<ul>"
                    "<li>Để tự quản lý việc nhà, việc làm ăn: thu, chi, nợ, tiết kiệm.</li>"
                    "<li>Để làm thủ tục hành chính trên môi trường số nhanh và đúng.</li>"
                    "<li>Để bảo vệ thông tin của bản thân và gia đình, không để kẻ xấu lợi dụng.</li>"
                    "<li>Để không bị đánh lừa bởi những con số sai lệch trên mạng.</li>"
                    "</ul>",
                ),
                (
                    "callout",
                    {
                        "kind": "info",
                        "title": "Ghi nhớ",
                        "text": (
                            "<ul>"
                            "<li>Dữ liệu là những con số, chữ viết, hình ảnh, âm thanh ghi lại sự vật, sự việc.</li>"
                            "<li>Thông tin là điều ta hiểu ra từ dữ liệu; từ thông tin ta đưa ra quyết định.</li>"
                            "<li>Sổ hộ khẩu giấy đã được thay bằng Cơ sở dữ liệu quốc gia về dân cư; "
                            "mỗi người có số định danh cá nhân 12 chữ số.</li>"
                            "<li>Dữ liệu số tiện lợi nhưng dễ lan truyền, nên cần giữ gìn cẩn thận.</li>"
                            "</ul>"
                        ),
                    },
                ),
            ],
        },
        # ------------------------------------------------------------------
        {
            "slug": "cac-loai-du-lieu-va-nguon-goc",
            "title": "Các loại dữ liệu và dữ liệu đến từ đâu",
            "estimated_minutes": 15,
            "competences": ["1.1", "1.2"],
            "body": [
                (
                    "rich_text",
                    "<h2>Dữ liệu có nhiều dạng</h2>"
                    "<p>Ở bài trước, ta đã biết dữ liệu là gì. Bài này giúp bạn nhận ra các dạng dữ liệu "
                    "thường gặp và biết dữ liệu đến từ đâu, để từ đó biết nên tin nguồn nào.</p>"
                    "<ul>"
                    "<li><strong>Chữ viết (văn bản):</strong> tin nhắn, thông báo của xã, bài báo, "
                    "đơn từ.</li>"
                    "<li><strong>Con số:</strong> giá cả, số tiền trong tài khoản, số điện, "
                    "nhiệt độ, điểm thi của con.</li>"
                    "<li><strong>Hình ảnh:</strong> ảnh chụp giấy tờ, ảnh gia đình, ảnh món hàng "
                    "đăng bán trên mạng.</li>"
                    "<li><strong>Âm thanh:</strong> tin nhắn thoại, bản ghi âm cuộc họp thôn.</li>"
                    "<li><strong>Video:</strong> đoạn phim quay cảnh vịnh Hạ Long, video hướng dẫn "
                    "nấu ăn.</li>"
                    "<li><strong>Vị trí:</strong> điện thoại biết bạn đang ở đâu; tàu cá xa bờ có "
                    "thiết bị giám sát hành trình gửi vị trí tàu về bờ.</li>"
                    "</ul>"
                    "<p>Có dữ liệu được <strong>sắp xếp thành bảng</strong>, gồm các hàng và cột rõ ràng, "
                    "ví dụ danh sách hộ gia đình hay bảng điểm của học sinh. Loại này dễ cộng, trừ, "
                    "so sánh. Có dữ liệu ở <strong>dạng tự do</strong>, như một đoạn tin nhắn dài "
                    "hay một bức ảnh. Loại này khó tìm kiếm và thống kê hơn.</p>"
                    "<h2>Dữ liệu đến từ đâu?</h2>"
                    "<ol>"
                    "<li><strong>Do chính bạn tạo ra:</strong> khi bạn ghi sổ, chụp ảnh, đăng bài "
                    "lên Facebook, gửi tin nhắn Zalo.</li>"
                    "<li><strong>Do thiết bị tự ghi lại:</strong> điện thoại tự đếm số bước chân, "
                    "ghi vị trí; công tơ điện điện tử tự ghi số điện; camera tự ghi hình.</li>"
                    "<li><strong>Do cơ quan, tổ chức thu thập:</strong> công an quản lý dữ liệu dân cư, "
                    "cơ quan bảo hiểm xã hội quản lý thông tin bảo hiểm y tế, ngân hàng lưu thông tin "
                    "tài khoản, nhà trường lưu hồ sơ học sinh.</li>"
                    "<li><strong>Từ Internet:</strong> báo điện tử, trang của cơ quan nhà nước, "
                    "mạng xã hội, các nhóm chat.</li>"
                    "</ol>",
                ),
                (
                    "callout",
                    {
                        "kind": "warning",
                        "title": "Ứng dụng đòi quyền quá mức",
                        "text": (
                            "<p>Một ứng dụng đèn pin hay ứng dụng chỉnh ảnh mà đòi quyền đọc danh bạ, "
                            "tin nhắn, vị trí của bạn là dấu hiệu đáng ngờ. Khi điện thoại hỏi "
                            "“Cho phép ứng dụng truy cập…?”, hãy tự hỏi: ứng dụng này có thật sự cần "
                            "quyền đó không? Nếu không cần, hãy chọn <strong>Không cho phép</strong>.</p>"
                        ),
                    },
                ),
                (
                    "rich_text",
                    "<h2>Nguồn chính thống và nguồn trôi nổi</h2>"
                    "<p>Không phải dữ liệu nào cũng đáng tin như nhau. Anh Khoa ở Móng Cái đọc được "
                    "trong một nhóm Zalo: “Tuần sau cấm toàn bộ xe chở hàng qua cửa khẩu.” "
                    "Nếu tin ngay, anh có thể hoãn đơn hàng, mất khách. Nhưng khi xem lại, "
                    "tin này không có tên cơ quan nào ban hành, không có ngày tháng, "
                    "không có văn bản kèm theo.</p>"
                    "<p><strong>Nguồn chính thống</strong> là nguồn có cơ quan, tổ chức rõ ràng đứng tên "
                    "và chịu trách nhiệm: trang thông tin điện tử của cơ quan nhà nước (địa chỉ thường "
                    "kết thúc bằng <em>.gov.vn</em>), báo chí được cấp phép, thông báo có dấu, "
                    "có chữ ký của UBND xã, phường. <strong>Nguồn trôi nổi</strong> là tin “nghe nói”, "
                    "tin chuyển tiếp không rõ ai viết, ảnh chụp màn hình không rõ xuất xứ.</p>"
                    "<p>Trước khi tin và chia sẻ một thông tin, hãy hỏi bốn câu:</p>"
                    "<ol>"
                    "<li><strong>Ai đưa ra?</strong> Có tên người, tên cơ quan cụ thể không?</li>"
                    "<li><strong>Khi nào?</strong> Tin mới hay tin cũ được đăng lại?</li>"
                    "<li><strong>Dựa vào đâu?</strong> Có văn bản, số liệu, nguồn dẫn kèm theo không?</li>"
                    "<li><strong>Ai khác xác nhận?</strong> Báo chính thống hoặc cơ quan chức năng "
                    "có đưa tin giống vậy không?</li>"
                    "</ol>"
                    "<h2>Dấu vết số của bạn</h2>"
                    "<p>Mỗi lần bạn lên mạng, tìm kiếm, mua hàng, bấm “thích” một bài viết, "
                    "bạn để lại dữ liệu về mình. Người ta gọi đó là <strong>dấu vết số</strong>. "
                    "Các ứng dụng dùng dấu vết này để gợi ý quảng cáo, video cho bạn. "
                    "Dấu vết số khó xóa hoàn toàn, vì vậy hãy suy nghĩ trước khi đăng: "
                    "bài viết này, tấm ảnh này có làm lộ địa chỉ nhà, giờ giấc đi lại, "
                    "hay thông tin của con cháu mình không?</p>",
                ),
                (
                    "callout",
                    {
                        "kind": "info",
                        "title": "Ghi nhớ",
                        "text": (
                            "<ul>"
                            "<li>Dữ liệu có nhiều dạng: chữ, số, hình ảnh, âm thanh, video, vị trí.</li>"
                            "<li>Dữ liệu đến từ chính ta, từ thiết bị, từ cơ quan, tổ chức và từ Internet.</li>"
                            "<li>Ưu tiên nguồn chính thống; hỏi “Ai? Khi nào? Dựa vào đâu? Ai xác nhận?” "
                            "trước khi tin và chia sẻ.</li>"
                            "<li>Chỉ cấp cho ứng dụng những quyền thật sự cần thiết.</li>"
                            "</ul>"
                        ),
                    },
                ),
            ],
        },
        # ------------------------------------------------------------------
        {
            "slug": "luu-tru-va-sap-xep-du-lieu",
            "title": "Lưu trữ và sắp xếp dữ liệu",
            "estimated_minutes": 20,
            "competences": ["1.3"],
            "body": [
                (
                    "rich_text",
                    "<h2>Vì sao phải sắp xếp dữ liệu?</h2>"
                    "<p>Chị Lan làm việc ở bộ phận văn phòng của UBND một phường ở Uông Bí. "
                    "Có lần cấp trên cần gấp một báo cáo của năm ngoái. Chị mở máy tính, thấy hàng trăm "
                    "tệp tên là “Bao cao”, “Bao cao moi”, “Bao cao moi sua”. Chị mất gần một buổi sáng "
                    "mới tìm ra đúng tệp. Ở nhà cũng vậy: giấy tờ đất, sổ bảo hiểm, giấy khai sinh "
                    "của con để lẫn lộn, đến khi cần thì lục tung cả tủ.</p>"
                    "<p>Sắp xếp dữ liệu gọn gàng giúp ta <strong>tìm nhanh, không mất, không nhầm</strong>. "
                    "Nguyên tắc này đúng với cả giấy tờ trong tủ lẫn tệp tin trong máy.</p>"
                    "<h2>Tệp và thư mục</h2>"
                    "<p>Trong máy tính và điện thoại, mỗi tài liệu, mỗi bức ảnh là một "
                    "<strong>tệp</strong> (tiếng Anh là <em>file</em>). Tệp giống như một tờ giấy. "
                    "<strong>Thư mục</strong> (<em>folder</em>) giống như chiếc cặp hồ sơ để đựng "
                    "nhiều tờ giấy cùng loại. Trong thư mục lớn có thể có thư mục nhỏ hơn. Ví dụ, "
                    "một gia đình có thể sắp xếp như sau:</p>"
                    "<ul>"
                    "<li><strong>Giấy tờ gia đình</strong>"
                    "<ul>"
                    "<li>Giấy tờ tùy thân (ảnh chụp căn cước, giấy khai sinh)</li>"
                    "<li>Nhà đất</li>"
                    "<li>Bảo hiểm y tế</li>"
                    "</ul>"
                    "</li>"
                    "<li><strong>Học tập của con</strong></li>"
                    "<li><strong>Hóa đơn</strong> (điện, nước, Internet)</li>"
                    "<li><strong>Ảnh gia đình</strong> (chia theo từng năm)</li>"
                    "</ul>",
                ),
                (
                    "callout",
                    {
                        "kind": "tip",
                        "title": "Mẹo đặt tên tệp",
                        "text": (
                            "<p>Đặt tên tệp theo mẫu <strong>năm-tháng-ngày, nội dung</strong>, ví dụ "
                            "<em>2025-03-15 Hoa don dien</em>. Khi sắp xếp theo tên, các tệp sẽ tự xếp "
                            "đúng thứ tự thời gian. Nên viết tên tệp không dấu để tránh lỗi khi gửi "
                            "sang máy khác. Tránh những tên chung chung như “Moi”, “Tai lieu 1”.</p>"
                        ),
                    },
                ),
                (
                    "rich_text",
                    "<h2>Lưu dữ liệu ở đâu?</h2>"
                    "<ul>"
                    "<li><strong>Trong điện thoại, máy tính:</strong> tiện, dùng được cả khi không có "
                    "mạng. Nhưng nếu máy hỏng, mất, bị nước biển làm hỏng thì dữ liệu có thể mất theo.</li>"
                    "<li><strong>Thiết bị lưu trữ rời:</strong> USB, ổ cứng gắn ngoài. Nên cất ở nơi khô "
                    "ráo, an toàn.</li>"
                    "<li><strong>Lưu trữ đám mây:</strong> là dịch vụ cất dữ liệu của bạn trên máy chủ "
                    "của các công ty qua Internet, như Google Drive, iCloud, OneDrive. Dữ liệu không mất "
                    "khi điện thoại hỏng, xem được trên nhiều thiết bị. Tuy vậy, cần có mạng, dung lượng "
                    "miễn phí có giới hạn, và phải bảo vệ tài khoản thật kỹ bằng mật khẩu mạnh.</li>"
                    "</ul>"
                    "<h2>Sao lưu: đừng để “trứng trong một giỏ”</h2>"
                    "<p><strong>Sao lưu</strong> là tạo thêm bản sao của dữ liệu ở một nơi khác. "
                    "Mùa mưa bão năm nào cũng có gia đình ven biển bị ướt hỏng giấy tờ, điện thoại. "
                    "Nếu đã có bản sao, việc làm lại sẽ dễ hơn nhiều. Nhiều người làm theo quy tắc dễ nhớ "
                    "<strong>3-2-1</strong>:</p>"
                    "<ul>"
                    "<li><strong>3</strong> bản của dữ liệu quan trọng (bản chính và hai bản sao);</li>"
                    "<li>lưu trên <strong>2</strong> loại phương tiện khác nhau (ví dụ máy tính và USB);</li>"
                    "<li><strong>1</strong> bản để ở nơi khác, chẳng hạn trên đám mây.</li>"
                    "</ul>"
                    "<p>Cách đơn giản nhất: bật chức năng sao lưu ảnh và danh bạ trong điện thoại "
                    "(trong mục Cài đặt hoặc trong ứng dụng ảnh). Tên mục có thể khác nhau tùy loại máy; "
                    "nếu chưa rõ, hãy nhờ con cháu hoặc tổ công nghệ số cộng đồng ở thôn, khu phố "
                    "hướng dẫn.</p>"
                    "<h2>Làm một bảng tính đơn giản</h2>"
                    "<p>Chị Hoa ở Cẩm Phả muốn chuyển sổ bán hàng sang điện thoại. Chị dùng ứng dụng "
                    "bảng tính miễn phí (Google Trang tính, hoặc Excel trên máy tính). "
                    "Bảng tính gồm các <strong>hàng</strong> (nằm ngang) và <strong>cột</strong> (đứng dọc). "
                    "Các bước làm như sau:</p>"
                    "<ol>"
                    "<li>Mở ứng dụng, tạo một bảng tính mới, đặt tên “So ban hang 2025”.</li>"
                    "<li>Ở hàng đầu tiên, ghi tên các cột: <em>Ngày</em>, <em>Mặt hàng</em>, "
                    "<em>Số lượng</em>, <em>Đơn giá</em>, <em>Thành tiền</em>.</li>"
                    "<li>Mỗi lần bán hàng, ghi vào một hàng mới, mỗi ô một thông tin.</li>"
                    "<li>Ở cột <em>Thành tiền</em>, gõ công thức nhân số lượng với đơn giá, ví dụ "
                    "<strong>=C2*D2</strong>, máy sẽ tự tính.</li>"
                    "<li>Cuối tháng, dùng công thức <strong>=SUM(E2:E100)</strong> để máy cộng tổng "
                    "tiền bán được.</li>"
                    "</ol>"
                    "<p>Vài nguyên tắc giúp bảng luôn dễ dùng: mỗi cột chỉ ghi một loại thông tin; "
                    "ô số thì chỉ ghi số (ghi <em>50000</em>, không ghi “50 nghìn”); ghi ngày tháng "
                    "theo cùng một kiểu; không bỏ trống hàng ở giữa bảng.</p>",
                ),
                (
                    "callout",
                    {
                        "kind": "warning",
                        "title": "Cẩn thận với giấy tờ quan trọng",
                        "text": (
                            "<p>Không chụp mật khẩu, mã PIN rồi để trong thư viện ảnh. Ảnh chụp căn cước, "
                            "sổ đỏ nên để trong thư mục riêng, không gửi vào các nhóm chat đông người. "
                            "Trước khi bán hay cho điện thoại cũ, hãy sao lưu rồi xóa sạch dữ liệu "
                            "trong máy.</p>"
                        ),
                    },
                ),
                (
                    "callout",
                    {
                        "kind": "info",
                        "title": "Ghi nhớ",
                        "text": (
                            "<ul>"
                            "<li>Tệp giống tờ giấy, thư mục giống cặp hồ sơ; sắp xếp theo chủ đề và theo năm.</li>"
                            "<li>Đặt tên tệp rõ ràng, bắt đầu bằng năm-tháng-ngày.</li>"
                            "<li>Luôn có bản sao lưu cho dữ liệu quan trọng (quy tắc 3-2-1).</li>"
                            "<li>Bảng tính giúp ghi chép thu chi gọn gàng và tự động cộng, nhân.</li>"
                            "</ul>"
                        ),
                    },
                ),
            ],
        },
        # ------------------------------------------------------------------
        {
            "slug": "du-lieu-ca-nhan-va-cach-bao-ve",
            "title": "Dữ liệu cá nhân và cách bảo vệ",
            "estimated_minutes": 20,
            "competences": ["4.2", "2.6"],
            "body": [
                (
                    "rich_text",
                    "<h2>Dữ liệu cá nhân là gì?</h2>"
                    "<p><strong>Dữ liệu cá nhân</strong> là thông tin gắn với một người cụ thể, "
                    "hoặc giúp nhận ra một người cụ thể. Họ tên, ngày sinh, số điện thoại, số định danh "
                    "cá nhân, ảnh chân dung, địa chỉ nhà đều là dữ liệu cá nhân.</p>"
                    "<p>Ở Việt Nam, việc bảo vệ dữ liệu cá nhân được quy định trong "
                    "<strong>Nghị định 13/2023/NĐ-CP</strong> về bảo vệ dữ liệu cá nhân, có hiệu lực "
                    "từ ngày 1/7/2023. Năm 2025, Quốc hội đã thông qua <strong>Luật Bảo vệ dữ liệu "
                    "cá nhân</strong>, có hiệu lực từ ngày 1/1/2026. Theo các quy định này, dữ liệu "
                    "cá nhân được chia thành hai nhóm:</p>"
                    "<ul>"
                    "<li><strong>Dữ liệu cá nhân cơ bản:</strong> họ tên, ngày sinh, giới tính, nơi sinh, "
                    "quốc tịch, địa chỉ, số điện thoại, số định danh cá nhân, ảnh của bạn, tình trạng "
                    "hôn nhân, quan hệ gia đình…</li>"
                    "<li><strong>Dữ liệu cá nhân nhạy cảm:</strong> tình trạng sức khỏe, bệnh án; "
                    "tôn giáo, quan điểm chính trị; vân tay, khuôn mặt (dữ liệu sinh trắc học); "
                    "tiền án, tiền sự; thông tin tài khoản và giao dịch ngân hàng; vị trí của bạn… "
                    "Nhóm này nếu bị lộ có thể gây hại lớn, nên cần được bảo vệ chặt chẽ hơn.</li>"
                    "</ul>"
                    "<h2>Bạn có những quyền gì?</h2>"
                    "<p>Người có dữ liệu được pháp luật bảo vệ. Một số quyền quan trọng của bạn:</p>"
                    "<ul>"
                    "<li>Được biết ai thu thập dữ liệu của mình và để làm gì.</li>"
                    "<li>Được đồng ý hoặc không đồng ý cho xử lý dữ liệu (trừ một số trường hợp "
                    "pháp luật quy định), và được rút lại sự đồng ý.</li>"
                    "<li>Được xem, yêu cầu sửa khi dữ liệu sai; được yêu cầu xóa trong những trường "
                    "hợp luật cho phép.</li>"
                    "<li>Được khiếu nại, tố cáo, khởi kiện và yêu cầu bồi thường khi bị xâm phạm.</li>"
                    "</ul>"
                    "<h2>Một câu chuyện ở Móng Cái</h2>"
                    "<p>Bà Nga nhận được tin nhắn mời “tham gia khảo sát, nhận quà tặng 500 nghìn đồng”. "
                    "Người nhắn đề nghị bà gửi ảnh chụp hai mặt thẻ căn cước và một tấm ảnh bà cầm thẻ "
                    "chụp cạnh mặt. Bà định gửi thì cháu nội ngăn lại. Những tấm ảnh như vậy có thể bị "
                    "kẻ xấu dùng để mở tài khoản ngân hàng, đăng ký vay tiền mang tên bà, hoặc đăng ký "
                    "thuê bao điện thoại để đi lừa người khác.</p>",
                ),
                (
                    "callout",
                    {
                        "kind": "warning",
                        "title": "Những thứ không bao giờ chia sẻ",
                        "text": (
                            "<ul>"
                            "<li>Mã OTP, mật khẩu, mã PIN của ngân hàng và của tài khoản VNeID.</li>"
                            "<li>Ảnh chụp hai mặt thẻ căn cước, ảnh chân dung cầm giấy tờ gửi cho người lạ.</li>"
                            "<li>Thông tin thẻ ngân hàng (số thẻ, ngày hết hạn, mã bảo mật mặt sau thẻ).</li>"
                            "<li>Bệnh án, kết quả xét nghiệm kèm họ tên lên mạng xã hội.</li>"
                            "</ul>"
                        ),
                    },
                ),
                (
                    "rich_text",
                    "<h2>Sáu việc nên làm để bảo vệ dữ liệu của mình</h2>"
                    "<ol>"
                    "<li><strong>Đặt mật khẩu mạnh và khác nhau</strong> cho từng tài khoản quan trọng. "
                    "Mật khẩu nên dài, có chữ hoa, chữ thường, số và ký hiệu. Không dùng ngày sinh, "
                    "số điện thoại.</li>"
                    "<li><strong>Bật xác thực hai lớp</strong> cho Zalo, Facebook, email. Khi đăng nhập "
                    "trên máy lạ, bạn sẽ phải xác nhận thêm một lần nữa.</li>"
                    "<li><strong>Kiểm tra quyền của ứng dụng:</strong> tắt quyền vị trí, danh bạ, "
                    "micro với những ứng dụng không cần đến.</li>"
                    "<li><strong>Ghi chú lên bản photo giấy tờ:</strong> khi phải nộp bản photo căn cước, "
                    "hãy viết thêm bên cạnh, ví dụ “Chỉ dùng để đăng ký học cho con, ngày…”, "
                    "để người khác khó dùng vào việc khác.</li>"
                    "<li><strong>Cẩn thận với Wi-Fi công cộng:</strong> ở quán cà phê, bến xe, không đăng "
                    "nhập ngân hàng hay làm thủ tục quan trọng.</li>"
                    "<li><strong>Suy nghĩ trước khi đăng:</strong> không khoe vé máy bay có mã đặt chỗ, "
                    "không đăng “cả nhà đi du lịch một tuần” khi nhà đang bỏ trống, không đăng tên trường, "
                    "lớp của con nhỏ.</li>"
                    "</ol>"
                    "<h2>Với cán bộ, công chức và người làm dịch vụ</h2>"
                    "<p>Cán bộ xã, phường, nhân viên ngân hàng, chủ cửa hàng đều đang giữ dữ liệu của "
                    "người khác. Chỉ dùng dữ liệu đúng mục đích; không chụp danh sách hộ gia đình, "
                    "danh sách khách hàng gửi lên các nhóm chat; không cho người ngoài xem máy tính "
                    "đang mở hồ sơ của người dân. Giữ gìn dữ liệu của dân cũng là giữ niềm tin của dân.</p>"
                    "<h2>Khi nghi ngờ dữ liệu bị lộ</h2>"
                    "<p>Hãy đổi mật khẩu ngay; gọi tổng đài chính thức của ngân hàng (số in trên thẻ "
                    "hoặc trong ứng dụng) để khóa tài khoản, khóa thẻ nếu cần; báo cho người thân biết "
                    "để cảnh giác với tin nhắn giả danh bạn; trình báo công an xã, phường nơi gần nhất.</p>",
                ),
                (
                    "callout",
                    {
                        "kind": "info",
                        "title": "Ghi nhớ",
                        "text": (
                            "<ul>"
                            "<li>Dữ liệu cá nhân gồm dữ liệu cơ bản và dữ liệu nhạy cảm; cả hai đều được pháp luật bảo vệ.</li>"
                            "<li>Không chia sẻ OTP, mật khẩu, ảnh hai mặt căn cước cho người lạ.</li>"
                            "<li>Dùng mật khẩu mạnh, bật xác thực hai lớp, hạn chế quyền của ứng dụng.</li>"
                            "<li>Ai giữ dữ liệu của người khác thì phải dùng đúng mục đích và giữ bí mật.</li>"
                            "</ul>"
                        ),
                    },
                ),
            ],
        },
        # ------------------------------------------------------------------
        {
            "slug": "doc-so-lieu-va-bieu-do",
            "title": "Đọc số liệu và biểu đồ một cách tỉnh táo",
            "estimated_minutes": 15,
            "competences": ["1.2"],
            "body": [
                (
                    "rich_text",
                    "<h2>Con số không phải lúc nào cũng nói hết sự thật</h2>"
                    "<p>Trên mạng, ta gặp rất nhiều con số và biểu đồ: giá cả tăng giảm, số khách du lịch, "
                    "kết quả khảo sát, quảng cáo “9 trên 10 người hài lòng”. Con số làm cho lời nói có vẻ "
                    "chắc chắn hơn. Nhưng con số cũng có thể được trình bày sao cho người đọc hiểu lệch "
                    "đi. Bài này giúp bạn đọc số liệu một cách tỉnh táo.</p>"
                    "<h2>Ba loại biểu đồ thường gặp</h2>"
                    "<ul>"
                    "<li><strong>Biểu đồ cột:</strong> dùng để so sánh. Ví dụ: sản lượng cá đánh bắt của "
                    "một tổ đội tàu trong từng tháng. Cột càng cao, số càng lớn.</li>"
                    "<li><strong>Biểu đồ đường:</strong> dùng để xem xu hướng theo thời gian. Ví dụ: "
                    "giá xăng dầu qua các tuần, đường đi lên là tăng, đi xuống là giảm.</li>"
                    "<li><strong>Biểu đồ tròn:</strong> dùng để xem các phần của một tổng thể. Ví dụ: "
                    "tiền chi tiêu của gia đình chia cho ăn uống, học hành, điện nước. Cộng tất cả "
                    "các phần phải bằng 100%.</li>"
                    "</ul>"
                    "<h2>Năm bước đọc một biểu đồ</h2>"
                    "<ol>"
                    "<li><strong>Đọc tiêu đề:</strong> biểu đồ nói về cái gì, ở đâu?</li>"
                    "<li><strong>Xem đơn vị:</strong> Nghìn đồng hay triệu đồng? Tấn hay ki-lô-gam? "
                    "Số người hay phần trăm?</li>"
                    "<li><strong>Xem trục số:</strong> trục đứng bắt đầu từ 0 hay từ một số khác?</li>"
                    "<li><strong>Xem nguồn và thời gian:</strong> ai thu thập số liệu, vào năm nào?</li>"
                    "<li><strong>Tự rút ra nhận xét</strong>, rồi mới đọc lời bình của người đăng.</li>"
                    "</ol>",
                ),
                (
                    "callout",
                    {
                        "kind": "tip",
                        "title": "Ba câu hỏi trước khi tin một con số",
                        "text": (
                            "<p><strong>Ai nói?</strong> (cơ quan thống kê, cơ quan nhà nước, hay một trang "
                            "bán hàng?) — <strong>Đếm thế nào?</strong> (hỏi bao nhiêu người, ở đâu?) — "
                            "<strong>So với cái gì?</strong> (tăng so với tháng trước hay năm trước?)</p>"
                        ),
                    },
                ),
                (
                    "rich_text",
                    "<h2>Những cái bẫy hay gặp</h2>"
                    "<h3>1. Trục số không bắt đầu từ 0</h3>"
                    "<p>Một trang mạng đăng biểu đồ với tiêu đề “Giá mực khô tăng vọt”. Nhìn hình, cột "
                    "tháng này cao gấp đôi cột tháng trước. Nhưng đọc kỹ trục số, bạn thấy trục bắt đầu "
                    "từ 900 nghìn, không phải từ 0. Giá thật chỉ tăng từ 950 nghìn lên 1 triệu đồng mỗi "
                    "cân, tức là tăng khoảng 5%. Đáng để ý, nhưng không phải “tăng vọt”.</p>"
                    "<h3>2. Phần trăm nghe rất to, số thật lại nhỏ</h3>"
                    "<p>“Số ca bệnh tăng 100%!” nghe rất đáng sợ. Nhưng nếu tuần trước có 1 ca, tuần này "
                    "có 2 ca thì cũng là tăng 100%. Khi thấy phần trăm, hãy tìm con số thật đi kèm.</p>"
                    "<h3>3. Mẫu quá nhỏ</h3>"
                    "<p>Quảng cáo một loại thuốc bổ ghi “9/10 người dùng thấy khỏe hơn”. Câu hỏi là: "
                    "họ hỏi bao nhiêu người? Nếu chỉ hỏi 10 người quen của người bán thì con số đó "
                    "không nói lên điều gì.</p>"
                    "<h3>4. Con số trung bình che đi sự chênh lệch</h3>"
                    "<p>“Thu nhập bình quân của tổ sản xuất là 15 triệu đồng mỗi tháng” có thể là vì có một người "
                    "thu nhập rất cao, còn đa số thì thấp hơn nhiều. Trung bình không cho biết mọi người "
                    "đều như nhau.</p>"
                    "<h3>5. Chỉ cắt ra một đoạn thời gian</h3>"
                    "<p>Một biểu đồ chỉ vẽ ba tháng mùa du lịch hè ở Hạ Long sẽ cho thấy lượng khách "
                    "rất đông. Muốn hiểu đúng cả năm, cần xem cả những tháng ít khách.</p>"
                    "<h2>Tìm số liệu ở đâu cho đáng tin?</h2>"
                    "<p>Hãy ưu tiên số liệu của cơ quan thống kê nhà nước, trang thông tin điện tử của "
                    "các bộ, ngành, của tỉnh Quảng Ninh, và báo chí chính thống có ghi rõ nguồn. "
                    "Nếu một con số chỉ xuất hiện trong một bài đăng không rõ tác giả, hãy coi đó là "
                    "tin chưa được kiểm chứng, và đừng vội chia sẻ.</p>",
                ),
                (
                    "callout",
                    {
                        "kind": "info",
                        "title": "Ghi nhớ",
                        "text": (
                            "<ul>"
                            "<li>Biểu đồ cột để so sánh, biểu đồ đường để xem xu hướng, biểu đồ tròn để xem các phần của tổng thể.</li>"
                            "<li>Luôn đọc tiêu đề, đơn vị, trục số, nguồn và thời gian.</li>"
                            "<li>Cẩn thận với trục số không bắt đầu từ 0, phần trăm không kèm số thật, mẫu quá nhỏ.</li>"
                            "<li>Ưu tiên số liệu từ nguồn chính thống; chưa kiểm chứng thì chưa chia sẻ.</li>"
                            "</ul>"
                        ),
                    },
                ),
            ],
        },
    ],
}
