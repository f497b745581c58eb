# ruff: noqa: E501
"""Khóa học mẫu: Trí tuệ nhân tạo cho mọi người.

Dữ liệu thuần (không import Django). Mỗi bài học có `body` là danh sách
các cặp (loại khối, giá trị) theo thứ tự đọc.
"""

COURSE = {
    "slug": "tri-tue-nhan-tao-cho-moi-nguoi",
    "title": "Trí tuệ nhân tạo cho mọi người",
    "intro": (
        "<p>Trí tuệ nhân tạo (AI) đã có mặt trong chiếc điện thoại của bạn: từ trợ lý giọng nói, "
        "ứng dụng dịch tiếng đến mở khóa bằng khuôn mặt. Khóa học giúp bạn hiểu "
        "<strong>AI là gì và không phải là gì</strong>, biết <strong>dùng trợ lý AI an toàn, "
        "hiệu quả</strong>, biết <strong>kiểm chứng</strong> những gì AI nói và cảnh giác với "
        "video, giọng nói giả. Bài cuối dành cho người đi làm và cán bộ, công chức muốn dùng AI "
        "trong công việc một cách có trách nhiệm.</p>"
    ),
    "topic": "ai",
    "audience": "Mọi người dân, học sinh, cán bộ, công chức, đảng viên và người lao động",
    "audience_groups": [
        "citizen",
        "student",
        "official",
        "party_member",
        "enterprise_worker",
    ],
    "estimated_minutes": 75,
    "competences": ["1.2", "3.1", "4.2", "6.1", "6.2", "6.3"],
    "sequential": True,
    "lessons": [
        # ------------------------------------------------------------------
        {
            "slug": "tri-tue-nhan-tao-la-gi",
            "title": "Trí tuệ nhân tạo là gì?",
            "estimated_minutes": 15,
            "competences": ["6.1"],
            "body": [
                (
                    "rich_text",
                    "<h2>Hiểu một cách đơn giản</h2>"
                    "<p><strong>Trí tuệ nhân tạo</strong>, thường viết tắt là <strong>AI</strong>, là những "
                    "chương trình máy tính có thể làm một số việc mà trước đây chỉ con người làm được: "
                    "nhận ra khuôn mặt, hiểu lời nói, dịch tiếng, viết câu trả lời.</p>"
                    "<p>AI không “hiểu” như con người. Nó học từ <strong>rất nhiều dữ liệu</strong> để tìm "
                    "ra các quy luật, rồi dựa vào đó mà đoán. Hãy nghĩ đến một bác ngư dân lâu năm ở Cô Tô: "
                    "nhìn mây, nhìn sóng là đoán được sắp có gió to, vì bác đã thấy cảnh ấy hàng nghìn lần. "
                    "AI cũng “đoán” dựa trên những gì nó đã thấy, chỉ khác là nó được cho xem lượng dữ liệu "
                    "khổng lồ và tính toán rất nhanh.</p>"
                    "<h2>AI đang ở quanh bạn</h2>"
                    "<ul>"
                    "<li><strong>Trợ lý giọng nói:</strong> bạn nói “Gọi cho con gái”, điện thoại tự gọi. "
                    "Bạn hỏi “Ngày mai Hạ Long có mưa không?”, máy đọc dự báo.</li>"
                    "<li><strong>Dịch tiếng:</strong> chị Mai buôn bán ở Móng Cái dùng ứng dụng dịch để "
                    "trao đổi với khách nói tiếng Trung; chủ homestay ở Quan Lạn dùng nó để nhắn tin "
                    "với khách nước ngoài.</li>"
                    "<li><strong>Mở khóa bằng khuôn mặt:</strong> điện thoại nhận ra đúng mặt chủ máy.</li>"
                    "<li><strong>Gợi ý nội dung:</strong> Facebook, YouTube, TikTok đoán bạn thích gì để "
                    "đưa video, quảng cáo tương tự lên trước.</li>"
                    "<li><strong>Bản đồ chỉ đường:</strong> ước tính đường nào đang đông xe, bao lâu thì tới.</li>"
                    "<li><strong>Chuyển giọng nói thành chữ:</strong> nói vào điện thoại, máy tự gõ thành tin "
                    "nhắn, rất tiện cho người không quen gõ phím.</li>"
                    "<li><strong>Lọc thư rác, tin nhắn rác:</strong> tự nhận ra thư quảng cáo, lừa đảo.</li>"
                    "</ul>",
                ),
                (
                    "callout",
                    {
                        "kind": "info",
                        "title": "AI tạo sinh là gì?",
                        "text": (
                            "<p>Vài năm gần đây xuất hiện loại AI có thể <strong>tạo ra</strong> nội dung mới: "
                            "viết thư, trả lời câu hỏi, vẽ tranh, tạo giọng nói, làm video. Người ta gọi đó là "
                            "<strong>AI tạo sinh</strong>. Các trợ lý trò chuyện (chatbot) như ChatGPT, Gemini, "
                            "Copilot và nhiều ứng dụng của doanh nghiệp Việt Nam thuộc loại này. "
                            "Bài sau sẽ hướng dẫn cách dùng chúng.</p>"
                        ),
                    },
                ),
                (
                    "rich_text",
                    "<h2>AI không phải là gì?</h2>"
                    "<ul>"
                    "<li><strong>Không phải “ông thầy biết tuốt”.</strong> AI có thể trả lời sai, thậm chí "
                    "bịa ra thông tin nhưng nói rất tự tin.</li>"
                    "<li><strong>Không có cảm xúc, không có lương tâm.</strong> Câu trả lời nghe ân cần "
                    "không có nghĩa là máy thật sự quan tâm đến bạn.</li>"
                    "<li><strong>Không chịu trách nhiệm thay bạn.</strong> Quyết định cuối cùng và trách "
                    "nhiệm luôn thuộc về con người.</li>"
                    "<li><strong>Không phải lúc nào cũng là robot.</strong> Phần lớn AI chỉ là phần mềm "
                    "chạy trong điện thoại, máy tính hay trên mạng.</li>"
                    "<li><strong>Không giỏi đều mọi việc.</strong> AI học ít dữ liệu về chuyện nào thì "
                    "làm kém chuyện đó. Ví dụ, nó có thể hiểu chưa tốt tiếng địa phương, tiếng dân tộc "
                    "thiểu số, hay chuyện riêng của một thôn, một xã.</li>"
                    "</ul>"
                    "<h2>Vì sao mỗi người nên biết về AI?</h2>"
                    "<p>Việt Nam đã có Chiến lược quốc gia về nghiên cứu, phát triển và ứng dụng trí tuệ "
                    "nhân tạo, và phong trào “Bình dân học vụ số” khuyến khích mọi người dân làm quen với "
                    "công nghệ số, trong đó có AI. Hiểu về AI giúp bạn:</p>"
                    "<ul>"
                    "<li>dùng những công cụ sẵn có để tiết kiệm thời gian, học thêm điều mới;</li>"
                    "<li>không bị choáng ngợp hay sợ hãi trước những lời đồn thổi về AI;</li>"
                    "<li>nhận ra khi kẻ xấu dùng AI để làm giả hình ảnh, giọng nói nhằm lừa đảo.</li>"
                    "</ul>",
                ),
                (
                    "callout",
                    {
                        "kind": "tip",
                        "title": "Bài tập nhỏ",
                        "text": (
                            "<p>Cầm điện thoại lên và tìm ba chỗ có AI: thử nói vào bàn phím để máy gõ chữ, "
                            "thử dịch một câu sang tiếng Anh, và để ý xem Facebook hay YouTube đang gợi ý "
                            "cho bạn những gì. Bạn đã dùng AI nhiều hơn bạn nghĩ!</p>"
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
                            "<li>AI là chương trình máy tính học từ dữ liệu để nhận ra quy luật và đưa ra dự đoán.</li>"
                            "<li>AI có trong trợ lý giọng nói, dịch tiếng, mở khóa khuôn mặt, gợi ý video, bản đồ.</li>"
                            "<li>AI có thể sai, không có cảm xúc và không chịu trách nhiệm thay con người.</li>"
                            "<li>Hiểu AI để dùng có ích và để không bị lừa.</li>"
                            "</ul>"
                        ),
                    },
                ),
            ],
        },
        # ------------------------------------------------------------------
        {
            "slug": "dung-tro-ly-ai-an-toan-hieu-qua",
            "title": "Dùng trợ lý AI an toàn và hiệu quả",
            "estimated_minutes": 20,
            "competences": ["6.2", "4.2"],
            "body": [
                (
                    "rich_text",
                    "<h2>Trợ lý AI làm được gì cho bạn?</h2>"
                    "<p>Trợ lý AI (chatbot) là ứng dụng mà bạn có thể nhắn tin hoặc nói chuyện như với một "
                    "người. Bạn hỏi, nó trả lời bằng chữ hoặc bằng giọng nói. Một số việc có ích:</p>"
                    "<ul>"
                    "<li>Giải thích một đoạn văn bản khó hiểu bằng lời lẽ đơn giản.</li>"
                    "<li>Gợi ý thực đơn cả tuần cho gia đình với số tiền có hạn.</li>"
                    "<li>Soạn giúp một tin nhắn, một lá thư, một đoạn giới thiệu sản phẩm.</li>"
                    "<li>Luyện nói tiếng Anh, tiếng Trung để đón khách du lịch, buôn bán.</li>"
                    "<li>Gợi ý những câu nên hỏi bác sĩ trước khi đi khám.</li>"
                    "</ul>"
                    "<p>Hãy tải ứng dụng trợ lý AI từ CH Play, App Store hoặc dùng trang web chính thức của "
                    "nhà cung cấp. Cẩn thận với các ứng dụng giả mạo mang tên gần giống, đòi trả phí hoặc "
                    "đòi nhiều quyền lạ. Nhiều dịch vụ quy định độ tuổi tối thiểu; trẻ em nên dùng khi có "
                    "cha mẹ hướng dẫn.</p>"
                    "<h2>Cách viết yêu cầu rõ ràng</h2>"
                    "<p>AI trả lời tốt hay dở phụ thuộc nhiều vào cách bạn hỏi. Một yêu cầu tốt thường có "
                    "bốn phần:</p>"
                    "<ol>"
                    "<li><strong>Bạn là ai, hoàn cảnh thế nào:</strong> “Tôi bán chả mực ở chợ Hạ Long…”</li>"
                    "<li><strong>Bạn cần việc gì:</strong> “Viết giúp tôi đoạn giới thiệu để đăng Facebook…”</li>"
                    "<li><strong>Yêu cầu cụ thể:</strong> dài bao nhiêu, giọng văn thế nào, viết cho ai đọc.</li>"
                    "<li><strong>Trình bày ra sao:</strong> gạch đầu dòng, bảng, hay một đoạn văn.</li>"
                    "</ol>"
                    "<p>So sánh hai cách hỏi:</p>"
                    "<ul>"
                    "<li><em>Chưa tốt:</em> “Viết quảng cáo.”</li>"
                    "<li><em>Tốt hơn:</em> “Tôi bán chả mực ở Hạ Long, giao hàng trong ngày. Viết giúp tôi "
                    "3 câu giới thiệu ngắn để đăng Facebook, giọng thân thiện, dễ hiểu, không nói quá sự "
                    "thật.”</li>"
                    "</ul>"
                    "<p>Nếu câu trả lời chưa vừa ý, cứ <strong>hỏi tiếp</strong>: “Viết ngắn hơn”, "
                    "“Giải thích đơn giản hơn cho người lớn tuổi”, “Đưa ra 3 phương án khác”. "
                    "Trò chuyện qua lại vài lần thường cho kết quả tốt hơn nhiều.</p>",
                ),
                (
                    "callout",
                    {
                        "kind": "warning",
                        "title": "Đừng bao giờ dán vào trợ lý AI",
                        "text": (
                            "<ul>"
                            "<li>Số định danh cá nhân, ảnh thẻ căn cước, hộ chiếu.</li>"
                            "<li>Số tài khoản kèm mật khẩu, mã OTP, thông tin thẻ ngân hàng.</li>"
                            "<li>Bệnh án, kết quả xét nghiệm có ghi họ tên.</li>"
                            "<li>Thông tin của khách hàng, bí mật kinh doanh của công ty.</li>"
                            "<li>Với cán bộ, công chức: tài liệu mật, bí mật nhà nước, hồ sơ của người dân, "
                            "văn bản nội bộ chưa được công bố.</li>"
                            "</ul>"
                        ),
                    },
                ),
                (
                    "rich_text",
                    "<h2>Vì sao phải cẩn thận như vậy?</h2>"
                    "<p>Những gì bạn gõ vào trợ lý AI được gửi đến máy chủ của công ty cung cấp dịch vụ, "
                    "nhiều khi đặt ở nước ngoài. Nội dung có thể được lưu lại, có thể được dùng để huấn "
                    "luyện AI, và có thể bị lộ nếu tài khoản của bạn bị chiếm. Hãy coi việc gõ vào chatbot "
                    "giống như nói chuyện với người lạ ở nơi đông người.</p>"
                    "<p>Khi cần hỏi về giấy tờ của mình, hãy <strong>bỏ bớt thông tin riêng</strong>. Ví dụ, "
                    "chị Hằng ở Đông Triều muốn hiểu một thông báo của ngân hàng. Chị không chụp cả tờ giấy "
                    "gửi lên, mà chỉ gõ lại đoạn khó hiểu, thay tên mình bằng “khách hàng A” và xóa số tài "
                    "khoản.</p>"
                    "<h2>Sức khỏe, pháp luật, tiền bạc: chỉ để tham khảo</h2>"
                    "<p>AI có thể giúp bạn hiểu sơ bộ một căn bệnh, một quy định, một sản phẩm tiết kiệm. "
                    "Nhưng đừng tự mua thuốc, tự làm thủ tục hay bỏ tiền đầu tư chỉ vì AI nói vậy. Hãy hỏi "
                    "lại bác sĩ, cán bộ có chuyên môn, nhân viên ngân hàng tại quầy. Bài sau sẽ nói kỹ hơn "
                    "về cách kiểm chứng câu trả lời của AI.</p>"
                    "<h2>Dùng vừa đủ</h2>"
                    "<p>AI là công cụ hỗ trợ, không thay được việc tự học, tự nghĩ. Học sinh nên dùng AI để "
                    "được giải thích bài, không nên chép nguyên lời giải. Cha mẹ nên cùng con đặt giờ dùng "
                    "điện thoại hợp lý để bảo vệ sức khỏe và giấc ngủ.</p>",
                ),
                (
                    "callout",
                    {
                        "kind": "info",
                        "title": "Ghi nhớ",
                        "text": (
                            "<ul>"
                            "<li>Dùng ứng dụng AI chính thức; cẩn thận với ứng dụng giả mạo.</li>"
                            "<li>Yêu cầu rõ ràng gồm: bạn là ai, cần gì, yêu cầu cụ thể, cách trình bày.</li>"
                            "<li>Không dán thông tin cá nhân, tài chính, bí mật công việc hay tài liệu mật vào AI.</li>"
                            "<li>Lời khuyên về sức khỏe, pháp luật, tiền bạc của AI chỉ để tham khảo.</li>"
                            "</ul>"
                        ),
                    },
                ),
            ],
        },
        # ------------------------------------------------------------------
        {
            "slug": "kiem-chung-thong-tin-tu-ai",
            "title": "Kiểm chứng thông tin từ AI và cảnh giác với nội dung giả",
            "estimated_minutes": 20,
            "competences": ["6.3", "1.2"],
            "body": [
                (
                    "rich_text",
                    "<h2>AI cũng có lúc “nói dối” mà không biết</h2>"
                    "<p>Anh Quân, cán bộ một phường ở Hạ Long, hỏi trợ lý AI về thủ tục đăng ký kinh doanh "
                    "hộ gia đình. AI trả lời rất trôi chảy, kèm số hiệu một nghị định. Khi tra lại trên "
                    "trang chính thức, anh phát hiện nghị định đó đã được thay thế từ lâu, và có chỗ AI tự "
                    "ghép sai thông tin.</p>"
                    "<p>Hiện tượng AI tạo ra thông tin sai nhưng trình bày như thật được gọi là "
                    "<strong>“ảo giác”</strong> của AI. Nguyên nhân là AI tạo câu trả lời bằng cách đoán "
                    "những chữ nghe hợp lý nhất, chứ không tra cứu sự thật như người làm văn thư tra hồ sơ. "
                    "Ngoài ra, AI có thể chỉ được học dữ liệu đến một thời điểm nào đó, nên không biết các "
                    "quy định mới.</p>"
                    "<h2>Những chỗ AI hay sai</h2>"
                    "<ul>"
                    "<li>Con số, ngày tháng, số hiệu văn bản pháp luật.</li>"
                    "<li>Tên người, tên cơ quan, địa chỉ, số điện thoại.</li>"
                    "<li>Thông tin mới xảy ra gần đây.</li>"
                    "<li>Chuyện riêng của địa phương: giờ làm việc của xã, lịch tiêm chủng ở trạm y tế.</li>"
                    "</ul>"
                    "<h2>Sáu bước kiểm chứng câu trả lời của AI</h2>"
                    "<ol>"
                    "<li><strong>Hỏi nguồn:</strong> yêu cầu AI cho biết thông tin lấy từ đâu.</li>"
                    "<li><strong>Mở nguồn ra xem tận nơi:</strong> nhiều khi nguồn AI đưa ra không tồn tại "
                    "hoặc không nói như AI kể.</li>"
                    "<li><strong>Đối chiếu với trang chính thức:</strong> Cổng Dịch vụ công quốc gia, trang "
                    "của các bộ, ngành, của tỉnh (thường có đuôi <em>.gov.vn</em>), báo chí chính thống.</li>"
                    "<li><strong>Hỏi người có chuyên môn:</strong> cán bộ bộ phận một cửa, bác sĩ, nhân "
                    "viên ngân hàng tại quầy.</li>"
                    "<li><strong>Đặc biệt cẩn thận với số điện thoại, số tài khoản:</strong> không dùng AI "
                    "để tìm số tổng đài ngân hàng; hãy lấy số in trên thẻ hoặc trong ứng dụng chính thức.</li>"
                    "<li><strong>Chưa chắc thì chưa dùng, chưa chia sẻ.</strong></li>"
                    "</ol>",
                ),
                (
                    "callout",
                    {
                        "kind": "tip",
                        "title": "Một mẹo đơn giản",
                        "text": (
                            "<p>Hỏi lại AI cùng một câu theo cách khác, hoặc hỏi “Bạn có chắc không? Điểm nào "
                            "trong câu trả lời có thể sai?”. Nếu câu trả lời thay đổi nhiều, đó là dấu hiệu "
                            "thông tin chưa đáng tin.</p>"
                        ),
                    },
                ),
                (
                    "rich_text",
                    "<h2>Deepfake: hình ảnh, giọng nói giả bằng AI</h2>"
                    "<p><strong>Deepfake</strong> là video, hình ảnh hay giọng nói được AI làm giả, trông và "
                    "nghe rất giống người thật. Kẻ gian dùng nó để:</p>"
                    "<ul>"
                    "<li>Gọi video giả làm con cháu, bạn bè, với khuôn mặt và giọng nói giống hệt, để vay "
                    "tiền gấp. Cuộc gọi thường rất ngắn, hình mờ, rồi lấy cớ “mạng yếu” để tắt.</li>"
                    "<li>Gọi điện bằng giọng nói giả của người thân hoặc của “sếp” để yêu cầu chuyển tiền.</li>"
                    "<li>Làm video giả bác sĩ nổi tiếng, người có uy tín quảng cáo thuốc, mời đầu tư.</li>"
                    "<li>Ghép mặt người khác vào ảnh, video xấu để bôi nhọ, tống tiền.</li>"
                    "</ul>"
                    "<h3>Dấu hiệu nhận biết</h3>"
                    "<ul>"
                    "<li>Khẩu hình miệng không khớp với tiếng nói; mặt cứng, ít chớp mắt; viền mặt bị nhòe.</li>"
                    "<li>Giọng đều đều, thiếu cảm xúc, hoặc lạ so với bình thường.</li>"
                    "<li>Luôn kèm lời thúc giục: gấp lắm, đừng nói với ai, chuyển ngay.</li>"
                    "</ul>"
                    "<p>Công nghệ làm giả ngày càng giỏi, nên đừng chỉ dựa vào mắt nhìn tai nghe. "
                    "Cách chắc chắn nhất là <strong>tự gọi lại</strong> cho người đó bằng số điện thoại bạn "
                    "đã lưu từ trước, hoặc hỏi một câu mà chỉ người trong nhà mới biết.</p>",
                ),
                (
                    "callout",
                    {
                        "kind": "warning",
                        "title": "Không chuyển tiền khi chưa xác minh",
                        "text": (
                            "<p>Dù thấy mặt, nghe giọng đúng là người quen, hễ có yêu cầu chuyển tiền qua mạng "
                            "thì phải kiểm tra lại bằng một cách khác. Nếu nghi ngờ bị lừa, hãy trình báo công an "
                            "xã, phường nơi gần nhất.</p>"
                        ),
                    },
                ),
                (
                    "rich_text",
                    "<h2>Đừng tiếp tay cho tin giả</h2>"
                    "<p>Trước khi chia sẻ một bức ảnh “gây sốc” hay một đoạn video lạ, hãy dừng lại và tự "
                    "hỏi: Ai làm ra nó? Báo chí chính thống có đưa tin không? Việc tạo ra hoặc lan truyền "
                    "hình ảnh, thông tin sai sự thật về người khác có thể bị xử lý theo quy định của pháp "
                    "luật. Một cú bấm “chia sẻ” thiếu suy nghĩ có thể làm tổn thương người khác.</p>",
                ),
                (
                    "callout",
                    {
                        "kind": "info",
                        "title": "Ghi nhớ",
                        "text": (
                            "<ul>"
                            "<li>AI có thể “ảo giác”: bịa ra thông tin nhưng nói rất chắc chắn.</li>"
                            "<li>Luôn đối chiếu con số, văn bản, số điện thoại với nguồn chính thức.</li>"
                            "<li>Deepfake có thể giả mặt, giả giọng người thân; hãy tự gọi lại số quen để xác minh.</li>"
                            "<li>Chưa kiểm chứng thì chưa tin, chưa chuyển tiền, chưa chia sẻ.</li>"
                            "</ul>"
                        ),
                    },
                ),
            ],
        },
        # ------------------------------------------------------------------
        {
            "slug": "ai-trong-cong-viec-va-dich-vu-cong",
            "title": "AI trong công việc và dịch vụ công",
            "estimated_minutes": 20,
            "competences": ["6.2", "6.3", "3.1"],
            "body": [
                (
                    "rich_text",
                    "<h2>AI giúp được gì trong công việc?</h2>"
                    "<p>Dùng đúng cách, AI giống như một người trợ lý chăm chỉ, giúp bạn làm nhanh những việc "
                    "lặp đi lặp lại để dành thời gian cho những việc cần con người hơn:</p>"
                    "<ul>"
                    "<li><strong>Soạn thảo bản nháp:</strong> thông báo, thư mời họp, bài giới thiệu sản phẩm.</li>"
                    "<li><strong>Tóm tắt:</strong> rút ý chính từ một tài liệu dài đã được công khai.</li>"
                    "<li><strong>Dịch:</strong> giới thiệu sản phẩm, trả lời khách nước ngoài.</li>"
                    "<li><strong>Lên kế hoạch:</strong> gợi ý các bước tổ chức một buổi tập huấn, một "
                    "hội chợ OCOP.</li>"
                    "<li><strong>Giải thích:</strong> hướng dẫn cách dùng một công thức trong bảng tính.</li>"
                    "</ul>"
                    "<h2>Một vài ví dụ ở Quảng Ninh</h2>"
                    "<ul>"
                    "<li>Chị Hương, cán bộ văn hóa – xã hội của một xã, nhờ AI viết bản nháp thông báo lịch "
                    "tiêm chủng cho dễ hiểu. Chị chỉ đưa những thông tin đã công khai: ngày, giờ, địa điểm. "
                    "Sau đó chị đọc lại, sửa cho đúng thực tế của xã rồi trình lãnh đạo duyệt.</li>"
                    "<li>Anh Dũng làm homestay ở Cô Tô dùng AI dịch lời chào và nội quy phòng sang tiếng Anh, "
                    "rồi nhờ một người bạn biết tiếng Anh đọc lại.</li>"
                    "<li>Chị Thu ở Đông Triều làm gốm, nhờ AI gợi ý cách viết câu chuyện sản phẩm để bán trên "
                    "mạng, rồi tự sửa lại theo đúng lời mình.</li>"
                    "</ul>"
                    "<h2>AI trong dịch vụ công</h2>"
                    "<p>Nhiều cơ quan nhà nước đang ứng dụng AI: trợ lý ảo trả lời câu hỏi thường gặp về "
                    "thủ tục, chuyển giọng nói thành văn bản, hỗ trợ phân tích số liệu để lập kế hoạch. "
                    "Những công cụ này giúp người dân được phục vụ nhanh hơn. Nhưng mọi quyết định ảnh hưởng "
                    "đến quyền lợi của người dân, như giải quyết hồ sơ, xét duyệt chế độ, vẫn phải do cán bộ "
                    "có thẩm quyền xem xét và chịu trách nhiệm.</p>",
                ),
                (
                    "callout",
                    {
                        "kind": "info",
                        "title": "Trách nhiệm luôn thuộc về con người",
                        "text": (
                            "<p>AI chỉ đưa ra bản nháp hoặc gợi ý. Người ký văn bản, người gửi tin nhắn, người "
                            "đăng bài mới là người chịu trách nhiệm về nội dung. Không thể đổ lỗi “tại AI viết "
                            "sai”.</p>"
                        ),
                    },
                ),
                (
                    "rich_text",
                    "<h2>Năm nguyên tắc khi dùng AI trong công việc</h2>"
                    "<ol>"
                    "<li><strong>Bảo vệ bí mật:</strong> không đưa tài liệu mật, bí mật nhà nước, hồ sơ và "
                    "dữ liệu cá nhân của người dân, thông tin nội bộ vào các công cụ AI công cộng. Chỉ dùng "
                    "công cụ được cơ quan, doanh nghiệp cho phép và làm đúng quy chế của đơn vị.</li>"
                    "<li><strong>Kiểm tra kỹ:</strong> đối chiếu căn cứ pháp lý, số liệu, tên người, tên địa "
                    "danh. Văn bản hành chính phải đúng thể thức theo quy định về công tác văn thư.</li>"
                    "<li><strong>Sửa thành lời của mình:</strong> bản nháp của AI thường chung chung. Hãy "
                    "thêm thông tin thực tế, bỏ những câu sáo rỗng, dùng lời lẽ phù hợp với người đọc.</li>"
                    "<li><strong>Minh bạch:</strong> khi phù hợp, cho đồng nghiệp, cấp trên biết phần nào có "
                    "AI hỗ trợ. Trợ lý ảo phục vụ người dân nên nói rõ đó là máy trả lời.</li>"
                    "<li><strong>Tôn trọng bản quyền:</strong> không dùng AI để sao chép nguyên văn bài viết, "
                    "hình ảnh của người khác rồi nhận là của mình.</li>"
                    "</ol>"
                    "<h2>Thực hành: tóm tắt một văn bản đã công khai</h2>"
                    "<ol>"
                    "<li>Chọn một văn bản <strong>đã được công bố công khai</strong>, ví dụ một thông báo "
                    "đăng trên trang thông tin điện tử của tỉnh.</li>"
                    "<li>Dán nội dung vào trợ lý AI và viết yêu cầu rõ ràng: “Tóm tắt văn bản sau thành 5 ý "
                    "chính, bằng lời dễ hiểu cho người dân ở thôn, mỗi ý không quá 2 câu.”</li>"
                    "<li>Đọc lại văn bản gốc, đánh dấu xem bản tóm tắt có bỏ sót, hiểu sai hoặc thêm thắt "
                    "điều gì không.</li>"
                    "<li>Sửa lại bản tóm tắt cho chính xác, phù hợp với địa phương.</li>"
                    "<li>Nếu dùng cho công việc chung, trình người có thẩm quyền xem trước khi đăng.</li>"
                    "</ol>",
                ),
                (
                    "callout",
                    {
                        "kind": "warning",
                        "title": "Dành cho cán bộ, công chức, đảng viên",
                        "text": (
                            "<p>Tuyệt đối không soạn thảo, lưu trữ hay tải lên tài liệu chứa bí mật nhà nước "
                            "trên máy tính, điện thoại có kết nối Internet, càng không đưa vào các công cụ AI. "
                            "Khi chưa rõ một tài liệu có được phép dùng hay không, hãy hỏi lãnh đạo đơn vị "
                            "trước.</p>"
                        ),
                    },
                ),
                (
                    "rich_text",
                    "<h2>Học để không bị bỏ lại phía sau</h2>"
                    "<p>AI không thay thế được sự thấu hiểu, sự tận tâm và khả năng phán đoán của con người, "
                    "nhất là khi tiếp xúc với bà con. Nhưng người biết dùng AI sẽ làm việc nhanh hơn, tốt "
                    "hơn. Hãy bắt đầu từ những việc nhỏ, an toàn, và thường xuyên tự hỏi: mình cần học thêm "
                    "điều gì để dùng công nghệ số tốt hơn?</p>",
                ),
                (
                    "callout",
                    {
                        "kind": "info",
                        "title": "Ghi nhớ",
                        "text": (
                            "<ul>"
                            "<li>AI giúp soạn nháp, tóm tắt, dịch, lên kế hoạch; con người kiểm tra và quyết định.</li>"
                            "<li>Không đưa bí mật nhà nước, dữ liệu của người dân, thông tin nội bộ vào AI công cộng.</li>"
                            "<li>Kiểm tra kỹ, sửa thành lời của mình, minh bạch và tôn trọng bản quyền.</li>"
                            "<li>Người ký, người gửi luôn là người chịu trách nhiệm.</li>"
                            "</ul>"
                        ),
                    },
                ),
            ],
        },
    ],
}
