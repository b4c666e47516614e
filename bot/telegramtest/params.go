package telegramtest

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"mime"
	"mime/multipart"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"
)

// maxBody bounds a request body, files included (Telegram's upload limit
// for bots is 50 MB).
const maxBody = 64 << 20

// upload is a multipart file part.
type upload struct {
	name string // the part's file name
	data []byte
}

// call is one request being answered.
type call struct {
	ctx    context.Context
	at     time.Time
	method string
	params map[string]string
	files  map[string]upload

	hasChat  bool
	chatID   int64
	chatRef  string // "@username" given as chat_id
	chatErr  string // a chat_id that is neither a number nor "@name"
	threadID int
	pollGen  int // getUpdates: its rank among pollers
}

// readCall decodes the parameters of r: query string, then the body as
// multipart/form-data, application/x-www-form-urlencoded or JSON. Nested
// values (reply_markup, results, ...) stay JSON text, as in a form. It
// reads the body to its end (a client writing it through a pipe must not
// block) and does not modify r.
func readCall(r *http.Request) (*call, error) {
	c := &call{params: make(map[string]string), files: make(map[string]upload)}
	for k, v := range r.URL.Query() {
		if len(v) > 0 {
			c.params[k] = v[0]
		}
	}
	if r.Body == nil {
		return c, nil
	}
	body := http.MaxBytesReader(nil, r.Body, maxBody)
	defer func() { _, _ = io.Copy(io.Discard, body) }()
	ct, ctParams, _ := mime.ParseMediaType(r.Header.Get("Content-Type"))
	switch ct {
	case "multipart/form-data":
		boundary := ctParams["boundary"]
		if boundary == "" {
			return nil, errors.New("can't parse multipart body: no boundary")
		}
		mr := multipart.NewReader(body, boundary)
		for {
			part, err := mr.NextPart()
			if errors.Is(err, io.EOF) {
				break
			}
			if err != nil {
				return nil, fmt.Errorf("can't parse multipart body: %v", err)
			}
			data, err := io.ReadAll(part)
			if err != nil {
				return nil, fmt.Errorf("can't read multipart body: %v", err)
			}
			if name := part.FileName(); name != "" {
				c.files[part.FormName()] = upload{name: name, data: data}
			} else {
				c.params[part.FormName()] = string(data)
			}
		}
	case "application/x-www-form-urlencoded":
		data, err := io.ReadAll(body)
		if err != nil {
			return nil, fmt.Errorf("can't read body: %v", err)
		}
		form, err := url.ParseQuery(string(data))
		if err != nil {
			return nil, fmt.Errorf("can't parse form: %v", err)
		}
		for k, v := range form {
			if len(v) > 0 {
				c.params[k] = v[0]
			}
		}
	case "application/json":
		data, err := io.ReadAll(body)
		if err != nil {
			return nil, fmt.Errorf("can't read body: %v", err)
		}
		if len(bytes.TrimSpace(data)) == 0 {
			break
		}
		var obj map[string]json.RawMessage
		if err := json.Unmarshal(data, &obj); err != nil {
			return nil, fmt.Errorf("can't parse JSON object: %v", err)
		}
		for k, raw := range obj {
			v, present := jsonParam(raw)
			if present {
				c.params[k] = v
			}
		}
	}
	return c, nil
}

// jsonParam turns a JSON value into a form value: a string unquoted, null
// absent, anything else its JSON text.
func jsonParam(raw json.RawMessage) (string, bool) {
	raw = bytes.TrimSpace(raw)
	switch {
	case len(raw) == 0 || string(raw) == "null":
		return "", false
	case raw[0] == '"':
		var s string
		if err := json.Unmarshal(raw, &s); err != nil {
			return string(raw), true
		}
		return s, true
	}
	return string(raw), true
}

// parseChat reads chat_id and message_thread_id.
func (c *call) parseChat() {
	if v, found := c.params["message_thread_id"]; found {
		c.threadID, _ = strconv.Atoi(v)
	}
	v, found := c.params["chat_id"]
	if !found || v == "" {
		return
	}
	c.hasChat = true
	if strings.HasPrefix(v, "@") {
		c.chatRef = v
		return
	}
	id, err := strconv.ParseInt(v, 10, 64)
	if err != nil || id == 0 {
		c.chatErr = "chat not found"
		return
	}
	c.chatID = id
}

// floodKey names what a retry_after applies to: the chat, or the method
// for a request without chat.
func (c *call) floodKey() string {
	if c.chatID != 0 {
		return "chat:" + strconv.FormatInt(c.chatID, 10)
	}
	return "method:" + c.method
}

func (c *call) fileData() map[string][]byte {
	if len(c.files) == 0 {
		return nil
	}
	m := make(map[string][]byte, len(c.files))
	for k, f := range c.files {
		m[k] = f.data
	}
	return m
}

func (c *call) str(name string) string { return c.params[name] }

func (c *call) has(name string) bool {
	_, found := c.params[name]
	return found
}

func (c *call) boolean(name string) bool {
	b, _ := strconv.ParseBool(c.params[name])
	return b
}

// integer returns the parameter as a number; absent is 0 and no error.
func (c *call) integer(name string) (int64, error) {
	v, found := c.params[name]
	if !found || v == "" {
		return 0, nil
	}
	return strconv.ParseInt(v, 10, 64)
}
