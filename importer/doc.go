// Package importer reads import files into a store.Dataset: the units,
// programs, meetings and directives that `meetbot import` (and a file sent
// to the bot) creates or updates. Three formats: Excel workbooks (.xlsx)
// in the layout of the template, CSV files with the columns of its
// directives sheet, and YAML. It also writes workbooks: Template (the
// empty layout with instructions), Workbook (a dataset in the layout) and
// Export (a dataset with a status sheet per directive and unit).
//
// # Reading
//
// Decode and ReadFile check the file's structure; Load and LoadFile also
// check the records (store.Dataset.Validate). Every problem is reported at
// once, in line order, as an Errors value that wraps store.ErrInvalid.
// The problems are worded in Vietnamese, for the people who write the
// files, in chat and in `meetbot import` alike; they name the line, the
// record and the field (YAML) or the sheet, row and column (workbooks):
//
//	data.yaml: 2 lỗi:
//	dòng 12, units[1] (bdbp), trường alias: không có trường này; có phải là “aliases”?
//	dòng 42, directives[3] (HNXM-2024/03), trường deadline: ngày “31/04/2024” không hợp lệ, cần dạng dd/mm/yyyy (vd. 30/06/2024)
//
// The problems store.Dataset.Validate and the store's Import find come as
// store.ImportError values with a store.Problem code; wording.go words
// them, for every format, in one place.
//
// The reading is strict: an unknown or repeated field, a value of the
// wrong type, an empty file or a file of several YAML documents ("---")
// is an error. Text is stored in Unicode NFC without surrounding white
// space. Anchors, aliases and merge keys ("<<") may be used to repeat
// parts, such as a list of assigned units.
//
// Files are read whole, and are limited to MaxFileSize (64 MiB, some 50,000
// directives): YAML takes about 15 times the file's size in memory.
//
// # Schema
//
// The file is one YAML mapping with up to four lists. Required fields are
// marked *.
//
//	units:        code*, name*, kind, parent, aliases, former_names
//	              ({name*, from, to}), active_from, active_to, successor
//	programs:     code*, name*, kind, start_year, end_year, vision_year,
//	              owner, description, restricted
//	meetings:     key*, title*, starts_at*, ends_at, place, chair_name,
//	              chair_position, organiser, attendees, summary, source,
//	              source_url, note, restricted
//	directives:   code*, title*, body, issuer_name, issuer_position,
//	              issued_on, meeting, source_doc, program, deadline,
//	              deadline_note, closed_on, restricted, assignments*
//	assignments:  unit*, role, completed_on, completion_note, reports
//	reports:      at*, percent*, note, doc_number, reporter
//
// Values:
//   - Unit codes are lower-case ASCII letters, digits, '.', '_' and '-'
//     ("xin-man"); program codes, meeting keys and directive codes are any
//     text, unique within their kind, compared without case.
//   - kind of a unit: province, border-guard, border-post, district,
//     commune, agency (store.UnitKind); others are kept as written.
//   - kind of a program, in Vietnamese: chương trình, đề án, dự án, mô
//     hình, phong trào.
//   - Days (issued_on, deadline, closed_on, completed_on, active_from,
//     active_to, from, to): 2024-04-17 or 17/04/2024.
//   - Times (starts_at, ends_at, reports' at): RFC 3339
//     (2024-04-17T08:00:00+07:00), or a local time in the office's zone:
//     2024-04-17 08:00, 17/04/2024 08:00, or a bare day.
//   - parent, successor, owner, organiser, attendees and assignments' unit
//     are unit codes; a directive's meeting is a meeting key and its program
//     a program code.
//   - role: lead (chủ trì) or support (phối hợp).
//   - A directive without a deadline is standing (thường xuyên).
//   - percent: a whole number from 0 to 100.
//   - restricted: true or false; stored now, honoured when per-user
//     visibility arrives (restricted records will be shown only to
//     administrators and the assigned units).
//
// Importing adds progress (completions, reports) to what is stored and
// never removes any: progress recorded in chat survives a re-import.
//
// # Workbooks (.xlsx)
//
// One sheet per kind of record, found by its title (Vietnamese, without
// regard to case or diacritics, or the English list name): "Đơn vị"
// (units), "Chương trình" (programs), "Cuộc họp" (meetings) and "Chỉ đạo"
// (directives, required). Other sheets ("Hướng dẫn", the export's "Tình
// trạng", the user's own) are ignored. In each sheet the header row is the
// first of the top 10 rows naming the key column; headers are the
// Vietnamese titles below (a trailing "*" marks a required column in the
// template) or the English field names. Columns may come in any order;
// an unknown or repeated header is an error. Each row after the header is
// one record; empty rows (and what merged cells leave) are skipped, and
// so are example rows, whose key cell starts with "Ví dụ:". Formula cells
// are read by their cached values.
//
//	Đơn vị:       Mã đơn vị* (code), Tên đơn vị* (name), Loại (kind),
//	              Đơn vị cấp trên (parent), Tên gọi khác (aliases),
//	              Tên cũ (former_names: "tên | từ | đến" per line),
//	              Hoạt động từ, Hoạt động đến (active_from, active_to),
//	              Đơn vị kế thừa (successor)
//	Chương trình: Mã chương trình*, Tên chương trình*, Loại, Từ năm,
//	              Đến năm, Tầm nhìn đến năm, Đơn vị chủ quản (owner), Mô tả,
//	              Hạn chế (restricted)
//	Cuộc họp:     Mã cuộc họp* (key), Tên cuộc họp*, Bắt đầu* (starts_at),
//	              Kết thúc, Địa điểm, Người chủ trì, Chức vụ người chủ trì,
//	              Đơn vị tổ chức (organiser), Đơn vị dự (attendees),
//	              Kết quả (summary), Nguồn, Đường dẫn (source_url), Ghi chú,
//	              Hạn chế
//	Chỉ đạo:      Số/ký hiệu* (code), Tiêu đề* (title), Nội dung (body),
//	              Đơn vị chủ trì (lead), Đơn vị phối hợp (support),
//	              Thời hạn (deadline), Ghi chú thời hạn, Người chỉ đạo,
//	              Chức vụ, Ngày chỉ đạo (issued_on), Mã cuộc họp (meeting),
//	              Văn bản (source_doc), Mã chương trình (program),
//	              Ngày kết thúc (closed_on), Hạn chế, Nhắc hạn (reminders)
//
// Values: units are codes, several separated by ';' (also ',' or new
// lines): "xin-man; hoang-su-phi". Instead of the lead and support
// columns a sheet may have one "Đơn vị thực hiện" (units) column: the
// first unit leads, the others support. Days are dd/mm/yyyy, YYYY-MM-DD or
// Excel date cells; meeting times dd/mm/yyyy HH:MM or date-time cells. An
// empty deadline (or "thường xuyên") is a standing directive. Hạn chế is
// "Có" or empty. Aliases are separated by ';'.
//
// The workbook carries records, not progress: completions and reports are
// recorded in chat (an import never removes them), and the export's
// status sheet shows them. A workbook is at most MaxWorkbookSize (20 MB,
// what Telegram lets a bot download) with at most MaxRows rows a sheet.
// Problems are reported all at once with their sheet, row and column as
// Excel shows them ("trang Chỉ đạo, dòng 7, cột E (Thời hạn): …"), in
// Vietnamese; File.Locate places the problems the store finds (unknown
// units, meetings, programs) the same way.
//
// # CSV
//
// A CSV file holds the directives sheet: a header row, then one directive
// a row. UTF-8 with or without a byte order mark; comma or semicolon
// separated (what Excel writes where the decimal mark is a comma),
// detected from the header row.
//
// # Example
//
// A complete example, built from the meeting of 17/04/2024 in Xín Mần
// (the same file is in testdata/example.yaml; the tests decode it):
//
//	# A meetbot import file. Four lists, each optional: units, programs,
//	# meetings, directives. Records are matched by their code (a meeting by its
//	# key): importing the same file again changes nothing, and a changed field
//	# updates the stored record. Records refer to each other by code, to
//	# records in this file or already stored.
//	units:
//	  - code: tinh-uy                 # required: a-z 0-9 . _ - (lower case)
//	    name: Tỉnh ủy Hà Giang        # required: the current name
//	    kind: province                # province | border-guard | border-post |
//	                                  # district | commune | agency
//	    aliases: [Tỉnh uỷ Hà Giang, tinh uy]
//	  - code: bdbp
//	    name: Đảng ủy Bộ đội Biên phòng tỉnh Hà Giang
//	    kind: border-guard
//	    parent: tinh-uy               # code of the unit above it
//	    aliases:                      # what users may type instead of the name
//	      - BĐBP                      # (compared without case and diacritics)
//	      - biên phòng
//	  - code: xin-man
//	    name: Huyện ủy Xín Mần
//	    kind: district
//	    parent: tinh-uy
//	    aliases: [XM, Xín Mần]
//	    # A unit that was renamed, merged or retired keeps its history:
//	    # former_names:               # earlier names and the days they were used
//	    #   - {name: <old name>, from: 2010-01-01, to: 2019-12-31}
//	    # active_from: 2020-01-01     # first day the unit exists
//	    # active_to: 2025-06-30       # last day; empty while it exists
//	    # successor: <code>           # the unit that took over its work
//
//	programs:
//	  - code: de-an-hop-tac-van-nam-quang-tay   # required
//	    name: Nâng cao hiệu quả hợp tác giữa tỉnh Hà Giang với tỉnh Vân Nam và khu tự trị dân tộc Choang, Quảng Tây, Trung Quốc giai đoạn 2020 - 2025, tầm nhìn 2030
//	    kind: đề án                   # chương trình | đề án | dự án | mô hình | phong trào
//	    start_year: 2020
//	    end_year: 2025
//	    vision_year: 2030
//	    # owner: ubnd-tinh            # code of the unit in charge, if known
//	    description: >-
//	      Hợp tác giữa Hà Giang với Vân Nam và Quảng Tây (Trung Quốc).
//	    restricted: false             # true: shown only to authorised chats
//
//	meetings:
//	  - key: hn-xin-man-2024-04-17    # required: any text, unique among meetings
//	    title: Hội nghị sơ kết 1 năm thực hiện Quy chế phối hợp giữa Đảng ủy Bộ đội Biên phòng tỉnh với Huyện ủy 7 huyện biên giới của tỉnh Hà Giang năm 2023
//	    starts_at: 2024-04-17 08:00   # required: local time (office's zone),
//	                                  # "17/04/2024 08:00", a bare day, or RFC 3339
//	    # ends_at: 2024-04-17 11:30   # optional, same forms
//	    place: huyện Xín Mần
//	    chair_name: Nguyễn Văn Sơn
//	    chair_position: Phó Bí thư Tỉnh ủy, Chủ tịch UBND tỉnh
//	    organiser: bdbp               # unit code
//	    attendees: [bdbp, xin-man]    # unit codes
//	    summary: |                    # "|" keeps line breaks, ">-" folds lines
//	      Đánh giá kết quả phối hợp năm 2023 về chủ quyền, an ninh biên giới.
//	      Đề ra nhiệm vụ cho thời gian tới.
//	    source: Đài Phát thanh và Truyền hình Hà Giang, 18/04/2024
//	    # source_url: https://…       # link to the document or article, if any
//	    note: Giờ bắt đầu là giờ mẫu; bài báo chỉ nêu ngày.
//
//	directives:
//	  - code: HNXM-2024/04            # required: document number or own code
//	    title: Thực hiện hiệu quả Đề án hợp tác với Vân Nam và Quảng Tây   # required
//	    body: >-
//	      Triển khai có kết quả Đề án hợp tác giữa tỉnh Hà Giang với tỉnh
//	      Vân Nam và khu tự trị dân tộc Choang, Quảng Tây.
//	    issuer_name: Nguyễn Văn Sơn
//	    issuer_position: Chủ tịch UBND tỉnh
//	    issued_on: 17/04/2024         # a day: 2024-04-17 or 17/04/2024
//	    meeting: hn-xin-man-2024-04-17   # key of the meeting it came from
//	    # source_doc: 123/TB-VPUBND   # or the document it came from
//	    program: de-an-hop-tac-van-nam-quang-tay   # code of the program it serves
//	    deadline: 2024-12-31          # empty: a standing directive (thường xuyên)
//	    deadline_note: Hạn mẫu — bài báo không nêu thời hạn
//	    # closed_on: 2025-01-15       # the office closed it as a whole
//	    assignments:                  # required: at least one unit
//	      - unit: bdbp                # unit code
//	        role: lead                # lead (chủ trì) | support (phối hợp)
//	        reports:                  # progress, added to what is stored
//	          - at: 2024-06-30 16:00  # required, like starts_at
//	            percent: 50           # required, 0–100
//	            note: Báo cáo mẫu.
//	            doc_number: 01/BC-MAU # optional
//	            reporter: Văn phòng   # optional
//	        completed_on: 2024-12-20  # the day the unit finished its share
//	        completion_note: Hoàn thành mẫu.
//	      - unit: xin-man
//	        role: support
package importer
