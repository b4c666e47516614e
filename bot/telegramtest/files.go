package telegramtest

import (
	"net/http"
	"path"
	"strings"

	"github.com/go-telegram/bot/models"
)

// Files users send: SendDocument queues a message with a document whose
// content the server keeps; the bot gets it as Telegram serves it, with
// getFile and then GET /file/bot<token>/<file_path>.

// MaxDownload is the largest file getFile lets a bot download (20 MB).
const MaxDownload = 20 << 20

// DocOption adjusts a document sent by SendDocument.
type DocOption func(*models.Document)

// DeclaredSize makes the document's file_size n rather than the length of
// its data, as for a file too big to be stored here.
func DeclaredSize(n int64) DocOption {
	return func(d *models.Document) { d.FileSize = n }
}

// SendDocument queues a message from the user in the chat carrying a
// document (name, MIME type, content) and an optional caption, whose
// "/cmd" tokens get bot_command entities. The server keeps the content
// under a new file_id; it returns the update_id and the file_id.
func (s *Server) SendDocument(chat models.Chat, from models.User, name, mime string, data []byte, caption string, opts ...DocOption) (updateID int64, fileID string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	st := s.chatLocked(chat.ID)
	s.registerChatLocked(chat)
	s.users[from.ID] = from
	st.lastMsg++
	id := s.nextIDLocked("doc")
	s.files[id] = &File{ID: id, Name: name, Data: append([]byte(nil), data...)}
	doc := &models.Document{FileID: id, FileUniqueID: "u" + id, FileName: name, MimeType: mime, FileSize: int64(len(data))}
	for _, o := range opts {
		o(doc)
	}
	if doc.FileSize != int64(len(data)) {
		s.files[id].declared = doc.FileSize
	}
	m := &models.Message{
		ID:              st.lastMsg,
		From:            &from,
		Date:            int(s.now().Unix()),
		Chat:            chat,
		Document:        doc,
		Caption:         caption,
		CaptionEntities: commandEntities(caption),
	}
	return s.pushLocked(&models.Update{Message: m}), id
}

// getFile answers the file's path for download, as Telegram does: 400
// for an unknown file_id or a file over 20 MB.
func (s *Server) getFile(c *call) result {
	id := c.str("file_id")
	f := s.files[id]
	if id == "" || f == nil {
		return badRequest("invalid file_id")
	}
	size := f.size()
	if size > MaxDownload {
		return badRequest("file is too big")
	}
	return ok(models.File{FileID: id, FileUniqueID: "u" + id, FileSize: size, FilePath: filePath(f)})
}

// filePath is where a file is served: "documents/<file_id><ext>".
func filePath(f *File) string {
	return "documents/" + f.ID + strings.ToLower(path.Ext(f.Name))
}

// serveFile answers GET /file/bot<token>/<file_path> with the content.
func (s *Server) serveFile(w http.ResponseWriter, r *http.Request) {
	rest := strings.TrimPrefix(r.URL.Path, "/file/bot")
	token, p, found := strings.Cut(rest, "/")
	if !found || (s.opts.Token != "" && token != s.opts.Token) {
		http.Error(w, `{"ok":false,"error_code":404,"description":"Not Found"}`, http.StatusNotFound)
		return
	}
	s.mu.Lock()
	var data []byte
	for _, f := range s.files {
		if filePath(f) == p && f.Data != nil {
			data = append([]byte(nil), f.Data...)
			break
		}
	}
	s.mu.Unlock()
	if data == nil {
		http.Error(w, `{"ok":false,"error_code":404,"description":"Not Found"}`, http.StatusNotFound)
		return
	}
	w.Header().Set("Content-Type", "application/octet-stream")
	_, _ = w.Write(data)
}

func (f *File) size() int64 {
	if f.declared > 0 {
		return f.declared
	}
	return int64(len(f.Data))
}
