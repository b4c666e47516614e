package console

import (
	"bytes"
	"os"
	"strings"
	"testing"

	"github.com/go-telegram/bot"
	"github.com/go-telegram/bot/models"
)

func TestSendDocumentSavesTheFile(t *testing.T) {
	dir := t.TempDir()
	var out bytes.Buffer
	c := New(strings.NewReader(""), &out, Options{FilesDir: dir})
	for range 2 {
		_, err := c.SendDocument(t.Context(), &bot.SendDocumentParams{
			ChatID:    c.Chat().ID,
			Document:  &models.InputFileUpload{Filename: "../chi-dao.xlsx", Data: strings.NewReader("PK\x03\x04 workbook")},
			Caption:   "<b>Xuất dữ liệu</b> &amp; trạng thái",
			ParseMode: models.ParseModeHTML,
		})
		if err != nil {
			t.Fatal(err)
		}
	}
	for _, name := range []string{"chi-dao.xlsx", "chi-dao-2.xlsx"} {
		b, err := os.ReadFile(dir + "/" + name)
		if err != nil || string(b) != "PK\x03\x04 workbook" {
			t.Errorf("%s: %q, %v", name, b, err)
		}
	}
	if got := out.String(); !strings.Contains(got, "📎 Tệp: ../chi-dao.xlsx (13 B) — đã lưu tại "+dir+"/chi-dao.xlsx") || !strings.Contains(got, "Xuất dữ liệu & trạng thái") {
		t.Errorf("printed:\n%s", got)
	}
	if _, err := c.SendPhoto(t.Context(), &bot.SendPhotoParams{ChatID: c.Chat().ID, Photo: &models.InputFileString{Data: "file-id"}}); err == nil {
		t.Error("a photo without an upload was accepted")
	}
}
