package calfeed

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"log/slog"
	"net/http"
	"regexp"
	"strconv"
	"strings"
	"time"

	"golang.org/x/time/rate"

	"meetbot/store"
)

// Tokens finds the unit a feed token belongs to; *sqlstore.Store
// satisfies it. An unknown token is an error wrapping store.ErrNotFound.
type Tokens interface {
	UnitByFeedToken(ctx context.Context, token string) (store.Unit, error)
}

// Path is the pattern of a unit's feed: /calendar/<token>.ics.
const Path = "/calendar/"

// FeedURL returns the address of the feed with the token under the
// public base URL (PUBLIC_URL, with or without a trailing slash).
func FeedURL(publicURL, token string) string {
	return strings.TrimRight(publicURL, "/") + Path + token + ".ics"
}

// tokenRE is the shape of the tokens sqlstore makes (base32 of 20 random
// bytes, lower case); anything else is not looked up.
var tokenRE = regexp.MustCompile(`^[a-z2-7]{16,64}$`)

// HandlerOptions configure the feed handler.
type HandlerOptions struct {
	Location *time.Location
	// Now is the clock ("today" of the window); nil means time.Now.
	Now func() time.Time
	// Rate and Burst bound the requests served per second, over every
	// client (default 5 and 20): a calendar app polls every few hours,
	// so more means a runaway client.
	Rate  float64
	Burst int
	Log   *slog.Logger
}

// Handler serves GET /calendar/<token>.ics: the calendar of the unit
// the token belongs to (its own meetings and deadlines, restricted ones
// assigned to it included, as the unit sees them). An unknown or
// malformed token gets 404 with nothing said; the document carries an
// ETag, and a request with a matching If-None-Match gets 304.
type Handler struct {
	src     Source
	tokens  Tokens
	opts    HandlerOptions
	limiter *rate.Limiter
}

// NewHandler returns the feed handler.
func NewHandler(src Source, tokens Tokens, opts HandlerOptions) *Handler {
	if opts.Location == nil {
		opts.Location = time.UTC
	}
	if opts.Now == nil {
		opts.Now = time.Now
	}
	if opts.Rate <= 0 {
		opts.Rate = 5
	}
	if opts.Burst <= 0 {
		opts.Burst = 20
	}
	if opts.Log == nil {
		opts.Log = slog.New(slog.DiscardHandler)
	}
	return &Handler{src: src, tokens: tokens, opts: opts, limiter: rate.NewLimiter(rate.Limit(opts.Rate), opts.Burst)}
}

// Register adds the feed's route to mux.
func (h *Handler) Register(mux *http.ServeMux) {
	mux.Handle("GET "+Path+"{file}", h)
}

// ServeHTTP implements http.Handler.
func (h *Handler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodGet && r.Method != http.MethodHead {
		w.Header().Set("Allow", "GET, HEAD")
		http.Error(w, "method not allowed", http.StatusMethodNotAllowed)
		return
	}
	file := r.PathValue("file")
	if file == "" {
		file = strings.TrimPrefix(r.URL.Path, Path)
	}
	token, ok := strings.CutSuffix(file, ".ics")
	if !ok || !tokenRE.MatchString(token) {
		http.NotFound(w, r)
		return
	}
	if !h.limiter.Allow() {
		w.Header().Set("Retry-After", "60")
		http.Error(w, "too many requests", http.StatusTooManyRequests)
		return
	}
	ctx, cancel := context.WithTimeout(r.Context(), 20*time.Second)
	defer cancel()
	unit, err := h.tokens.UnitByFeedToken(ctx, token)
	if errors.Is(err, store.ErrNotFound) {
		http.NotFound(w, r)
		return
	}
	if err != nil {
		h.opts.Log.Error("calendar feed: look up token", "err", err)
		http.Error(w, "internal error", http.StatusInternalServerError)
		return
	}
	now := h.opts.Now()
	res, err := Build(ctx, h.src, Query{
		Viewer:   store.NewViewer(false, unit.ID),
		Unit:     unit.Ref(store.Date{}),
		Today:    store.DateIn(now, h.opts.Location),
		Location: h.opts.Location,
	})
	if err != nil {
		h.opts.Log.Error("calendar feed: build", "unit", unit.ID, "err", err)
		http.Error(w, "internal error", http.StatusInternalServerError)
		return
	}
	res.Calendar.Refresh = 6 * time.Hour // deadlines change by the day, not by the minute
	body, err := res.Calendar.Bytes()
	if err != nil {
		h.opts.Log.Error("calendar feed: encode", "unit", unit.ID, "err", err)
		http.Error(w, "internal error", http.StatusInternalServerError)
		return
	}
	sum := sha256.Sum256(body)
	etag := `"` + hex.EncodeToString(sum[:16]) + `"`
	hd := w.Header()
	hd.Set("Content-Type", "text/calendar; charset=utf-8")
	hd.Set("Content-Disposition", `inline; filename="meetbot-`+unit.Code+`.ics"`)
	// Private: the address is a secret; apps poll every few hours anyway.
	hd.Set("Cache-Control", "private, max-age=900")
	hd.Set("ETag", etag)
	hd.Set("X-Content-Type-Options", "nosniff")
	hd.Set("Referrer-Policy", "no-referrer")
	if match := r.Header.Get("If-None-Match"); match != "" && etagMatches(match, etag) {
		w.WriteHeader(http.StatusNotModified)
		return
	}
	// ServeContent would add ranges; a calendar is small and whole.
	hd.Set("Content-Length", strconv.Itoa(len(body)))
	w.WriteHeader(http.StatusOK)
	if r.Method == http.MethodHead {
		return
	}
	_, _ = w.Write(body)
}

// etagMatches reports whether an If-None-Match header names etag (or *).
func etagMatches(header, etag string) bool {
	for _, t := range strings.Split(header, ",") {
		t = strings.TrimSpace(t)
		t = strings.TrimPrefix(t, "W/")
		if t == "*" || t == etag {
			return true
		}
	}
	return false
}
