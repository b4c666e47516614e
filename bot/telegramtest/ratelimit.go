package telegramtest

import (
	"fmt"
	"net/http"
	"slices"
	"strconv"
	"time"
)

// checkEarlyLocked records a violation when c is a send to a chat (or, for
// a request without chat, the same method) before the retry_after last
// given for it has passed. With Limits set, the request is answered 429
// again with the time left, as Telegram does.
func (s *Server) checkEarlyLocked(c *call) (result, bool) {
	if c.chatID != 0 && !sendMethods[c.method] {
		return result{}, false
	}
	key := c.floodKey()
	until, found := s.notBefore[key]
	if !found {
		return result{}, false
	}
	if !c.at.Before(until) {
		delete(s.notBefore, key)
		return result{}, false
	}
	left := until.Sub(c.at)
	s.violations = append(s.violations, fmt.Sprintf("%s %s %s: sent %v before the retry_after given had passed",
		c.at.Format("15:04:05.000"), c.method, target(c), left))
	if s.opts.Limits == nil {
		return result{}, false
	}
	return s.tooManyLocked(c, ceilSeconds(left)), true
}

func target(c *call) string {
	if c.chatID != 0 {
		return "to chat " + strconv.FormatInt(c.chatID, 10)
	}
	return "(no chat)"
}

// checkLimitsLocked answers 429, and records a violation, when sending c
// now would exceed Options.Limits; it returns false when c may be sent.
func (s *Server) checkLimitsLocked(c *call) (result, bool) {
	lim := s.opts.Limits
	if lim == nil || !sendMethods[c.method] {
		return result{}, false
	}
	var wait time.Duration
	var broken []string
	if n, w := windowWait(s.globalSends, c.at, time.Second, lim.Global); w > 0 {
		wait = max(wait, w)
		broken = append(broken, fmt.Sprintf("global limit %d/s (%d in the last second)", lim.Global, n))
	}
	st := s.chatLocked(c.chatID)
	if c.chatID > 0 {
		if n, w := windowWait(st.sends, c.at, time.Second, lim.PerChat); w > 0 {
			wait = max(wait, w)
			broken = append(broken, fmt.Sprintf("private chat limit %d/s (%d in the last second)", lim.PerChat, n))
		}
	} else if n, w := windowWait(st.sends, c.at, time.Minute, lim.PerGroup); w > 0 {
		wait = max(wait, w)
		broken = append(broken, fmt.Sprintf("group limit %d/min (%d in the last minute)", lim.PerGroup, n))
	}
	if wait == 0 {
		return result{}, false
	}
	retry := lim.RetryAfter
	if retry <= 0 {
		retry = ceilSeconds(wait)
	}
	for _, b := range broken {
		s.violations = append(s.violations, fmt.Sprintf("%s %s %s: exceeds the %s",
			c.at.Format("15:04:05.000"), c.method, target(c), b))
	}
	return s.tooManyLocked(c, retry), true
}

// tooManyLocked answers 429 with retry_after seconds and remembers that
// the chat may not be sent to before then.
func (s *Server) tooManyLocked(c *call, retry int) result {
	s.notBefore[c.floodKey()] = c.at.Add(time.Duration(retry) * time.Second)
	return result{
		status:      http.StatusTooManyRequests,
		description: "Too Many Requests: retry after " + strconv.Itoa(retry),
		retryAfter:  retry,
	}
}

// commitSendLocked counts an accepted send in the windows.
func (s *Server) commitSendLocked(c *call) {
	if s.opts.Limits == nil || !sendMethods[c.method] {
		return
	}
	s.globalSends = prune(append(s.globalSends, c.at), c.at, time.Second)
	st := s.chatLocked(c.chatID)
	st.sends = prune(append(st.sends, c.at), c.at, time.Minute)
}

// windowWait returns how many of the times fall in the window (now-w,
// now] and, if one more would exceed limit, how long until one more fits.
// Limit 0 is no limit.
func windowWait(times []time.Time, now time.Time, w time.Duration, limit int) (int, time.Duration) {
	if limit <= 0 {
		return 0, 0
	}
	var in []time.Time
	for _, t := range times {
		if t.After(now.Add(-w)) {
			in = append(in, t)
		}
	}
	if len(in) < limit {
		return len(in), 0
	}
	slices.SortFunc(in, time.Time.Compare)
	// One more fits once all but limit-1 of them have left the window.
	wait := in[len(in)-limit].Add(w).Sub(now)
	return len(in), max(wait, time.Nanosecond)
}

// prune drops the times that can no longer fall in a window of w ending
// at now or later. Requests may be answered a little out of order, so
// the times are not assumed sorted.
func prune(times []time.Time, now time.Time, w time.Duration) []time.Time {
	if len(times) < 64 {
		return times
	}
	return slices.DeleteFunc(times, func(t time.Time) bool { return !t.After(now.Add(-w)) })
}

func ceilSeconds(d time.Duration) int {
	n := int((d + time.Second - 1) / time.Second)
	return max(n, 1)
}
