package handlers

// Files: an administrator sends a workbook (.xlsx), a .csv or a .yaml
// file to the bot and it is imported, with one status message edited as
// the import goes; /template sends the empty import workbook and /export
// the workbook of directives with their status per unit.

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"path/filepath"
	"strings"

	"github.com/go-telegram/bot"
	"github.com/go-telegram/bot/models"

	"meetbot/importer"
	"meetbot/store"
	"meetbot/tghtml"
	"meetbot/wording"
)

// Downloader fetches the content of a file a user sent (getFile and the
// file URL); *bot.Client satisfies it, and the console's :upload.
type Downloader interface {
	// Download returns the file's bytes, refusing files over max bytes.
	Download(ctx context.Context, fileID string, max int64) ([]byte, error)
}

// fileWho says who may import and export, in refusals.
const fileWho = entryWho

// maxImportErrorsLen bounds the visible text of an error list, under
// Telegram's 4096 characters with room for the header and the footer.
const maxImportErrorsLen = 3600

// onDocument answers a document: in a private chat, or in a group with
// the caption /import, it is imported; other documents in groups are
// none of the bot's business.
func (h *Handlers) onDocument(ctx context.Context, r *request, m *models.Message) {
	if !r.private {
		cmd, res := parseCommand(m.Caption, m.CaptionEntities, h.cfg.BotUsername)
		if res != ourCommand || cmd.Name != "import" {
			return
		}
	}
	v, err := h.importDocument(ctx, r, m.Document)
	if err != nil {
		v = h.errorView(r, err)
	}
	if v.html != "" {
		h.send(ctx, r, v)
	}
}

// importDocument imports the document, or returns why it cannot. The
// progress and the outcome go to one status message; the view returned
// is sent only when that message could not be sent at all, or for the
// refusals that come before it.
func (h *Handlers) importDocument(ctx context.Context, r *request, doc *models.Document) (view, error) {
	admin, err := h.isAdmin(ctx, r)
	if err != nil {
		return view{}, err
	}
	if !admin {
		return refusedView("nhập dữ liệu từ tệp", fileWho), nil
	}
	name := strings.TrimSpace(doc.FileName)
	format, err := importer.FormatFromPath(name)
	if err != nil {
		if f, mErr := importer.FormatFromMIME(doc.MimeType); mErr == nil && filepath.Ext(name) == "" {
			format, err = f, nil
		}
	}
	if err != nil {
		return unsupportedFile(name), nil
	}
	if h.deps.Files == nil || h.deps.Editor == nil {
		return message("ℹ️", "Nhập dữ liệu từ tệp chỉ dùng được với bot trên Telegram.", "Trên máy chủ, dùng lệnh: meetbot import TỆP"), nil
	}
	if doc.FileSize > importer.MaxWorkbookSize {
		return message("⚠️", fmt.Sprintf("Tệp lớn hơn %d MB, quá giới hạn nhập.", importer.MaxWorkbookSize>>20), "Hãy chia dữ liệu thành nhiều tệp nhỏ hơn rồi gửi lần lượt."), nil
	}

	st := h.startStatus(ctx, r, "⏳ Đang tải tệp…")
	data, err := h.deps.Files.Download(ctx, doc.FileID, importer.MaxWorkbookSize)
	if err != nil {
		h.deps.Log.Warn("download import file", "update_id", r.updateID, "err", err)
		return st.finish(ctx, message("⚠️", "Không tải được tệp từ Telegram.", "Hãy gửi lại tệp sau ít phút.")), nil
	}
	st.update(ctx, "🔎 Đang kiểm tra "+fileLabel(name)+"…")
	file, err := importer.Parse(bytes.NewReader(data), format, h.cfg.Location)
	if err != nil {
		if errors.Is(err, store.ErrInvalid) {
			return st.finish(ctx, importErrorsView(name, err)), nil
		}
		return st.finish(ctx, h.errorView(r, fmt.Errorf("read import file: %w", err))), nil
	}
	st.update(ctx, "💾 Đang ghi "+datasetSize(file.Dataset)+"…")
	res, err := h.deps.Editor.Import(ctx, file.Dataset, actorOf(r.user))
	if err != nil {
		if errors.Is(err, store.ErrInvalid) {
			return st.finish(ctx, importErrorsView(name, file.Locate(err))), nil
		}
		return st.finish(ctx, h.errorView(r, fmt.Errorf("import file: %w", err))), nil
	}
	return st.finish(ctx, importSummary(name, res)), nil
}

// datasetSize says what a dataset holds: "2 đơn vị, 7 chỉ đạo".
func datasetSize(ds *store.Dataset) string {
	var parts []string
	for _, k := range []struct {
		n    int
		noun string
	}{{len(ds.Units), "đơn vị"}, {len(ds.Programs), "chương trình"}, {len(ds.Meetings), "cuộc họp"}, {len(ds.Directives), "chỉ đạo"}} {
		if k.n > 0 {
			parts = append(parts, fmt.Sprintf("%d %s", k.n, k.noun))
		}
	}
	return strings.Join(parts, ", ")
}

// fileLabel names a file in messages.
func fileLabel(name string) string {
	if name == "" {
		return "tệp"
	}
	return "tệp " + name
}

// statusMessage is the one message an import edits as it goes.
type statusMessage struct {
	h  *Handlers
	r  *request
	id int // 0: it could not be sent
}

func (h *Handlers) startStatus(ctx context.Context, r *request, text string) *statusMessage {
	st := &statusMessage{h: h, r: r}
	m, err := h.deps.Sender.SendMessage(ctx, &bot.SendMessageParams{ChatID: r.chatID, MessageThreadID: r.thread,
		Text: tghtml.Escape(text), ParseMode: models.ParseModeHTML})
	if err != nil {
		h.deps.Log.Warn("send import status", "update_id", r.updateID, "err", err)
		return st
	}
	st.id = m.ID
	return st
}

func (st *statusMessage) update(ctx context.Context, text string) {
	if st.id == 0 {
		return
	}
	if _, err := st.h.deps.Sender.EditMessageText(ctx, &bot.EditMessageTextParams{ChatID: st.r.chatID, MessageID: st.id,
		Text: tghtml.Escape(text), ParseMode: models.ParseModeHTML}); err != nil && !notModified(err) {
		st.h.deps.Log.Warn("edit import status", "update_id", st.r.updateID, "err", err)
	}
}

// finish shows v in the status message; it returns the empty view when
// it did, and v to be sent when there is no status message.
func (st *statusMessage) finish(ctx context.Context, v view) view {
	if st.id == 0 {
		return v
	}
	st.h.present(ctx, st.r, target{chatID: st.r.chatID, messageID: st.id}, v)
	return view{}
}

// unsupportedFile answers a file of a type the import does not take.
func unsupportedFile(name string) view {
	var d tghtml.Builder
	d.Text("⚠️ Không nhập được " + fileLabel(name) + ": bot chỉ nhận tệp " + importer.Supported + ".").NL()
	d.Text("Gửi /template để lấy tệp Excel mẫu, điền dữ liệu rồi gửi lại tệp .xlsx.")
	return view{html: d.String()}
}

// importSummary tells what an import did, per kind of record.
func importSummary(name string, res store.ImportResult) view {
	var d tghtml.Builder
	if !res.Changed() {
		d.Text("ℹ️ Đã kiểm tra " + fileLabel(name) + ": không có gì thay đổi, mọi bản ghi đã có như trong tệp.").NL()
	} else {
		d.Text("✅ Đã nhập " + fileLabel(name) + ".").NL()
	}
	for _, k := range []struct {
		name string
		c    store.ImportCounts
	}{{"Đơn vị", res.Units}, {"Chương trình", res.Programs}, {"Cuộc họp", res.Meetings}, {"Chỉ đạo", res.Directives}} {
		if k.c.Created+k.c.Updated+k.c.Unchanged == 0 {
			continue
		}
		d.Text("• ").B(k.name).Textf(": %d mới, %d cập nhật, %d không đổi", k.c.Created, k.c.Updated, k.c.Unchanged).NL()
	}
	return view{html: d.String()}
}

// importErrorsView lists the problems of a file: nothing was imported.
// The list is cut to fit one message, with the number left out.
func importErrorsView(name string, err error) view {
	var lines []string
	var es importer.Errors
	switch ies, ok := store.ImportErrorsOf(err); {
	case errors.As(err, &es):
		for _, e := range es {
			lines = append(lines, e.Error())
		}
	case ok:
		for _, e := range ies {
			lines = append(lines, e.Error())
		}
	default:
		lines = []string{err.Error()}
	}
	var d tghtml.Builder
	if len(lines) == 1 {
		d.Text("❌ Không nhập gì từ " + fileLabel(name) + ": tệp có 1 lỗi.").NL()
	} else {
		d.Text("❌ Không nhập gì từ " + fileLabel(name) + fmt.Sprintf(": tệp có %d lỗi.", len(lines))).NL()
	}
	used := 0
	for i, l := range lines {
		l = tghtml.Truncate(l, 400)
		n := tghtml.UTF16Len(l) + 3
		if used+n > maxImportErrorsLen {
			d.Text(fmt.Sprintf("… và %d lỗi khác.", len(lines)-i)).NL()
			break
		}
		used += n
		d.Text("• " + l).NL()
	}
	d.NL().Text("Sửa các lỗi trên rồi gửi lại tệp (gửi /template để lấy tệp mẫu).")
	return view{html: d.String()}
}

// cmdImport: /import without a file says how to import.
func (h *Handlers) cmdImport(ctx context.Context, r *request, _ string) (view, error) {
	admin, err := h.isAdmin(ctx, r)
	if err != nil {
		return view{}, err
	}
	if !admin {
		return refusedView("nhập dữ liệu từ tệp", fileWho), nil
	}
	var d tghtml.Builder
	d.Text("📥 Để nhập dữ liệu, gửi cho bot tệp " + importer.Supported + ".").NL()
	d.Text("Trong nhóm, gửi tệp kèm chú thích /import. Gửi /template để lấy tệp Excel mẫu có hướng dẫn.").NL()
	d.Text("Có lỗi ở bất kỳ dòng nào thì không nhập gì; bot liệt kê lỗi theo trang, dòng, cột.")
	return view{html: d.String()}, nil
}

// cmdTemplate: /template sends the empty import workbook.
func (h *Handlers) cmdTemplate(ctx context.Context, r *request, _ string) (view, error) {
	admin, err := h.isAdmin(ctx, r)
	if err != nil {
		return view{}, err
	}
	if !admin {
		return refusedView("lấy tệp mẫu nhập dữ liệu", fileWho), nil
	}
	// The instructions list the units in service, by code and name.
	stored, err := h.deps.Store.Units(ctx, store.UnitFilter{})
	if err != nil {
		return view{}, fmt.Errorf("template units: %w", err)
	}
	units := make([]store.UnitRecord, len(stored))
	for i, u := range stored {
		units[i] = store.UnitRecord{Code: u.Code, Name: u.Name}
	}
	var buf bytes.Buffer
	if err := importer.Template(&buf, units); err != nil {
		return view{}, err
	}
	var d tghtml.Builder
	d.Text("📄 Tệp mẫu nhập dữ liệu. Điền các trang Đơn vị, Chương trình, Cuộc họp, Chỉ đạo theo trang “Hướng dẫn”, rồi gửi lại tệp cho bot.")
	return h.sendFile(ctx, r, "meetbot-mau-nhap-du-lieu.xlsx", buf.Bytes(), d.String())
}

// cmdExport: /export sends the workbook of directives with their status
// per unit as of today.
func (h *Handlers) cmdExport(ctx context.Context, r *request, _ string) (view, error) {
	admin, err := h.isAdmin(ctx, r)
	if err != nil {
		return view{}, err
	}
	if !admin {
		return refusedView("xuất dữ liệu", fileWho), nil
	}
	if h.deps.Editor == nil {
		return message("ℹ️", "Xuất dữ liệu chưa được bật ở đây.", "Hãy dùng bot trên Telegram."), nil
	}
	ds, err := h.deps.Editor.Export(ctx, store.ExportFilter{Viewer: adminViewer})
	if err != nil {
		return view{}, fmt.Errorf("export: %w", err)
	}
	today := r.rd.today
	var buf bytes.Buffer
	if err := importer.Export(&buf, ds, today, h.cfg.Location); err != nil {
		return view{}, err
	}
	var counts store.StatusCounts
	for _, d := range ds.Directives {
		for _, a := range d.Assignments {
			done := a.CompletedOn
			if done.IsZero() {
				done = d.ClosedOn
			}
			counts.Add(store.StatusAt(d.Deadline, done, today))
		}
	}
	var d tghtml.Builder
	d.Text("📊 ").B("Chỉ đạo và tình trạng thực hiện").Text(" tính đến ngày " + today.DMY()).NL()
	d.Textf("%d chỉ đạo, %d lượt giao đơn vị:", len(ds.Directives), counts.Total()).NL()
	for _, c := range []struct {
		s store.Status
		n int
	}{
		{store.StatusDoneOnTime, counts.DoneOnTime}, {store.StatusDoneLate, counts.DoneLate},
		{store.StatusPending, counts.Pending}, {store.StatusOverdue, counts.Overdue}, {store.StatusOngoing, counts.Ongoing},
	} {
		d.Textf("%s %s: %d", wording.StatusEmoji(c.s), wording.StatusName(c.s), c.n).NL()
	}
	d.Text("Trang “Tình trạng”: từng đơn vị; các trang sau theo mẫu nhập, sửa xong gửi lại được.")
	return h.sendFile(ctx, r, "meetbot-chi-dao-"+today.String()+".xlsx", buf.Bytes(), d.String())
}

// sendFile sends a file (a workbook, a calendar) with an HTML caption to
// the request's chat.
func (h *Handlers) sendFile(ctx context.Context, r *request, name string, data []byte, caption string) (view, error) {
	_, err := h.deps.Sender.SendDocument(ctx, &bot.SendDocumentParams{
		ChatID:          r.chatID,
		MessageThreadID: r.thread,
		Document:        &models.InputFileUpload{Filename: name, Data: bytes.NewReader(data)},
		Caption:         caption,
		ParseMode:       models.ParseModeHTML,
	})
	if err != nil {
		return view{}, fmt.Errorf("send %s: %w", name, err)
	}
	return view{}, nil
}
