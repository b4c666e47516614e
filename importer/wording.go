package importer

import (
	"fmt"
	"strings"

	"meetbot/store"
)

// This file words the problems of an import file in Vietnamese: the one
// place that turns store.ImportError (from Dataset.Validate and the
// store's Import) into text for the people who wrote the file, for YAML
// and workbooks alike, and the texts the YAML reader shares with the
// workbook reader.

// placeNames says, for one kind of file, how a problem names the other
// records, fields and lists it refers to.
type placeNames struct {
	// record names another record ("dòng 7" in a sheet).
	record func(record string) string
	// field names a field of the record at fault ("“Hoạt động từ”").
	field func(record, field string) string
	// list names where records of a list are written ("trang Đơn vị").
	list func(list string) string
	// noUnit says how to assign a directive to a unit.
	noUnit string
}

// problemText words ie in Vietnamese. A problem without a store.Problem
// (from another engine) keeps its message.
func problemText(ie store.ImportError, p placeNames) string {
	switch ie.Problem {
	case store.ProblemRequired:
		return "bắt buộc, không được để trống"
	case store.ProblemCodeFormat:
		return fmt.Sprintf("mã “%s” không hợp lệ: chỉ dùng chữ thường không dấu a-z, chữ số và các dấu '.', '_', '-' (vd. xin-man)", ie.Arg(0))
	case store.ProblemDuplicate:
		return fmt.Sprintf("mã “%s” trùng với %s", ie.Arg(0), p.record(ie.Arg(1)))
	case store.ProblemBefore:
		return "sớm hơn giá trị ở " + p.field(ie.Record, ie.Arg(0))
	case store.ProblemOwnParent:
		return "đơn vị không thể là cấp trên của chính nó"
	case store.ProblemTime:
		return timeText(ie.Arg(0))
	case store.ProblemNoUnit:
		return "chưa giao cho đơn vị nào: " + p.noUnit
	case store.ProblemReminders:
		return remindersText(ie.Arg(0))
	case store.ProblemAssignedTwice:
		return fmt.Sprintf("đơn vị “%s” được giao hai lần", ie.Arg(0))
	case store.ProblemRole:
		return fmt.Sprintf("vai trò “%s” không hợp lệ: ghi %s (chủ trì) hoặc %s (phối hợp)", ie.Arg(0), store.RoleLead, store.RoleSupport)
	case store.ProblemSameTime:
		return fmt.Sprintf("trùng thời gian với %s; các báo cáo của một đơn vị cần thời gian khác nhau", p.field(ie.Record, ie.Arg(0)))
	case store.ProblemPercent:
		return fmt.Sprintf("%s%% nằm ngoài khoảng 0–100", ie.Arg(0))
	case store.ProblemUnknown:
		noun, list := refNoun(ie.Arg(0))
		return fmt.Sprintf("không có %s mã “%s” (trong %s hay trong dữ liệu đã lưu)", noun, ie.Arg(1), p.list(list))
	case store.ProblemHasProgress:
		return fmt.Sprintf("đơn vị “%s” đã báo cáo tiến độ nên không bỏ khỏi chỉ đạo bằng nhập tệp được", ie.Arg(0))
	}
	return ie.Msg
}

// refNoun names the kind of record a reference is to, and its list.
func refNoun(what string) (noun, list string) {
	switch what {
	case "unit":
		return "đơn vị", "units"
	case "meeting":
		return "cuộc họp", "meetings"
	case "program":
		return "chương trình", "programs"
	}
	return what, what + "s"
}

// dateText is the problem of a day that cannot be read.
func dateText(s string) string {
	return fmt.Sprintf("ngày “%s” không hợp lệ, cần dạng dd/mm/yyyy (vd. 30/06/2024)", s)
}

// timeText is the problem of a time that cannot be read.
func timeText(s string) string {
	return fmt.Sprintf("thời gian “%s” không hợp lệ, cần dạng dd/mm/yyyy HH:MM (vd. 17/04/2024 08:00)", s)
}

// remindersText is the problem of a reminder ladder that cannot be read
// or is out of bounds.
func remindersText(s string) string {
	return fmt.Sprintf("lịch nhắc “%s” không hợp lệ: ghi số ngày so với hạn, cách nhau bằng dấu phẩy (vd. -7,-3,0), tối đa %d mốc, mỗi mốc trong khoảng ±%d ngày; hoặc off để tắt nhắc",
		s, store.MaxReminderRungs, store.MaxReminderOffset)
}

// yamlSyntax words the YAML parser's problems (go.yaml.in/yaml/v3's
// scanner and parser messages) in Vietnamese. The parser's other,
// rarer messages get syntaxFallback.
var yamlSyntax = map[string]string{
	"did not find expected '-' indicator":                          "thiếu dấu “- ” đầu mục, hoặc thụt lề không đều với các mục trên",
	"did not find expected key":                                    "thụt lề không đều (dòng này không thẳng hàng với các trường trên), hoặc có chữ thừa sau giá trị",
	"mapping values are not allowed in this context":               "dấu “:” đặt sai chỗ, hoặc dòng thụt lề sai; văn bản có dấu “:” hãy đặt trong dấu nháy kép",
	"mapping keys are not allowed in this context":                 "tên trường đặt sai chỗ; kiểm tra thụt lề",
	"block sequence entries are not allowed in this context":       "mục “- ” đặt sai chỗ; kiểm tra thụt lề",
	"could not find expected ':'":                                  "thiếu dấu “:” sau tên trường",
	"did not find expected node content":                           "thiếu giá trị (hoặc thiếu dấu đóng ngoặc)",
	"did not find expected ',' or ']'":                             "thiếu dấu “,” hoặc “]” trong danh sách [...]",
	"did not find expected ',' or '}'":                             "thiếu dấu “,” hoặc “}” trong {...}",
	"found character that cannot start any token":                  "có ký tự không được đứng đầu giá trị (như “@”, “`” hoặc dấu tab); hãy đặt giá trị trong dấu nháy kép",
	"found a tab character that violates indentation":              "thụt lề bằng dấu tab; YAML chỉ thụt lề bằng dấu cách",
	"found a tab character where an indentation space is expected": "thụt lề bằng dấu tab; YAML chỉ thụt lề bằng dấu cách",
	"found unexpected end of stream":                               "tệp kết thúc giữa chừng: thiếu dấu nháy hoặc dấu ngoặc đóng",
	"found unknown escape character":                               "trong dấu nháy kép có “\\” theo sau bởi ký tự không hợp lệ; dùng dấu nháy đơn hoặc viết “\\\\”",
	"found unexpected document indicator":                          "dòng “---” hoặc “...” nằm giữa giá trị",
	"control characters are not allowed":                           "tệp có ký tự điều khiển không được phép",
	"invalid leading UTF-8 octet":                                  "tệp không phải mã UTF-8; hãy lưu lại bằng mã UTF-8",
	"invalid trailing UTF-8 octet":                                 "tệp không phải mã UTF-8; hãy lưu lại bằng mã UTF-8",
	"incomplete UTF-8 octet sequence":                              "tệp không phải mã UTF-8; hãy lưu lại bằng mã UTF-8",
	"invalid length of a UTF-8 sequence":                           "tệp không phải mã UTF-8; hãy lưu lại bằng mã UTF-8",
	"invalid Unicode character":                                    "tệp có ký tự Unicode không hợp lệ",
	"found undefined tag handle":                                   "thẻ “!” không xác định; văn bản bắt đầu bằng “!” hãy đặt trong dấu nháy kép",
	"did not find expected whitespace or line break":               "thiếu dấu cách sau ký hiệu; văn bản có ký hiệu đặc biệt hãy đặt trong dấu nháy kép",
	"did not find expected comment or line break":                  "có chữ thừa sau giá trị; văn bản hãy đặt trọn trong dấu nháy kép",
	"found an indentation indicator equal to 0":                    "khối văn bản “|” hoặc “>” có số thụt lề bằng 0",
	"did not find expected alphabetic or numeric character":        "tên bí danh (“&”, “*”) cần chữ hoặc số ngay sau ký hiệu",
}

// syntaxFallback words a YAML parser problem that yamlSyntax lacks.
const syntaxFallback = "tệp không đúng cú pháp YAML; kiểm tra thụt lề, dấu “:” và các dấu nháy, ngoặc ở dòng này"

// syntaxText words a YAML parser problem in Vietnamese.
func syntaxText(msg string) string {
	if vi, ok := yamlSyntax[msg]; ok {
		return vi
	}
	if rest, ok := strings.CutPrefix(msg, "unknown anchor '"); ok {
		name, _, _ := strings.Cut(rest, "'")
		return fmt.Sprintf("bí danh “*%s” chưa được đặt (thiếu “&%s” ở phía trên)", name, name)
	}
	return syntaxFallback
}
