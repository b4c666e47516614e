package gen

// The vocabulary of the generated text: administrative Vietnamese with full
// diacritics, so that folded search ("bien gioi" for "biên giới") has
// work to do.

// syllables make up place names ("Lũng Phìn", "Sủng Thài").
var syllables = []string{
	"Lũng", "Cú", "Phìn", "Sủng", "Thài", "Sà", "Tả", "Lủng", "Mậu", "Duệ",
	"Sơn", "Vĩ", "Xín", "Cái", "Pả", "Vi", "Lùng", "Tám", "Nậm", "Ban",
	"Ngàm", "Đăng", "Hồ", "Quản", "Bạ", "Tùng", "Vài", "Cán", "Tỷ", "Thanh",
	"Thủy", "Minh", "Tân", "Lạc", "Nông", "Thượng", "Bạch", "Đích", "Khâu", "Vai",
	"Nấm", "Dẩn", "Chí", "Cà", "Ngán", "Chiên", "Bản", "Máy", "Pố", "Lồ",
	"Thèn", "Chu", "Séo", "Nàn", "Xỉn", "Hoàng", "Giàng", "Chùa", "Đồng", "Yên",
	"Mèo", "Vạc", "Văn", "Ma", "Lé", "Sảng", "Quyết", "Tiến", "Bằng", "Lang",
	"Hạ", "Trung", "Phong", "Quang", "Ngọc", "Linh", "Hồng", "Sính", "Hố", "Quán",
}

var familyNames = []string{
	"Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Vũ", "Đặng", "Bùi", "Đỗ", "Hồ",
	"Ngô", "Dương", "Lý", "Giàng", "Sùng", "Vàng", "Lò", "Thào", "Lù", "Mã",
}

var middleNames = []string{"Văn", "Thị", "Đức", "Minh", "Quang", "Ngọc", "Hữu", "Thanh", "Mí", "Seo", "Xuân", "Trọng"}

var givenNames = []string{
	"Sơn", "Hùng", "Dũng", "Hải", "Tuấn", "Lan", "Hương", "Mai", "Chính", "Dình",
	"Pó", "Chứ", "Páo", "Thắng", "Khánh", "Hà", "Nam", "Bình", "Thủy", "Phương",
	"Cường", "Đạt", "Lợi", "Hiền", "Quyết", "Thành", "Vượng", "Sính", "Tú", "Long",
}

// agencies are provincial departments and forces.
var agencies = []struct{ name, code, abbr string }{
	{"Sở Ngoại vụ", "so-ngoai-vu", "SNgV"},
	{"Sở Công Thương", "so-cong-thuong", "SCT"},
	{"Công an tỉnh", "cong-an", "CA"},
	{"Bộ Chỉ huy Quân sự tỉnh", "bchqs", "BCHQS"},
	{"Sở Nông nghiệp và Môi trường", "so-nn-mt", "SNNMT"},
	{"Sở Giáo dục và Đào tạo", "so-gd-dt", "SGDĐT"},
	{"Sở Tài chính", "so-tai-chinh", "STC"},
	{"Văn phòng UBND tỉnh", "vp-ubnd", "VP"},
}

// positions of people chairing meetings and issuing directives, by the
// level of the unit.
var (
	provincePositions = []string{
		"Bí thư Tỉnh ủy", "Phó Bí thư Tỉnh ủy, Chủ tịch UBND tỉnh", "Phó Chủ tịch UBND tỉnh",
		"Phó Bí thư Thường trực Tỉnh ủy", "Chỉ huy trưởng Bộ đội Biên phòng tỉnh", "Chánh Văn phòng UBND tỉnh",
	}
	districtPositions = []string{"Bí thư Huyện ủy", "Phó Bí thư Huyện ủy", "Chủ tịch UBND huyện", "Phó Chủ tịch UBND huyện"}
)

// docTypes name the kind of document a directive comes from, with the
// issuing body, as in "123/CT-UBND".
var docTypes = []string{
	"CT-UBND", "TB-UBND", "KL-TU", "CV-UBND", "QĐ-UBND", "TB-VPUBND",
	"KH-BĐBP", "CT-TU", "NQ-HĐND", "KH-UBND", "TB-BCĐ", "CV-BĐBP",
}

var verbs = []string{
	"Triển khai", "Tăng cường", "Đẩy mạnh", "Rà soát", "Kiểm tra", "Tổng kết",
	"Xây dựng kế hoạch", "Tổ chức thực hiện", "Hoàn thiện hồ sơ", "Báo cáo kết quả",
	"Tập trung chỉ đạo", "Quán triệt", "Nâng cao hiệu quả", "Củng cố", "Đôn đốc",
}

var topics = []string{
	"công tác quản lý, bảo vệ chủ quyền, an ninh biên giới",
	"phòng, chống buôn lậu, gian lận thương mại qua biên giới",
	"phòng, chống ma túy ở khu vực biên giới",
	"xây dựng nền biên phòng toàn dân",
	"xây dựng khu vực phòng thủ vững chắc",
	"nhiệm vụ quốc phòng - an ninh",
	"phòng, chống thiên tai, tìm kiếm cứu nạn",
	"phòng cháy, chữa cháy rừng",
	"cải cách hành chính",
	"chuyển đổi số trong cơ quan nhà nước",
	"giảm nghèo bền vững",
	"xây dựng nông thôn mới",
	"quản lý xuất nhập cảnh qua cửa khẩu",
	"hợp tác với các địa phương phía đối đẳng",
	"kết nghĩa cụm dân cư hai bên biên giới",
	"tuyên truyền, phổ biến pháp luật cho đồng bào vùng biên",
	"bài trừ hủ tục lạc hậu",
	"cải tạo vườn tạp",
	"phát triển du lịch cộng đồng",
	"phòng, chống dịch bệnh",
	"giải phóng mặt bằng các công trình trọng điểm",
	"bảo đảm trật tự, an toàn giao thông",
	"xây dựng cơ sở chính trị ở thôn, bản",
	"tiếp nhận và trao trả người qua biên giới",
	"bảo vệ mốc quốc giới và đường biên giới",
	"phòng, chống mua bán người",
	"giải quyết tình trạng di cư tự do",
	"bảo vệ rừng đầu nguồn",
	"hỗ trợ học sinh vùng cao đến trường",
	"sắp xếp đơn vị hành chính cấp xã",
	"đối ngoại biên phòng, ngoại giao nhân dân",
	"quản lý thương mại biên giới, lối mở",
	"an ninh trật tự khu vực cửa khẩu",
	"vận động quần chúng, phát huy vai trò người có uy tín",
}

var qualifiers = []string{
	"tại các xã biên giới",
	"trên địa bàn",
	"đợt cao điểm dịp Tết Nguyên đán",
	"giai đoạn 2021 - 2025",
	"trong mùa mưa bão",
	"ở các thôn, bản giáp biên",
	"theo kết luận của Thường trực Tỉnh ủy",
	"",
}

var meetingKinds = []string{
	"Hội nghị sơ kết", "Hội nghị tổng kết", "Hội nghị triển khai", "Họp giao ban",
	"Hội nghị rút kinh nghiệm", "Họp Ban Chỉ đạo", "Hội nghị trực tuyến",
}

var programKinds = []string{"chương trình", "đề án", "dự án", "mô hình", "phong trào"}

var bodySentences = []string{
	"Các đơn vị được giao chủ động xây dựng kế hoạch, phân công rõ người, rõ việc, rõ thời gian hoàn thành.",
	"Tăng cường phối hợp giữa cấp ủy, chính quyền địa phương với các đồn Biên phòng.",
	"Chú trọng công tác tuyên truyền, vận động đồng bào các dân tộc vùng biên.",
	"Kịp thời báo cáo những khó khăn, vướng mắc vượt thẩm quyền.",
	"Bảo đảm an ninh chính trị, trật tự an toàn xã hội trên tuyến biên giới.",
	"Huy động sự tham gia của già làng, trưởng bản, người có uy tín.",
	"Gắn nhiệm vụ với phát triển kinh tế - xã hội và củng cố quốc phòng - an ninh.",
	"Thực hiện nghiêm chế độ thông tin, báo cáo định kỳ.",
	"Rà soát, bổ sung quy chế phối hợp cho phù hợp với tình hình thực tế.",
	"Không để phát sinh điểm nóng, vụ việc phức tạp ở khu vực biên giới.",
}

var reportNotes = []string{
	"Đã xây dựng kế hoạch và triển khai tới cơ sở.",
	"Đang tổng hợp số liệu từ các xã.",
	"Đã tổ chức hội nghị quán triệt.",
	"Đã phối hợp với đồn Biên phòng kiểm tra thực tế.",
	"Còn vướng mắc về kinh phí, đề nghị hỗ trợ.",
	"Cơ bản hoàn thành, đang hoàn thiện báo cáo.",
	"",
}

var meetingTimes = []string{"07:30", "08:00", "08:30", "09:00", "13:30", "14:00", "14:30"}
