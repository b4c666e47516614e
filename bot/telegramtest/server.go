// Package telegramtest is a fake Telegram Bot API server for end-to-end
// tests and benchmarks of the bot.
//
// It answers the methods the bot uses the way Telegram does (same JSON
// envelopes, same error codes and, where known, the same descriptions),
// keeps the state a test wants to look at (messages as edited, callback
// and inline answers, command menus), and plays the users' side: messages
// with commands, button presses, inline queries, membership changes and
// group migrations become updates for getUpdates or a webhook. Faults,
// kicked chats, blocked users and rate limits are scripted.
//
// Point the real client at it:
//
//	s := telegramtest.New(telegramtest.Options{Token: "1:test"})
//	defer s.Close()
//	b, _ := bot.New("1:test", bot.WithServerURL(s.Start()), bot.WithSkipGetMe())
//
// or, without a network (under testing/synctest, for instance):
//
//	b, _ := bot.New("1:test", bot.WithServerURL("http://telegram.test"), bot.WithSkipGetMe(),
//		bot.WithHTTPClient(time.Minute, &http.Client{Transport: s.Transport()}))
//
// What a user of the fake must know:
//
//   - Updates are queued by PushUpdate, SendText, SendDocument, PressButton,
//     InlineQuery, ChangeMembership and MigrateGroup, and leave the queue when a
//     getUpdates offset confirms them or the webhook accepts them; Pending
//     counts them. getUpdates without a timeout returns at once, as
//     Telegram's short polling does; with one it waits up to the smaller of
//     it and Options.LongPoll.
//   - With a webhook set, getUpdates answers 409 and updates are delivered
//     only by DeliverWebhook, or by a background deliverer with
//     Options.WebhookAuto.
//   - Wait(ctx, cond) re-checks cond after every change, with no polling.
//   - Requests leaves getUpdates out unless Options.RecordGetUpdates. The
//     token is never recorded.
//   - HTML is checked more strictly than Telegram does: a bare '>' or an
//     '&' that starts no entity is refused (see tghtml.Parse).
//   - Violations lists sends that break Options.Limits and sends made
//     before a retry_after given for the chat (injected or not) had passed;
//     a well-behaved client leaves it empty.
//
// A Server is safe for concurrent use.
package telegramtest

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/go-telegram/bot/models"
)

// Options configure a Server. The zero value works: any token is accepted
// and nothing is rate limited.
type Options struct {
	// Token is the bot token requests must carry in their path
	// (/bot<token>/<method>); a request with another token is answered 401
	// Unauthorized. Empty accepts any token.
	Token string
	// Bot is the getMe answer and the sender of the bot's messages. IsBot
	// is forced true; a zero ID is taken from the token's digits before
	// ':' (or 1); an empty Username becomes "meetbot_test_bot" and an empty
	// FirstName "Meetbot Test".
	Bot models.User
	// Now is the clock for message dates, request times and rate-limit
	// windows; nil means time.Now.
	Now func() time.Time
	// Limits enables Telegram's sending limits; nil enforces none.
	Limits *Limits
	// LongPoll is the longest time getUpdates waits when no update is
	// queued (default 200ms). A smaller timeout in the request wins; a
	// request without timeout (or timeout=0) returns at once, as in
	// Telegram.
	LongPoll time.Duration

	// RecordGetUpdates makes Requests include getUpdates calls, which are
	// left out by default because a poller makes many of them.
	RecordGetUpdates bool
	// StrictChats answers 400 "Bad Request: chat not found" to requests
	// for a chat the server has not seen (in an update, or through
	// Server.PrivateChat, Server.Group, Server.Forum). By default any chat
	// id is accepted: a positive id is a private chat, a negative one a
	// supergroup.
	StrictChats bool
	// WebhookAuto starts a background deliverer when setWebhook succeeds:
	// it POSTs queued updates to the webhook one at a time, in order, and
	// retries a failed delivery with a backoff from 50ms up to 2s. Without
	// it, call Server.DeliverWebhook.
	WebhookAuto bool
	// WebhookClient posts updates to the webhook; nil means a client with
	// a 10s timeout.
	WebhookClient *http.Client
}

// Limits are Telegram's sending limits. A zero field is not enforced.
// sendMessage, editMessageText, sendDocument and sendPhoto count; other
// methods do not. A send that would exceed a limit is answered 429 and is
// recorded in Violations.
type Limits struct {
	// Global is the most messages in any 1 s window, over all chats (30).
	Global int
	// PerChat is the most messages in any 1 s window to one private chat,
	// chat id > 0 (1).
	PerChat int
	// PerGroup is the most messages in any 60 s window to one group or
	// channel, chat id < 0 (20).
	PerGroup int
	// RetryAfter is the retry_after, in seconds, of the 429 answered when
	// a limit is exceeded. Zero computes it: the time until the window has
	// room again, rounded up to whole seconds, at least 1.
	RetryAfter int
}

// TelegramLimits returns the limits of Telegram's Bot FAQ: 30 messages a
// second in total, 1 a second per private chat, 20 a minute per group.
func TelegramLimits() *Limits {
	return &Limits{Global: 30, PerChat: 1, PerGroup: 20}
}

// Fault is a scripted failure. Faults are matched in the order injected;
// the first that matches a request answers it instead of the method, and
// is used up after Times requests.
type Fault struct {
	// Method matches the method name, case-insensitively. Empty matches
	// every method except getUpdates (a poller would use the fault up);
	// name getUpdates to fault it.
	Method string
	// ChatID matches the request's chat_id; 0 matches any request.
	ChatID int64
	// Status is the error code answered. Zero means 429 when RetryAfter is
	// set, 400 when MigrateTo is set, 500 otherwise.
	Status int
	// Description is the error description. Empty gives Telegram's usual
	// one for Status ("Too Many Requests: retry after N", "Bad Request:
	// group chat was upgraded to a supergroup chat", ...).
	Description string
	// RetryAfter is parameters.retry_after. A fault with it counts as a
	// 429 given for the chat: sending to the chat before it has passed is
	// a violation.
	RetryAfter int
	// MigrateTo is parameters.migrate_to_chat_id.
	MigrateTo int64
	// Times is how many requests the fault answers; 0 means 1, a negative
	// value means every matching request from now on.
	Times int
	// Hang makes the server never answer: the request ends when its
	// context ends or the server is closed. For timeout tests.
	Hang bool
}

// Server is a fake Bot API server. Create it with New.
type Server struct {
	opts     Options
	bot      models.User
	now      func() time.Time
	longPoll time.Duration
	hook     *http.Client

	ctx    context.Context // ends at Close
	cancel context.CancelFunc
	wg     sync.WaitGroup // the background webhook deliverer

	deliverMu sync.Mutex // one webhook delivery at a time, in order

	mu            sync.Mutex
	changed       chan struct{} // closed and replaced on every change
	closed        bool
	ts            *httptest.Server
	reqs          []Request
	faults        []Fault
	chats         map[int64]*chatState
	users         map[int64]models.User
	migrated      map[int64]int64
	blocked       map[int64]bool
	queue         []queuedUpdate
	lastUpdateID  int64
	allowed       []string
	pollGen       int
	webhook       webhookState
	hookRunning   bool
	callbacks     map[string]bool // callback query ids not yet answered
	inlineQueries map[string]bool // inline query ids not yet answered
	cbAnswers     []CallbackAnswer
	inAnswers     []InlineAnswer
	commands      map[string][]models.BotCommand
	violations    []string
	files         map[string]*File
	lastID        int64 // for callback, inline query and file ids
	globalSends   []time.Time
	notBefore     map[string]time.Time // retry_after given, by flood key
}

// New returns a Server; call Start for an HTTP URL or Transport for an
// in-process client, and Close at the end.
func New(opts Options) *Server {
	s := &Server{
		opts:          opts,
		now:           opts.Now,
		longPoll:      opts.LongPoll,
		hook:          opts.WebhookClient,
		changed:       make(chan struct{}),
		chats:         make(map[int64]*chatState),
		users:         make(map[int64]models.User),
		migrated:      make(map[int64]int64),
		blocked:       make(map[int64]bool),
		callbacks:     make(map[string]bool),
		inlineQueries: make(map[string]bool),
		commands:      make(map[string][]models.BotCommand),
		files:         make(map[string]*File),
		notBefore:     make(map[string]time.Time),
	}
	if s.now == nil {
		s.now = time.Now
	}
	if s.longPoll <= 0 {
		s.longPoll = 200 * time.Millisecond
	}
	if s.hook == nil {
		s.hook = &http.Client{Timeout: 10 * time.Second}
	}
	if opts.Limits != nil {
		l := *opts.Limits // the caller may reuse its value
		s.opts.Limits = &l
	}
	s.ctx, s.cancel = context.WithCancel(context.Background())
	s.bot = opts.Bot
	s.bot.IsBot = true
	if s.bot.ID == 0 {
		s.bot.ID = 1
		if id, err := strconv.ParseInt(strings.SplitN(opts.Token, ":", 2)[0], 10, 64); err == nil && id > 0 {
			s.bot.ID = id
		}
	}
	if s.bot.Username == "" {
		s.bot.Username = "meetbot_test_bot"
	}
	if s.bot.FirstName == "" {
		s.bot.FirstName = "Meetbot Test"
	}
	s.users[s.bot.ID] = s.bot
	return s
}

// Start serves the fake on a local HTTP server (httptest.NewServer) and
// returns its base URL, without trailing slash, for bot.WithServerURL.
// Calling it again returns the same URL.
func (s *Server) Start() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.ts == nil {
		s.ts = httptest.NewServer(s)
	}
	return s.ts.URL
}

// URL returns the base URL given by Start, or "" before Start.
func (s *Server) URL() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.ts == nil {
		return ""
	}
	return s.ts.URL
}

// Close ends long polls and hanging faults, stops the webhook deliverer
// and shuts the HTTP server down. It is safe to call more than once.
func (s *Server) Close() {
	s.mu.Lock()
	s.closed = true
	ts := s.ts
	s.notifyLocked()
	s.mu.Unlock()
	s.cancel()
	s.wg.Wait()
	if ts != nil {
		ts.Close()
	}
}

// Bot returns the bot's user, as getMe answers it.
func (s *Server) Bot() models.User { return s.bot }

// Transport returns a RoundTripper that serves requests in-process, with
// no network, whatever the URL's host: give it to the client with
// bot.WithHTTPClient(pollTimeout, &http.Client{Transport: s.Transport()}).
// A request whose context ends before the answer gets the context's error,
// as over HTTP. It suits tests under testing/synctest.
func (s *Server) Transport() http.RoundTripper { return transport{s} }

type transport struct{ s *Server }

func (t transport) RoundTrip(r *http.Request) (*http.Response, error) {
	rec := httptest.NewRecorder()
	t.s.ServeHTTP(rec, r)
	if r.Body != nil {
		_ = r.Body.Close()
	}
	if err := r.Context().Err(); err != nil {
		return nil, err
	}
	resp := rec.Result()
	resp.Request = r
	return resp, nil
}

// notifyLocked wakes Wait and blocked long polls. s.mu must be held.
func (s *Server) notifyLocked() {
	close(s.changed)
	s.changed = make(chan struct{})
}

func (s *Server) nextIDLocked(prefix string) string {
	s.lastID++
	return prefix + strconv.FormatInt(s.lastID, 10)
}

// result is the answer to one request: a result or an error envelope.
type result struct {
	status      int // 200 for ok
	value       any
	description string
	retryAfter  int
	migrateTo   int64
	noAnswer    bool // a hanging fault ended: nothing to write
}

func ok(v any) result { return result{status: http.StatusOK, value: v} }

func fail(status int, description string) result {
	return result{status: status, description: description}
}

func badRequest(description string) result {
	return fail(http.StatusBadRequest, "Bad Request: "+description)
}

func (r result) write(w http.ResponseWriter) {
	var body []byte
	if r.status == http.StatusOK {
		v, err := json.Marshal(r.value)
		if err != nil {
			r = fail(http.StatusInternalServerError, "Internal Server Error: "+err.Error())
		} else {
			body, _ = json.Marshal(struct {
				OK          bool            `json:"ok"`
				Result      json.RawMessage `json:"result"`
				Description string          `json:"description,omitempty"`
			}{true, v, r.description})
		}
	}
	if r.status != http.StatusOK {
		type params struct {
			RetryAfter int   `json:"retry_after,omitempty"`
			MigrateTo  int64 `json:"migrate_to_chat_id,omitempty"`
		}
		env := struct {
			OK          bool    `json:"ok"`
			ErrorCode   int     `json:"error_code"`
			Description string  `json:"description"`
			Parameters  *params `json:"parameters,omitempty"`
		}{false, r.status, r.description, nil}
		if r.retryAfter != 0 || r.migrateTo != 0 {
			env.Parameters = &params{r.retryAfter, r.migrateTo}
		}
		body, _ = json.Marshal(env)
	}
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(r.status)
	_, _ = w.Write(body)
}

// ServeHTTP answers a Bot API request: POST or GET /bot<token>/<method>
// with multipart/form-data, application/x-www-form-urlencoded, JSON or
// query parameters.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if strings.HasPrefix(r.URL.Path, "/file/bot") {
		s.serveFile(w, r)
		return
	}
	at := s.now()
	token, method, found := splitPath(r.URL.Path)
	if !found {
		fail(http.StatusNotFound, "Not Found").write(w)
		return
	}
	c, err := readCall(r)
	if err != nil {
		badRequest(err.Error()).write(w)
		return
	}
	c.ctx, c.at = r.Context(), at
	c.method = canonicalMethod(method)
	c.parseChat()

	authorized := s.opts.Token == "" || token == s.opts.Token
	idx := s.begin(c, authorized)
	var res result
	if authorized {
		res = s.handle(c)
	} else {
		res = fail(http.StatusUnauthorized, "Unauthorized")
	}
	s.finish(idx, c, res)
	if !res.noAnswer {
		res.write(w)
	}
}

// splitPath splits "/bot<token>/<method>" (or ".../test/<method>", the
// test environment's form).
func splitPath(p string) (token, method string, found bool) {
	rest, found := strings.CutPrefix(p, "/bot")
	if !found {
		return "", "", false
	}
	token, method, found = strings.Cut(rest, "/")
	method = strings.TrimPrefix(method, "test/")
	if !found || method == "" || strings.Contains(method, "/") {
		return "", "", false
	}
	return token, method, true
}

// begin logs the request (getUpdates only with RecordGetUpdates) and
// returns its index in the log, or -1. A getUpdates takes its place among
// pollers here, on arrival, so that the newest poll is the last to arrive.
func (s *Server) begin(c *call, authorized bool) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	if c.method == "getUpdates" {
		if authorized {
			s.pollGen++
			c.pollGen = s.pollGen
		}
		if !s.opts.RecordGetUpdates {
			return -1
		}
	}
	s.reqs = append(s.reqs, Request{
		Seq:      len(s.reqs) + 1,
		Method:   c.method,
		ChatID:   c.chatID,
		ThreadID: c.threadID,
		At:       c.at,
		Params:   c.params,
		Files:    c.fileData(),
	})
	s.notifyLocked()
	return len(s.reqs) - 1
}

// finish stores the answer's status (and a chat id resolved from
// "@username") in the log and wakes waiters.
func (s *Server) finish(idx int, c *call, res result) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if idx >= 0 {
		s.reqs[idx].ChatID = c.chatID
		if !res.noAnswer {
			s.reqs[idx].Status = res.status
		}
		s.reqs[idx].Description = res.description
	}
	s.notifyLocked()
}

// methodFunc answers a method with s.mu held.
type methodFunc func(s *Server, c *call) result

// methods are the methods answered under s.mu; getUpdates is apart
// because it blocks.
var methods = map[string]methodFunc{
	"getMe":                  (*Server).getMe,
	"sendMessage":            (*Server).sendMessage,
	"editMessageText":        (*Server).editMessageText,
	"editMessageReplyMarkup": (*Server).editMessageReplyMarkup,
	"deleteMessage":          (*Server).deleteMessage,
	"sendDocument":           (*Server).sendDocument,
	"sendPhoto":              (*Server).sendPhoto,
	"sendChatAction":         (*Server).sendChatAction,
	"answerCallbackQuery":    (*Server).answerCallbackQuery,
	"answerInlineQuery":      (*Server).answerInlineQuery,
	"setMyCommands":          (*Server).setMyCommands,
	"deleteMyCommands":       (*Server).deleteMyCommands,
	"getMyCommands":          (*Server).getMyCommands,
	"getChat":                (*Server).getChat,
	"getChatMember":          (*Server).getChatMember,
	"setWebhook":             (*Server).setWebhook,
	"deleteWebhook":          (*Server).deleteWebhook,
	"getWebhookInfo":         (*Server).getWebhookInfo,
	"getFile":                (*Server).getFile,
}

var methodNames = func() map[string]string {
	m := map[string]string{"getupdates": "getUpdates"}
	for name := range methods {
		m[strings.ToLower(name)] = name
	}
	return m
}()

// canonicalMethod spells a known method as the Bot API documents it
// (method names are case-insensitive); an unknown one is left as sent.
func canonicalMethod(m string) string {
	if name, found := methodNames[strings.ToLower(m)]; found {
		return name
	}
	return m
}

// sendMethods are the rate-limited methods.
var sendMethods = map[string]bool{
	"sendMessage": true, "editMessageText": true, "sendDocument": true, "sendPhoto": true,
}

// postMethods are refused to a blocked user.
var postMethods = map[string]bool{
	"sendMessage": true, "editMessageText": true, "editMessageReplyMarkup": true,
	"sendDocument": true, "sendPhoto": true, "sendChatAction": true,
}

func (s *Server) handle(c *call) result {
	if c.chatErr != "" {
		return badRequest(c.chatErr)
	}
	s.mu.Lock()
	if c.chatRef != "" && c.chatID == 0 {
		if id, found := s.chatByUsernameLocked(c.chatRef); found {
			c.chatID = id
		} else {
			s.mu.Unlock()
			return badRequest("chat not found")
		}
	}
	if res, early := s.checkEarlyLocked(c); early {
		s.mu.Unlock()
		return res
	}
	if f, found := s.takeFaultLocked(c); found {
		res := s.faultResultLocked(c, f)
		s.mu.Unlock()
		if f.Hang {
			select {
			case <-c.ctx.Done():
			case <-s.ctx.Done():
			}
			return result{noAnswer: true, description: "no answer (hanging fault)"}
		}
		return res
	}
	if c.method == "getUpdates" {
		s.mu.Unlock()
		return s.getUpdates(c)
	}
	defer s.mu.Unlock()
	m, known := methods[c.method]
	if !known {
		return fail(http.StatusNotFound, "Not Found")
	}
	if c.hasChat {
		if res, refused := s.checkChatLocked(c); refused {
			return res
		}
	}
	return m(s, c)
}

// takeFaultLocked finds the first fault matching c and uses it up once.
func (s *Server) takeFaultLocked(c *call) (Fault, bool) {
	for i, f := range s.faults {
		if f.Method == "" && c.method == "getUpdates" {
			continue
		}
		if f.Method != "" && !strings.EqualFold(f.Method, c.method) {
			continue
		}
		if f.ChatID != 0 && f.ChatID != c.chatID {
			continue
		}
		switch {
		case f.Times < 0:
		case f.Times <= 1:
			s.faults = append(s.faults[:i:i], s.faults[i+1:]...)
		default:
			s.faults[i].Times--
		}
		return f, true
	}
	return Fault{}, false
}

func (s *Server) faultResultLocked(c *call, f Fault) result {
	status := f.Status
	switch {
	case status != 0:
	case f.RetryAfter > 0:
		status = http.StatusTooManyRequests
	case f.MigrateTo != 0:
		status = http.StatusBadRequest
	default:
		status = http.StatusInternalServerError
	}
	desc := f.Description
	if desc == "" {
		switch {
		case status == http.StatusTooManyRequests:
			desc = "Too Many Requests: retry after " + strconv.Itoa(f.RetryAfter)
		case status == http.StatusBadRequest && f.MigrateTo != 0:
			desc = "Bad Request: group chat was upgraded to a supergroup chat"
		case status == http.StatusBadRequest:
			desc = "Bad Request"
		case status == http.StatusForbidden:
			desc = "Forbidden"
		default:
			desc = http.StatusText(status)
		}
	}
	if f.RetryAfter > 0 {
		s.notBefore[c.floodKey()] = c.at.Add(time.Duration(f.RetryAfter) * time.Second)
	}
	return result{status: status, description: desc, retryAfter: f.RetryAfter, migrateTo: f.MigrateTo}
}

// Inject queues a scripted fault; see Fault for matching.
func (s *Server) Inject(f Fault) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.faults = append(s.faults, f)
}

// Kick removes the bot from a chat: from now on every request for the
// chat is answered 403 "Forbidden: bot was kicked from the supergroup
// chat" ("group chat" for a basic group; for a private chat it is Block).
// ChangeMembership to "member" or "administrator" undoes it.
func (s *Server) Kick(chatID int64) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if chatID > 0 {
		s.blocked[chatID] = true
		return
	}
	s.chatLocked(chatID).gone = "kicked"
}

// Block makes the user block the bot: sends to the private chat are
// answered 403 "Forbidden: bot was blocked by the user".
// ChangeMembership of the private chat to "member" undoes it.
func (s *Server) Block(userID int64) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.blocked[userID] = true
}

// SetMember sets what getChatMember answers for the user in the chat:
// "creator", "administrator", "member", "restricted", "left" or "kicked".
// The default is "member".
func (s *Server) SetMember(chatID, userID int64, status string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.chatLocked(chatID).members[userID] = status
}

// checkChatLocked refuses requests for a migrated chat, a chat the bot
// left or was kicked from, a user who blocked it, or (with StrictChats)
// an unknown chat.
func (s *Server) checkChatLocked(c *call) (result, bool) {
	if to, found := s.migrated[c.chatID]; found {
		res := badRequest("group chat was upgraded to a supergroup chat")
		res.migrateTo = to
		return res, true
	}
	st := s.chats[c.chatID]
	if s.opts.StrictChats && (st == nil || !st.known) {
		return badRequest("chat not found"), true
	}
	if st != nil && st.gone != "" {
		kind := "supergroup"
		switch st.chat.Type {
		case models.ChatTypeGroup:
			kind = "group"
		case models.ChatTypeChannel:
			kind = "channel"
		}
		if st.gone == "left" {
			return fail(http.StatusForbidden, "Forbidden: bot is not a member of the "+kind+" chat"), true
		}
		return fail(http.StatusForbidden, "Forbidden: bot was kicked from the "+kind+" chat"), true
	}
	if s.blocked[c.chatID] && postMethods[c.method] {
		return fail(http.StatusForbidden, "Forbidden: bot was blocked by the user"), true
	}
	return result{}, false
}

func (s *Server) chatByUsernameLocked(ref string) (int64, bool) {
	name := strings.TrimPrefix(ref, "@")
	for id, st := range s.chats {
		if st.known && strings.EqualFold(st.chat.Username, name) {
			return id, true
		}
	}
	return 0, false
}

// ErrNoWebhook is returned by DeliverWebhook when no webhook is set.
var ErrNoWebhook = errors.New("telegramtest: no webhook set")
