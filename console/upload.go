package console

import (
	"context"
	"errors"
	"fmt"
	"io"
	"mime"
	"os"
	"path/filepath"
	"strconv"

	"github.com/go-telegram/bot/models"
)

// maxUpload is the largest file :upload sends, as Telegram's bots may
// download at most 20 MB.
const maxUpload = 20 << 20

// upload sends the file at path to the bot as a document, as attaching a
// file in Telegram does; in a group chat with the caption /import, which
// is how a file is addressed to the bot there. The handlers fetch the
// content with Download.
func (c *Console) upload(ctx context.Context, h Handler, path string) {
	if path == "" {
		c.print("Cách dùng: :upload ĐƯỜNG_DẪN (vd. :upload chi-dao.xlsx)")
		return
	}
	f, err := os.Open(path)
	if err != nil {
		c.print("⚠ Không mở được tệp: " + err.Error())
		return
	}
	data, err := io.ReadAll(io.LimitReader(f, maxUpload+1))
	f.Close()
	if err != nil {
		c.print("⚠ Không đọc được tệp: " + err.Error())
		return
	}
	if len(data) > maxUpload {
		c.print(fmt.Sprintf("⚠ Tệp lớn hơn %d MB: Telegram không cho bot tải tệp lớn như vậy.", maxUpload>>20))
		return
	}
	name := filepath.Base(path)
	c.mu.Lock()
	c.updateID++
	c.messageID++
	id := "upload-" + strconv.Itoa(c.messageID)
	if c.uploads == nil {
		c.uploads = map[string][]byte{}
	}
	c.uploads[id] = data
	user := c.user
	m := &models.Message{
		ID:   c.messageID,
		From: &user,
		Date: int(c.opts.Now().Unix()),
		Chat: c.chat,
		Document: &models.Document{FileID: id, FileUniqueID: id, FileName: name,
			MimeType: mime.TypeByExtension(filepath.Ext(name)), FileSize: int64(len(data))},
	}
	if c.chat.Type != models.ChatTypePrivate {
		m.Caption, m.CaptionEntities = "/import", commandEntities("/import")
	}
	u := &models.Update{ID: c.updateID, Message: m}
	c.mu.Unlock()
	c.dispatch(ctx, h, u)
}

// Download returns the content of a file sent with :upload; it
// implements the handlers' Downloader.
func (c *Console) Download(_ context.Context, fileID string, max int64) ([]byte, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	data, ok := c.uploads[fileID]
	if !ok {
		return nil, errors.New("console: no such uploaded file")
	}
	if max > 0 && int64(len(data)) > max {
		return nil, fmt.Errorf("console: file of %d bytes, at most %d", len(data), max)
	}
	return data, nil
}
