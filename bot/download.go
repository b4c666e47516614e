package bot

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"time"

	tgbot "github.com/go-telegram/bot"
)

// MaxDownloadSize is the largest file the Bot API lets a bot download.
const MaxDownloadSize = 20 << 20

// downloadTimeout bounds one download, getFile included.
const downloadTimeout = 2 * time.Minute

// ErrFileTooBig is wrapped by Download's error for a file over the limit.
var ErrFileTooBig = errors.New("file too big")

// Download fetches the content of the file with the id that a user sent:
// getFile, then GET <api>/file/bot<token>/<file_path>. It refuses a file
// over max bytes (max ≤ 0, or over MaxDownloadSize, means MaxDownloadSize)
// before downloading when getFile tells its size, and stops reading past
// max otherwise; both wrap ErrFileTooBig. The token never appears in its
// errors: URLs in them are redacted.
func (c *Client) Download(ctx context.Context, fileID string, max int64) ([]byte, error) {
	if max <= 0 || max > MaxDownloadSize {
		max = MaxDownloadSize
	}
	ctx, cancel := context.WithTimeout(ctx, downloadTimeout)
	defer cancel()
	f, err := c.TG.GetFile(ctx, &tgbot.GetFileParams{FileID: fileID})
	if err != nil {
		return nil, fmt.Errorf("get file: %s", Redact(err.Error(), c.cfg.Token))
	}
	if f.FileSize > max {
		return nil, fmt.Errorf("get file: %w: %d bytes, at most %d", ErrFileTooBig, f.FileSize, max)
	}
	if f.FilePath == "" {
		return nil, errors.New("get file: the Bot API gave no file_path")
	}
	link := c.cfg.APIURL + "/file/bot" + c.cfg.Token + "/" + (&url.URL{Path: f.FilePath}).EscapedPath()
	shown := Redact(link, c.cfg.Token)
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, link, nil)
	if err != nil {
		return nil, fmt.Errorf("download %s: %s", shown, Redact(err.Error(), c.cfg.Token))
	}
	resp, err := c.hc.Do(req)
	if err != nil {
		return nil, fmt.Errorf("download %s: %w", shown, redactErr(err, c.cfg.Token))
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		_, _ = io.Copy(io.Discard, io.LimitReader(resp.Body, 1<<16))
		return nil, fmt.Errorf("download %s: HTTP %d", shown, resp.StatusCode)
	}
	data, err := io.ReadAll(io.LimitReader(resp.Body, max+1))
	if err != nil {
		return nil, fmt.Errorf("download %s: %w", shown, redactErr(err, c.cfg.Token))
	}
	if int64(len(data)) > max {
		return nil, fmt.Errorf("download %s: %w: more than %d bytes", shown, ErrFileTooBig, max)
	}
	return data, nil
}
