# ruff: noqa: E501
"""Khóa học mẫu: Kỹ năng số thiết yếu trong đời sống.

Dữ liệu thuần (không import Django). Mỗi bài học có `body` là danh sách
các cặp (loại khối, giá trị) theo thứ tự đọc.
"""

COURSE = {
    "slug": "ky-nang-so-thiet-yeu-trong-doi-song",
    "title": "Kỹ năng số thiết yếu trong đời sống",
    "intro": (
        "<p>Chiếc điện thoại thông minh có thể giúp bạn làm thủ tục hành chính không cần "
        "xếp hàng, trả tiền chợ không cần tiền lẻ, liên lạc với người thân ở xa. "
        "Khóa học hướng dẫn từng bước: <strong>dùng điện thoại an toàn</strong>, "
        "<strong>làm dịch vụ công trực tuyến với tài khoản VNeID</strong>, "
        "<strong>thanh toán không dùng tiền mặt</strong> và "
        "<strong>nhận biết các chiêu lừa đảo trên mạng</strong>. "
        "Học xong, bạn có thể tự làm và hướng dẫn lại cho người thân.</p>"
    ),
    "topic": "digital_skills",
    "audience": "Mọi người dân, đặc biệt là người mới dùng điện thoại thông minh",
    "audience_groups": [
        "citizen",
        "student",
        "official",
        "party_member",
        "enterprise_worker",
        "other",
    ],
    "estimated_minutes": 90,
    "competences": ["1.2", "2.1", "2.3", "2.5", "2.6", "4.1", "4.2", "5.1"],
    "sequential": True,
    "lessons": [
        # ------------------------------------------------------------------
        {
            "slug": "lam-quen-voi-dien-thoai-thong-minh",
            "title": "Làm quen với điện thoại thông minh",
            "estimated_minutes": 20,
            "competences": ["4.1", "5.1"],
            "body": [
                (
                    "rich_text",
                    "<h2>Hai “họ” điện thoại thông minh</h2>"
                    "<p>Điện thoại thông minh ở nước ta chủ yếu thuộc hai loại. Loại thứ nhất chạy "
                    "<strong>Android</strong>, gồm các máy của nhiều hãng như Samsung, OPPO, Xiaomi, vivo… "
                    "Loại thứ hai là <strong>iPhone</strong> của hãng Apple. Cách dùng hai loại gần giống "
                    "nhau, chỉ khác tên một số mục. Nếu trong bài có chỗ không khớp với máy của bạn, "
                    "đừng lo, hãy tìm mục có tên gần giống.</p>"
                    "<h2>Mục Cài đặt: “bảng điều khiển” của điện thoại</h2>"
                    "<p>Biểu tượng hình bánh răng có tên <strong>Cài đặt</strong> là nơi bạn chỉnh mọi thứ "
                    "của máy. Với người lớn tuổi, nên chỉnh ngay mấy việc sau:</p>"
                    "<ol>"
                    "<li>Vào <strong>Cài đặt</strong>, tìm mục <strong>Màn hình</strong>.</li>"
                    "<li>Chọn <strong>Cỡ chữ</strong> (hoặc <em>Cỡ và kiểu phông chữ</em>), kéo thanh trượt "
                    "sang phải cho chữ to, dễ đọc.</li>"
                    "<li>Chỉnh <strong>Độ sáng</strong> vừa mắt, không quá chói.</li>"
                    "<li>Vào mục <strong>Âm thanh</strong>, tăng âm lượng chuông để không lỡ cuộc gọi.</li>"
                    "</ol>"
                    "<h2>Kết nối Internet: Wi-Fi và 4G</h2>"
                    "<p>Có hai cách để điện thoại vào mạng:</p>"
                    "<ul>"
                    "<li><strong>Wi-Fi:</strong> mạng không dây từ cục phát trong nhà, quán, cơ quan. "
                    "Cách bật: vào <strong>Cài đặt</strong>, chọn <strong>Wi-Fi</strong>, gạt nút sang bật, "
                    "chọn tên mạng, nhập mật khẩu rồi bấm <strong>Kết nối</strong>.</li>"
                    "<li><strong>Dữ liệu di động (4G, 5G):</strong> dùng sóng của nhà mạng qua SIM, đi đâu "
                    "cũng dùng được. Muốn dùng, bạn cần đăng ký gói cước với nhà mạng. Bật "
                    "trong <strong>Cài đặt</strong>, mục <em>Dữ liệu di động</em> (có máy ghi là <em>Di động</em>).</li>"
                    "</ul>"
                    "<p>Anh Tuấn ở Vân Đồn thường bật 4G khi ở gần bờ để xem dự báo thời tiết và nhắn tin "
                    "cho vợ. Về nhà, anh chuyển sang Wi-Fi để xem video mà không tốn dung lượng gói cước.</p>",
                ),
                (
                    "callout",
                    {
                        "kind": "warning",
                        "title": "Chỉ cài ứng dụng từ kho chính thức",
                        "text": (
                            "<p>Trên máy Android, chỉ cài ứng dụng từ <strong>CH Play</strong> (Google Play). "
                            "Trên iPhone, chỉ cài từ <strong>App Store</strong>. Tuyệt đối không cài ứng dụng "
                            "từ đường link người lạ gửi qua tin nhắn, Zalo, Facebook, nhất là các tệp có đuôi "
                            "<em>.apk</em>. Kẻ gian thường dùng cách này để cài ứng dụng độc hại, chiếm quyền "
                            "điều khiển máy và lấy tiền trong tài khoản.</p>"
                        ),
                    },
                ),
                (
                    "rich_text",
                    "<h2>Cài một ứng dụng đúng cách</h2>"
                    "<ol>"
                    "<li>Mở <strong>CH Play</strong> (hoặc <strong>App Store</strong> trên iPhone).</li>"
                    "<li>Gõ tên ứng dụng vào ô tìm kiếm, ví dụ “VNeID”.</li>"
                    "<li>Trước khi cài, xem kỹ <strong>tên nhà phát triển</strong>: ứng dụng của ngân hàng "
                    "phải do chính ngân hàng đó phát hành, ứng dụng của cơ quan nhà nước phải do cơ quan "
                    "đó phát hành. Xem thêm số lượt tải và lời nhận xét của người dùng.</li>"
                    "<li>Bấm <strong>Cài đặt</strong> (hoặc <strong>Nhận</strong>), chờ máy tải xong rồi "
                    "bấm <strong>Mở</strong>.</li>"
                    "<li>Khi ứng dụng xin quyền (vị trí, danh bạ, máy ảnh…), chỉ cho phép những quyền "
                    "thật sự cần thiết.</li>"
                    "</ol>"
                    "<p>Trên máy Android, hãy để tắt mục cho phép <em>cài ứng dụng không rõ nguồn gốc</em> "
                    "(tên gọi có thể là “Cài đặt ứng dụng không xác định”). Nếu có ai hướng dẫn bạn bật "
                    "mục này lên, hãy dừng lại và hỏi người tin cậy.</p>"
                    "<h2>Cập nhật phần mềm thường xuyên</h2>"
                    "<p>Các bản cập nhật sửa lỗi và vá những “lỗ hổng” mà kẻ gian có thể lợi dụng. "
                    "Để cập nhật:</p>"
                    "<ol>"
                    "<li>Kết nối Wi-Fi và sạc pin trên một nửa.</li>"
                    "<li>Vào <strong>Cài đặt</strong>, tìm mục <strong>Cập nhật phần mềm</strong> "
                    "(trên iPhone: <em>Cài đặt chung</em>, rồi <em>Cập nhật phần mềm</em>).</li>"
                    "<li>Nếu có bản mới, bấm <strong>Tải về và cài đặt</strong>. Máy có thể tự khởi động "
                    "lại, bạn cứ chờ.</li>"
                    "<li>Mở CH Play hoặc App Store để cập nhật các ứng dụng, nhất là ứng dụng ngân hàng "
                    "và VNeID.</li>"
                    "</ol>"
                    "<h2>Khóa màn hình để bảo vệ điện thoại</h2>"
                    "<p>Điện thoại chứa tin nhắn, ảnh, ứng dụng ngân hàng. Nếu không khóa màn hình, "
                    "người nhặt được máy có thể xem hết. Hãy đặt khóa như sau:</p>"
                    "<ol>"
                    "<li>Vào <strong>Cài đặt</strong>, tìm mục <strong>Màn hình khóa</strong> hoặc "
                    "<strong>Bảo mật</strong> (trên iPhone: <em>Face ID &amp; mật mã</em>).</li>"
                    "<li>Chọn kiểu khóa <strong>mã PIN</strong>, nên dùng 6 số. Không dùng 123456, "
                    "111111 hay ngày sinh của mình.</li>"
                    "<li>Thêm <strong>vân tay</strong> hoặc <strong>khuôn mặt</strong> để mở máy nhanh.</li>"
                    "<li>Đặt thời gian tự khóa màn hình ngắn, khoảng 30 giây đến 1 phút.</li>"
                    "</ol>"
                    "<p>Nên bật thêm chức năng tìm điện thoại bị mất (trên Android là <em>Tìm thiết bị</em>, "
                    "trên iPhone là <em>Tìm</em>). Khi mất máy, bạn có thể xem máy ở đâu hoặc xóa dữ liệu "
                    "từ xa.</p>",
                ),
                (
                    "callout",
                    {
                        "kind": "info",
                        "title": "Ghi nhớ",
                        "text": (
                            "<ul>"
                            "<li>Mục Cài đặt giúp chỉnh cỡ chữ, độ sáng, âm thanh, mạng.</li>"
                            "<li>Wi-Fi dùng ở nhà, cơ quan; 4G dùng khi đi ra ngoài; không làm giao dịch ngân hàng qua Wi-Fi công cộng.</li>"
                            "<li>Chỉ cài ứng dụng từ CH Play hoặc App Store, không cài từ đường link lạ.</li>"
                            "<li>Cập nhật phần mềm thường xuyên và luôn khóa màn hình bằng mã PIN khó đoán.</li>"
                            "</ul>"
                        ),
                    },
                ),
            ],
        },
        # ------------------------------------------------------------------
        {
            "slug": "dich-vu-cong-truc-tuyen-va-vneid",
            "title": "Dịch vụ công trực tuyến và tài khoản định danh điện tử VNeID",
            "estimated_minutes": 25,
            "competences": ["2.3", "2.6"],
            "body": [
                (
                    "rich_text",
                    "<h2>Làm thủ tục ngay tại nhà</h2>"
                    "<p><strong>Dịch vụ công trực tuyến</strong> là cách nộp hồ sơ, làm thủ tục hành chính "
                    "qua mạng Internet. Bạn không phải đi lại nhiều lần, không phải xếp hàng, có thể nộp "
                    "hồ sơ cả vào buổi tối hay ngày nghỉ, và theo dõi hồ sơ đang được giải quyết đến đâu.</p>"
                    "<p>Hai “cửa” chính mà bà con cần biết:</p>"
                    "<ul>"
                    "<li><strong>Cổng Dịch vụ công quốc gia</strong>, địa chỉ <em>dichvucong.gov.vn</em>: "
                    "nơi tập trung các thủ tục hành chính của các bộ, ngành và địa phương.</li>"
                    "<li><strong>Ứng dụng VNeID</strong> của Bộ Công an: vừa là giấy tờ tùy thân điện tử, "
                    "vừa là nơi làm một số thủ tục như đăng ký thường trú, tạm trú, thông báo lưu trú.</li>"
                    "</ul>"
                    "<h2>Tài khoản định danh điện tử là gì?</h2>"
                    "<p>Trên mạng, cần có cách để biết “người đang làm thủ tục đúng là bạn”. "
                    "<strong>Tài khoản định danh điện tử</strong> do Bộ Công an cấp làm việc đó. "
                    "Có hai mức:</p>"
                    "<ul>"
                    "<li><strong>Mức 1:</strong> tự đăng ký trên ứng dụng VNeID, dùng được ít chức năng.</li>"
                    "<li><strong>Mức 2:</strong> đăng ký trực tiếp tại công an xã, phường (hoặc nơi làm "
                    "thẻ căn cước), có chụp ảnh chân dung và lấy vân tay. Tài khoản mức 2 có giá trị như "
                    "thẻ căn cước khi xuất trình, và dùng được cho hầu hết các dịch vụ công trực tuyến.</li>"
                    "</ul>"
                    "<p>Tài khoản VNeID còn dùng để đăng nhập Cổng Dịch vụ công quốc gia.</p>",
                ),
                (
                    "callout",
                    {
                        "kind": "info",
                        "title": "Kích hoạt tài khoản VNeID mức 2",
                        "text": (
                            "<p>Sau khi đăng ký tại công an, bạn sẽ nhận tin nhắn có mã kích hoạt vào số điện "
                            "thoại chính chủ đã khai. Mở ứng dụng VNeID, chọn <strong>Kích hoạt tài khoản</strong>, "
                            "nhập số định danh cá nhân, số điện thoại và mã kích hoạt, rồi tự đặt mật khẩu và "
                            "mã bảo vệ (passcode) 6 số. Nếu gặp khó khăn, hãy nhờ công an xã, phường hoặc "
                            "tổ công nghệ số cộng đồng hướng dẫn.</p>"
                        ),
                    },
                ),
                (
                    "rich_text",
                    "<h2>Ví dụ: đăng ký tạm trú trên ứng dụng VNeID</h2>"
                    "<p>Anh Hùng quê ở Thanh Hóa, ra Cẩm Phả làm công nhân và thuê phòng trọ. Theo Luật "
                    "Cư trú, khi đến ở tại một chỗ ở hợp pháp ngoài nơi thường trú từ 30 ngày trở lên, "
                    "anh phải đăng ký tạm trú. Thay vì xin nghỉ làm để lên công an phường, anh làm trên "
                    "điện thoại như sau:</p>"
                    "<ol>"
                    "<li><strong>Chuẩn bị giấy tờ:</strong> chụp ảnh rõ nét hợp đồng thuê nhà hoặc giấy tờ "
                    "chứng minh chỗ ở hợp pháp. Hỏi trước chủ nhà để chủ nhà đồng ý cho đăng ký.</li>"
                    "<li><strong>Đăng nhập:</strong> mở ứng dụng VNeID, đăng nhập bằng tài khoản mức 2.</li>"
                    "<li><strong>Chọn thủ tục:</strong> vào mục <em>Thủ tục hành chính</em>, chọn "
                    "<em>Đăng ký tạm trú</em>, rồi chọn tạo mới yêu cầu. Tên các mục có thể khác đôi chút "
                    "tùy phiên bản ứng dụng.</li>"
                    "<li><strong>Khai thông tin:</strong> chọn cơ quan công an nơi đăng ký (công an phường "
                    "nơi có phòng trọ), ghi địa chỉ chỗ ở, thời hạn tạm trú và các thông tin được hỏi. "
                    "Phần lớn thông tin cá nhân đã có sẵn từ dữ liệu dân cư.</li>"
                    "<li><strong>Đính kèm giấy tờ:</strong> tải lên ảnh đã chụp ở bước 1.</li>"
                    "<li><strong>Kiểm tra và gửi:</strong> đọc lại toàn bộ, sửa chỗ sai, bấm gửi và xác "
                    "nhận bằng mã bảo vệ hoặc mã OTP gửi về điện thoại.</li>"
                    "<li><strong>Theo dõi kết quả:</strong> vào lại mục thủ tục đã gửi để xem trạng thái "
                    "hồ sơ. Khi được duyệt, thông tin tạm trú được cập nhật vào Cơ sở dữ liệu quốc gia "
                    "về dân cư. Nếu hồ sơ cần bổ sung, công an sẽ báo để anh làm tiếp.</li>"
                    "</ol>"
                    "<p>Nhiều thủ tục khác, như đề nghị cấp phiếu lý lịch tư pháp, đổi giấy phép lái xe, "
                    "đăng ký khai sinh cho con, cũng đã có thể nộp trực tuyến qua Cổng Dịch vụ công quốc "
                    "gia hoặc VNeID. Cách làm nhìn chung giống nhau: đăng nhập, chọn thủ tục, khai thông "
                    "tin, đính kèm giấy tờ, gửi và theo dõi.</p>"
                    "<h2>Khi cần người giúp</h2>"
                    "<p>Nếu chưa tự tin, bà con có thể đến Trung tâm phục vụ hành chính công của xã, phường "
                    "hoặc nhờ tổ công nghệ số cộng đồng ở thôn, khu phố hướng dẫn. Hãy mang theo điện "
                    "thoại của mình để tự tay làm, lần sau sẽ quen.</p>",
                ),
                (
                    "callout",
                    {
                        "kind": "warning",
                        "title": "Cảnh giác với “cán bộ” gọi điện",
                        "text": (
                            "<p>Cơ quan công an không gọi điện yêu cầu bạn bấm vào đường link hay cài ứng dụng "
                            "để “cập nhật, nâng cấp tài khoản VNeID”. Không bao giờ đọc mật khẩu, mã bảo vệ, "
                            "mã OTP của VNeID cho bất kỳ ai, và không cho người khác mượn tài khoản của mình. "
                            "Chỉ tải ứng dụng VNeID từ CH Play hoặc App Store.</p>"
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
                            "<li>Dịch vụ công trực tuyến giúp làm thủ tục tại nhà, theo dõi được kết quả.</li>"
                            "<li>Tài khoản VNeID mức 2 đăng ký tại công an và dùng được cho hầu hết thủ tục, "
                            "kể cả đăng nhập Cổng Dịch vụ công quốc gia.</li>"
                            "<li>Các bước chung: đăng nhập, chọn thủ tục, khai thông tin, đính kèm giấy tờ, gửi, theo dõi.</li>"
                            "<li>Giữ bí mật mật khẩu, mã bảo vệ và OTP; công an không yêu cầu cài ứng dụng qua điện thoại.</li>"
                            "</ul>"
                        ),
                    },
                ),
            ],
        },
        # ------------------------------------------------------------------
        {
            "slug": "thanh-toan-khong-dung-tien-mat",
            "title": "Thanh toán không dùng tiền mặt an toàn",
            "estimated_minutes": 20,
            "competences": ["2.1", "4.2"],
            "body": [
                (
                    "rich_text",
                    "<h2>Tiện lợi cho cả người mua và người bán</h2>"
                    "<p>Chị Hoa bán tạp hóa ở Cẩm Phả dán một mã QR ngay cạnh quầy. Khách mua hàng chỉ cần "
                    "mở điện thoại quét mã, tiền chuyển thẳng vào tài khoản của chị. Chị không phải đổi "
                    "tiền lẻ, không lo nhận tiền giả, cuối ngày xem lại lịch sử giao dịch là biết bán được "
                    "bao nhiêu. Con trai chị đi học ở Hà Nội, chị chuyển tiền cho con chỉ trong vài giây.</p>"
                    "<h2>Bắt đầu với ứng dụng ngân hàng</h2>"
                    "<ol>"
                    "<li>Mở tài khoản tại một ngân hàng. Bạn có thể ra quầy giao dịch, hoặc mở ngay trên "
                    "ứng dụng của ngân hàng bằng thẻ căn cước gắn chíp.</li>"
                    "<li>Tải <strong>ứng dụng chính thức của ngân hàng</strong> từ CH Play hoặc App Store. "
                    "Kiểm tra tên nhà phát triển đúng là ngân hàng đó.</li>"
                    "<li>Đăng nhập, đặt mật khẩu mạnh, không trùng với mật khẩu khác.</li>"
                    "<li>Làm theo hướng dẫn để xác thực khuôn mặt (sinh trắc học) với thẻ căn cước "
                    "gắn chíp.</li>"
                    "</ol>"
                    "<h2>Mã QR và VietQR</h2>"
                    "<p>Mã QR là hình vuông gồm nhiều ô đen trắng, chứa sẵn số tài khoản và tên ngân hàng "
                    "người nhận. <strong>VietQR</strong> là chuẩn mã QR chung để chuyển khoản giữa các ngân "
                    "hàng ở Việt Nam: mã của ngân hàng này có thể quét bằng ứng dụng của ngân hàng khác. "
                    "Các bước trả tiền bằng mã QR:</p>"
                    "<ol>"
                    "<li>Mở ứng dụng ngân hàng, chọn <strong>Quét QR</strong>.</li>"
                    "<li>Đưa camera vào mã QR của người bán cho đến khi máy nhận mã.</li>"
                    "<li><strong>Đọc kỹ tên người nhận</strong> hiện trên màn hình. Tên phải đúng với "
                    "chủ cửa hàng hoặc người bạn định trả tiền.</li>"
                    "<li>Nhập số tiền (nếu mã chưa có sẵn) và nội dung, ví dụ “Tra tien hang ngay 15/3”.</li>"
                    "<li>Xác nhận bằng mã PIN, mã OTP hoặc khuôn mặt theo yêu cầu của ứng dụng.</li>"
                    "<li>Chờ màn hình báo <strong>giao dịch thành công</strong>. Có thể chụp lại biên lai "
                    "để đối chiếu khi cần.</li>"
                    "</ol>",
                ),
                (
                    "callout",
                    {
                        "kind": "tip",
                        "title": "Mẹo cho người bán hàng",
                        "text": (
                            "<p>Chỉ giao hàng khi <strong>chính điện thoại của bạn</strong> báo tiền đã vào "
                            "tài khoản (thông báo biến động số dư hoặc lịch sử giao dịch), đừng chỉ nhìn màn "
                            "hình điện thoại của khách, vì màn hình “chuyển khoản thành công” có thể bị làm "
                            "giả. Thỉnh thoảng kiểm tra mã QR dán ở quầy xem có bị ai dán đè mã khác lên không.</p>"
                        ),
                    },
                ),
                (
                    "rich_text",
                    "<h2>Kiểm tra tên người nhận trước khi chuyển</h2>"
                    "<p>Khi bạn nhập số tài khoản, ứng dụng sẽ hiện <strong>tên chủ tài khoản</strong>. "
                    "Đây là bước kiểm tra quan trọng nhất. Ông Bảy ở Hạ Long đặt mua một lô hàng trên mạng. "
                    "Người bán xưng tên là “Nguyễn Văn Long”, nhưng khi nhập số tài khoản, ứng dụng lại hiện "
                    "một cái tên hoàn toàn khác. Ông dừng lại, không chuyển tiền, và tránh được một vụ lừa. "
                    "Nếu tên không khớp, hoặc người kia giải thích vòng vo “tài khoản của em họ”, "
                    "“tài khoản của kế toán”, hãy cân nhắc thật kỹ.</p>"
                    "<h2>Mã OTP: chìa khóa chỉ mình bạn giữ</h2>"
                    "<p><strong>OTP</strong> là mã số dùng một lần, thường gồm 6 chữ số, được gửi qua tin nhắn "
                    "hoặc hiện trong ứng dụng để xác nhận giao dịch. Ai có mã OTP là có thể lấy tiền của bạn. "
                    "Nhân viên ngân hàng, công an, nhân viên giao hàng <strong>không bao giờ</strong> cần "
                    "bạn đọc mã OTP.</p>"
                    "<h2>Hạn mức và xác thực khuôn mặt</h2>"
                    "<p>Theo quy định của Ngân hàng Nhà nước áp dụng từ ngày 1/7/2024, giao dịch chuyển tiền "
                    "trực tuyến trên 10 triệu đồng một lần, hoặc khi tổng số tiền chuyển trong ngày vượt "
                    "20 triệu đồng, phải xác thực bằng khuôn mặt. Quy định này giúp kẻ gian khó rút tiền "
                    "dù đã biết mật khẩu của bạn. Ngoài ra, nhiều ứng dụng ngân hàng cho phép bạn tự đặt "
                    "<strong>hạn mức giao dịch</strong> trong ngày. Nếu hằng ngày bạn chỉ chuyển vài trăm "
                    "nghìn, hãy đặt hạn mức thấp cho an toàn.</p>"
                    "<h2>Lỡ chuyển nhầm hoặc nhận tiền lạ</h2>"
                    "<ul>"
                    "<li>Nếu bạn chuyển nhầm, hãy gọi ngay <strong>tổng đài chính thức của ngân hàng</strong> "
                    "(số in trên thẻ hoặc trong ứng dụng) để được hỗ trợ.</li>"
                    "<li>Nếu có một khoản tiền lạ chuyển vào tài khoản, rồi có người gọi đến đòi bạn chuyển "
                    "trả sang một tài khoản khác, đừng làm theo. Hãy báo ngân hàng để ngân hàng xử lý, vì đây "
                    "có thể là chiêu lừa “chuyển nhầm tiền”.</li>"
                    "</ul>",
                ),
                (
                    "callout",
                    {
                        "kind": "warning",
                        "title": "Không bao giờ",
                        "text": (
                            "<ul>"
                            "<li>Không đọc, không gửi mã OTP cho bất kỳ ai.</li>"
                            "<li>Không cho mượn, không bán tài khoản ngân hàng; việc mua bán tài khoản ngân hàng "
                            "là vi phạm pháp luật và có thể bị xử lý hình sự.</li>"
                            "<li>Không đăng nhập ngân hàng trên máy lạ hoặc qua Wi-Fi công cộng.</li>"
                            "</ul>"
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
                            "<li>Chỉ dùng ứng dụng ngân hàng chính thức, tải từ CH Play hoặc App Store.</li>"
                            "<li>Luôn đọc kỹ tên người nhận trước khi bấm chuyển tiền.</li>"
                            "<li>Mã OTP là bí mật của riêng bạn.</li>"
                            "<li>Đặt hạn mức giao dịch phù hợp; người bán chỉ giao hàng khi chính mình thấy tiền đã vào.</li>"
                            "</ul>"
                        ),
                    },
                ),
            ],
        },
        # ------------------------------------------------------------------
        {
            "slug": "nhan-biet-lua-dao-tren-mang",
            "title": "Nhận biết và phòng tránh lừa đảo trên mạng",
            "estimated_minutes": 25,
            "competences": ["1.2", "2.5", "4.2"],
            "body": [
                (
                    "rich_text",
                    "<h2>Kẻ lừa đảo đánh vào nỗi sợ và lòng tham</h2>"
                    "<p>Lừa đảo trên mạng ngày càng tinh vi, nhưng phần lớn các chiêu đều có chung một "
                    "kiểu: làm cho bạn <strong>sợ hãi</strong> hoặc <strong>ham lợi</strong>, rồi thúc "
                    "bạn <strong>làm thật nhanh</strong>, không cho bạn kịp hỏi ai.</p>"
                    "<h2>Những chiêu lừa thường gặp</h2>"
                    "<h3>1. Giả danh công an, viện kiểm sát, tòa án</h3>"
                    "<p>Bác Thắng ở Uông Bí nhận cuộc gọi từ một người xưng là công an, nói bác liên quan "
                    "đến một vụ rửa tiền. Người đó dọa sẽ bắt giam nếu bác không hợp tác, yêu cầu bác giữ "
                    "bí mật, chuyển tiền vào “tài khoản tạm giữ” để “chứng minh trong sạch”. Thực tế, "
                    "<strong>cơ quan công an không làm việc qua điện thoại để yêu cầu chuyển tiền</strong>. "
                    "Khi cần làm việc, công an gửi giấy mời hoặc mời lên trụ sở.</p>"
                    "<h3>2. Gọi điện yêu cầu cài ứng dụng</h3>"
                    "<p>Kẻ gian giả làm cán bộ công an, điện lực, thuế, bảo hiểm, gọi đến bảo bạn cần "
                    "“cập nhật VNeID”, “hoàn tiền điện”, “cập nhật thông tin thuế”, rồi gửi đường link để "
                    "cài ứng dụng. Ứng dụng đó thực chất là phần mềm độc hại: nó đọc được tin nhắn OTP, "
                    "điều khiển điện thoại và rút sạch tiền trong tài khoản.</p>"
                    "<h3>3. Đường link giả</h3>"
                    "<p>Tin nhắn báo “tài khoản của bạn sắp bị khóa”, “bạn có bưu phẩm cần xác nhận”, "
                    "kèm một đường link. Trang web mở ra trông giống hệt trang ngân hàng, nhưng địa chỉ "
                    "khác đi một vài chữ. Nhập mật khẩu vào đó là mất tài khoản.</p>"
                    "<h3>4. “Việc nhẹ lương cao”</h3>"
                    "<p>Lời mời làm cộng tác viên, “chỉ cần thả tim video, làm nhiệm vụ trên điện thoại, "
                    "mỗi ngày kiếm vài trăm nghìn”. Lúc đầu bạn được trả tiền thật vài lần để tin. Sau đó "
                    "họ yêu cầu nạp tiền ngày càng nhiều để “nhận nhiệm vụ lớn”, rồi không trả lại.</p>"
                    "<h3>5. Tin nhắn trúng thưởng</h3>"
                    "<p>“Chúc mừng quý khách trúng xe máy, điện thoại…” nhưng muốn nhận phải nộp trước "
                    "“phí vận chuyển”, “thuế”. Bạn không tham gia chương trình nào thì không thể trúng "
                    "thưởng.</p>"
                    "<h3>6. Giả làm người thân trên Zalo, Facebook</h3>"
                    "<p>Kẻ gian chiếm tài khoản Zalo, Facebook của một người, rồi nhắn cho người thân, "
                    "bạn bè để vay tiền gấp. Có kẻ còn gọi video vài giây với hình ảnh mờ, giống mặt người "
                    "quen, rồi lấy cớ “mạng yếu” để tắt máy. Cũng có cuộc gọi báo “con anh chị bị tai nạn, "
                    "đang cấp cứu, cần chuyển tiền ngay”.</p>",
                ),
                (
                    "callout",
                    {
                        "kind": "warning",
                        "title": "Dấu hiệu của lừa đảo",
                        "text": (
                            "<ul>"
                            "<li>Thúc giục gấp gáp, đe dọa, hoặc hứa cho nhiều tiền.</li>"
                            "<li>Yêu cầu giữ bí mật, “không được nói với ai”.</li>"
                            "<li>Đòi chuyển tiền, đòi mã OTP, mật khẩu.</li>"
                            "<li>Bảo bạn bấm vào đường link hoặc cài ứng dụng không có trên kho chính thức.</li>"
                            "</ul>"
                        ),
                    },
                ),
                (
                    "rich_text",
                    "<h2>Gặp tình huống đáng ngờ, làm gì?</h2>"
                    "<ol>"
                    "<li><strong>Bình tĩnh, cúp máy.</strong> Không bấm vào "
                    "đường link, không cài ứng dụng, không chuyển tiền.</li>"
                    "<li><strong>Tự kiểm tra lại.</strong> Gọi lại cho người thân bằng số điện thoại bạn đã "
                    "lưu từ trước, không gọi vào số vừa gọi đến. Với cơ quan nhà nước, hãy đến trực tiếp "
                    "trụ sở hoặc hỏi cán bộ xã, phường.</li>"
                    "<li><strong>Hỏi người tin cậy</strong>: con cháu, hàng xóm, trưởng thôn, tổ công nghệ số "
                    "cộng đồng.</li>"
                    "<li><strong>Nếu đã lỡ chuyển tiền hoặc lộ thông tin:</strong> gọi ngay tổng đài chính "
                    "thức của ngân hàng (số in trên thẻ hoặc trong ứng dụng) để yêu cầu khóa tài khoản; "
                    "đổi mật khẩu; nếu đã cài ứng dụng lạ thì ngắt mạng điện thoại và nhờ người rành "
                    "kỹ thuật giúp gỡ bỏ.</li>"
                    "<li><strong>Trình báo công an</strong> xã, phường nơi gần nhất, mang theo ảnh chụp tin "
                    "nhắn, số điện thoại, số tài khoản của kẻ gian. Trường hợp khẩn cấp, gọi 113.</li>"
                    "<li><strong>Phản ánh trực tuyến</strong> các trang web, tin nhắn, số tài khoản lừa đảo "
                    "tại Cổng cảnh báo an toàn thông tin, địa chỉ <em>canhbao.khonggianmang.gov.vn</em>.</li>"
                    "<li><strong>Báo cho mọi người</strong> trong gia đình, nhóm Zalo của thôn, khu phố biết "
                    "để cùng cảnh giác.</li>"
                    "</ol>"
                    "<h2>Phòng trước vẫn hơn</h2>"
                    "<ul>"
                    "<li>Bật xác thực hai lớp cho Zalo, Facebook; không nhập mật khẩu vào trang web mở từ đường link lạ.</li>"
                    "<li>Không cho mượn thẻ căn cước, không bán tài khoản ngân hàng, không đứng tên "
                    "hộ SIM điện thoại cho người khác.</li>"
                    "<li>Dặn dò ông bà, cha mẹ lớn tuổi: có ai gọi đòi tiền, hãy gọi cho con cháu trước.</li>"
                    "</ul>",
                ),
                (
                    "callout",
                    {
                        "kind": "tip",
                        "title": "Đặt “mật khẩu gia đình”",
                        "text": (
                            "<p>Cả nhà thống nhất một câu hỏi hoặc một từ bí mật chỉ người trong nhà biết, "
                            "ví dụ tên con chó nuôi hồi nhỏ. Khi có người gọi xưng là con, cháu cần tiền gấp, "
                            "hãy hỏi câu đó. Kẻ gian, dù giả giọng hay giả mặt, cũng khó trả lời đúng.</p>"
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
                            "<li>Công an không yêu cầu chuyển tiền hay cài ứng dụng qua điện thoại.</li>"
                            "<li>Gấp gáp, bí mật, đòi tiền, đòi OTP, gửi link lạ: đó là dấu hiệu lừa đảo.</li>"
                            "<li>Cúp máy, tự gọi lại số quen để kiểm tra, hỏi người tin cậy.</li>"
                            "<li>Lỡ bị lừa: báo ngay ngân hàng, trình báo công an, phản ánh tại canhbao.khonggianmang.gov.vn.</li>"
                            "</ul>"
                        ),
                    },
                ),
            ],
        },
    ],
}
