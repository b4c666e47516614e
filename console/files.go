package console

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"github.com/go-telegram/bot"
	"github.com/go-telegram/bot/models"
)

// maxFileBytes is Telegram's limit for a file a bot sends (50 MB).
const maxFileBytes = 50 << 20

// SendDocument saves the file into Options.FilesDir and prints where, with
// its caption.
func (c *Console) SendDocument(ctx context.Context, p *bot.SendDocumentParams) (*models.Message, error) {
	if p == nil {
		return nil, errors.New("console: SendDocument: nil params")
	}
	return c.sendFile(ctx, "📎 Tệp", p.ChatID, p.Document, p.Caption, p.ParseMode, p.ReplyMarkup)
}

// SendPhoto is SendDocument for a picture.
func (c *Console) SendPhoto(ctx context.Context, p *bot.SendPhotoParams) (*models.Message, error) {
	if p == nil {
		return nil, errors.New("console: SendPhoto: nil params")
	}
	return c.sendFile(ctx, "🖼 Ảnh", p.ChatID, p.Photo, p.Caption, p.ParseMode, p.ReplyMarkup)
}

func (c *Console) sendFile(ctx context.Context, label string, chatID any, f models.InputFile, caption string, pm models.ParseMode, markup models.ReplyMarkup) (*models.Message, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	up, ok := f.(*models.InputFileUpload)
	if !ok || up == nil || up.Data == nil {
		return nil, badRequest("there is no file in the request")
	}
	data, err := io.ReadAll(io.LimitReader(up.Data, maxFileBytes+1))
	if err != nil {
		return nil, fmt.Errorf("console: read file: %w", err)
	}
	if len(data) > maxFileBytes {
		return nil, badRequest("file is too big")
	}
	text, perr := render(caption, pm)
	if perr != nil {
		return nil, badRequest(perr.Error())
	}
	path, err := c.saveFile(up.Filename, data)
	if err != nil {
		return nil, err
	}
	var b strings.Builder
	fmt.Fprintf(&b, "%s: %s (%s) — đã lưu tại %s\n", label, up.Filename, size(len(data)), path)
	if text != "" {
		b.WriteString(text + "\n")
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if other := c.otherChat(chatID); other != "" {
		b.WriteString("(gửi tới chat " + other + ")\n")
	}
	kb, _ := keyboardOf(markup)
	c.messageID++
	m := &models.Message{ID: c.messageID, Chat: c.chat, Caption: text, Document: &models.Document{FileName: up.Filename, FileSize: int64(len(data))}}
	if kb != nil {
		writeButtons(&b, kb.buttons)
		kb.messageID = m.ID
		c.last = kb
		c.messages[m.ID] = m
	}
	b.WriteString("\n")
	if err := c.writeLocked(b.String()); err != nil {
		return nil, fmt.Errorf("console: %w", err)
	}
	cp := *m
	return &cp, nil
}

// saveFile writes data under FilesDir (made on first use), never over an
// existing file.
func (c *Console) saveFile(name string, data []byte) (string, error) {
	c.mu.Lock()
	if c.filesDir == "" {
		dir := c.opts.FilesDir
		if dir == "" {
			d, err := os.MkdirTemp("", "meetbot-files-")
			if err != nil {
				c.mu.Unlock()
				return "", fmt.Errorf("console: %w", err)
			}
			dir = d
		}
		c.filesDir = dir
	}
	dir := c.filesDir
	c.mu.Unlock()
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return "", fmt.Errorf("console: %w", err)
	}
	base := filepath.Base(strings.ReplaceAll(name, "\\", "/"))
	if base == "." || base == "/" || base == "" {
		base = "tep"
	}
	ext := filepath.Ext(base)
	stem := strings.TrimSuffix(base, ext)
	path := filepath.Join(dir, base)
	for i := 2; ; i++ {
		f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o644)
		if errors.Is(err, os.ErrExist) {
			path = filepath.Join(dir, fmt.Sprintf("%s-%d%s", stem, i, ext))
			continue
		}
		if err != nil {
			return "", fmt.Errorf("console: %w", err)
		}
		_, werr := f.Write(data)
		if err := errors.Join(werr, f.Close()); err != nil {
			return "", fmt.Errorf("console: %w", err)
		}
		return path, nil
	}
}

func size(n int) string {
	switch {
	case n >= 1<<20:
		return fmt.Sprintf("%.1f MB", float64(n)/(1<<20))
	case n >= 1<<10:
		return fmt.Sprintf("%.1f KB", float64(n)/(1<<10))
	}
	return fmt.Sprintf("%d B", n)
}
