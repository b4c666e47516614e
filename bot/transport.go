package bot

import (
	"io"
	"net/http"
	"net/url"
	"strings"
)

// transport is the HTTP round tripper of every Bot API call. It turns a
// 5xx answer into a *ServerError (the library would report it as an
// undecodable body or an untyped error) so the sender can retry it, and
// keeps the token out of error texts.
type transport struct {
	next  http.RoundTripper
	token string
}

func (t *transport) RoundTrip(r *http.Request) (*http.Response, error) {
	resp, err := t.next.RoundTrip(r)
	if err != nil {
		return nil, redactErr(err, t.token)
	}
	if resp.StatusCode >= 500 {
		_, _ = io.Copy(io.Discard, io.LimitReader(resp.Body, 1<<16))
		_ = resp.Body.Close()
		return nil, &ServerError{Status: resp.StatusCode}
	}
	return resp, nil
}

// redactErr removes the token from a transport error. http.Client wraps
// it again in a *url.Error whose URL the library redacts.
func redactErr(err error, token string) error {
	if token == "" || !strings.Contains(err.Error(), token) {
		return err
	}
	if ue, ok := err.(*url.Error); ok {
		ue.URL = strings.ReplaceAll(ue.URL, token, "***")
		if !strings.Contains(ue.Error(), token) {
			return ue
		}
	}
	return redactedError{msg: strings.ReplaceAll(err.Error(), token, "***"), err: err}
}

type redactedError struct {
	msg string
	err error
}

func (e redactedError) Error() string { return e.msg }

// Unwrap keeps errors.Is and errors.As working through the redaction.
func (e redactedError) Unwrap() error { return e.err }

// Redact replaces the token in s; used on every log line that carries an
// error from the Bot API path.
func Redact(s, token string) string {
	if token == "" {
		return s
	}
	return strings.ReplaceAll(s, token, "***")
}
