package calfeed

import (
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"testing"

	ics "github.com/arran4/golang-ical"

	"meetbot/internal/sqltest"
	"meetbot/store"
	"meetbot/store/sqlstore"
	"meetbot/store/storetest"
)

// open returns a store with the contract fixture, HN-03 (bdbp, meo-vac)
// and the 2023 meeting restricted.
func open(t *testing.T) *sqlstore.Store {
	t.Helper()
	ctx := context.Background()
	st := sqltest.Open(t, storetest.Loc, storetest.Now)
	ds := storetest.Fixture()
	ds.Directives[2].Restricted = true
	ds.Meetings[1].Restricted = true
	if _, err := st.Import(ctx, ds, store.Actor{Name: "test"}); err != nil {
		t.Fatal(err)
	}
	return st
}

func unit(t *testing.T, st *sqlstore.Store, code string) store.Unit {
	t.Helper()
	us, err := st.FindUnits(context.Background(), code)
	if err != nil || len(us) == 0 {
		t.Fatalf("unit %s: %v", code, err)
	}
	return us[0]
}

func uids(t *testing.T, doc string) map[string]*ics.VEvent {
	t.Helper()
	cal, err := ics.ParseCalendar(strings.NewReader(doc))
	if err != nil {
		t.Fatalf("parse: %v\n%s", err, doc)
	}
	out := map[string]*ics.VEvent{}
	for _, e := range cal.Events() {
		out[e.Id()] = e
	}
	return out
}

func directiveID(t *testing.T, st *sqlstore.Store, code string) int64 {
	t.Helper()
	d, err := st.DirectiveByCode(context.Background(), code)
	if err != nil {
		t.Fatal(err)
	}
	return d.ID
}

func TestBuild(t *testing.T) {
	st := open(t)
	ctx := context.Background()
	hn03, ct15 := directiveID(t, st, "HN-03"), directiveID(t, st, "15/CT-UBND")

	// An administrator's whole calendar: both meetings in the window, the
	// open deadlines as whole directives.
	res, err := Build(ctx, st, Query{Viewer: store.NewViewer(true), Today: storetest.Today, Location: storetest.Loc})
	if err != nil {
		t.Fatal(err)
	}
	if res.Meetings != 2 || res.Deadlines != 2 || res.Capped {
		t.Errorf("meetings %d, deadlines %d, capped %v; want 2, 2, false", res.Meetings, res.Deadlines, res.Capped)
	}
	if res.From != store.NewDate(2024, 4, 14) || res.To != store.NewDate(2025, 5, 14) {
		t.Errorf("window %v–%v", res.From, res.To)
	}
	doc, err := res.Calendar.Bytes()
	if err != nil {
		t.Fatal(err)
	}
	evs := uids(t, string(doc))
	d := evs[DeadlineUID(ct15, 0)]
	if d == nil {
		t.Fatalf("no event of 15/CT-UBND in %v", evs)
	}
	if got := ics.FromText(d.GetProperty(ics.ComponentPropertySummary).Value); got != "Hạn: 15/CT-UBND Tuyên truyền an ninh trật tự khu vực biên giới" {
		t.Errorf("summary %q", got)
	}
	if got := d.GetProperty(ics.ComponentPropertyDtStart).Value; got != "20240510" {
		t.Errorf("deadline day %q", got)
	}
	desc := ics.FromText(d.GetProperty(ics.ComponentPropertyDescription).Value)
	for _, want := range []string{"Tình trạng: 🔴 Chưa hoàn thành – quá hạn 4 ngày", "Huyện ủy Đồng Văn (chủ trì): chưa hoàn thành – quá hạn", "Ghi chú về hạn: Hạn mẫu"} {
		if !strings.Contains(desc, want) {
			t.Errorf("description lacks %q:\n%s", want, desc)
		}
	}

	// Anyone (no unit): the restricted directive is not there.
	res, err = Build(ctx, st, Query{Today: storetest.Today, Location: storetest.Loc})
	if err != nil {
		t.Fatal(err)
	}
	doc, _ = res.Calendar.Bytes()
	if _, ok := uids(t, string(doc))[DeadlineUID(hn03, 0)]; ok {
		t.Error("the public calendar shows a restricted directive")
	}
}

func TestBuildForUnit(t *testing.T) {
	st := open(t)
	ctx := context.Background()
	mv := unit(t, st, "meo-vac")
	hn03 := directiveID(t, st, "HN-03")
	res, err := Build(ctx, st, Query{Viewer: store.NewViewer(false, mv.ID), Unit: mv.Ref(store.Date{}), Today: storetest.Today, Location: storetest.Loc})
	if err != nil {
		t.Fatal(err)
	}
	doc, _ := res.Calendar.Bytes()
	evs := uids(t, string(doc))
	e := evs[DeadlineUID(hn03, mv.ID)]
	if e == nil {
		t.Fatalf("the unit's restricted deadline is missing: %v", evs)
	}
	if c := e.GetProperty(ics.ComponentPropertyClass); c == nil || c.Value != "CONFIDENTIAL" {
		t.Errorf("the restricted deadline's CLASS = %v; want CONFIDENTIAL", c)
	}
	for uid, ev := range evs {
		if c := ev.GetProperty(ics.ComponentPropertyClass); uid != DeadlineUID(hn03, mv.ID) && c != nil {
			t.Errorf("%s is not restricted but has CLASS %s", uid, c.Value)
		}
	}
	desc := ics.FromText(e.GetProperty(ics.ComponentPropertyDescription).Value)
	if !strings.Contains(desc, "Tình trạng của Huyện ủy Mèo Vạc: ⏳ Chưa hoàn thành – trong hạn (còn 6 ngày)") || !strings.Contains(desc, "Vai trò: Phối hợp") {
		t.Errorf("description:\n%s", desc)
	}
	// Mèo Vạc completed 15/CT-UBND (late): not an open deadline.
	if _, ok := evs[DeadlineUID(directiveID(t, st, "15/CT-UBND"), mv.ID)]; ok {
		t.Error("a share the unit completed is in its calendar")
	}
	if res.Meetings != 2 {
		t.Errorf("%d meetings, want the conference and the June meeting", res.Meetings)
	}
	if !strings.Contains(strings.ReplaceAll(string(doc), "\r\n ", ""), "X-WR-CALNAME:Lịch họp và hạn chỉ đạo – Huyện ủy Mèo Vạc\r\n") {
		t.Error("calendar name")
	}
}

func serve(t *testing.T, st *sqlstore.Store) *httptest.Server {
	t.Helper()
	mux := http.NewServeMux()
	NewHandler(st, st, HandlerOptions{Location: storetest.Loc, Now: storetest.Now}).Register(mux)
	srv := httptest.NewServer(mux)
	t.Cleanup(srv.Close)
	return srv
}

func get(t *testing.T, url string, hdr map[string]string) (*http.Response, string) {
	t.Helper()
	req, err := http.NewRequest(http.MethodGet, url, nil)
	if err != nil {
		t.Fatal(err)
	}
	for k, v := range hdr {
		req.Header.Set(k, v)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return resp, string(b)
}

func TestFeedHTTP(t *testing.T) {
	st := open(t)
	ctx := context.Background()
	srv := serve(t, st)
	bdbp, xm := unit(t, st, "bdbp"), unit(t, st, "xin-man")
	hn03 := directiveID(t, st, "HN-03")
	tokB, err := st.FeedToken(ctx, bdbp.ID)
	if err != nil {
		t.Fatal(err)
	}
	tokX, err := st.FeedToken(ctx, xm.ID)
	if err != nil {
		t.Fatal(err)
	}

	resp, body := get(t, FeedURL(srv.URL+"/", tokB), nil)
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("status %d: %s", resp.StatusCode, body)
	}
	if ct := resp.Header.Get("Content-Type"); ct != "text/calendar; charset=utf-8" {
		t.Errorf("content type %q", ct)
	}
	if resp.Header.Get("ETag") == "" || !strings.Contains(resp.Header.Get("Cache-Control"), "private") {
		t.Errorf("caching headers %v", resp.Header)
	}
	evs := uids(t, body)
	if evs[DeadlineUID(hn03, bdbp.ID)] == nil {
		t.Errorf("the Border Guard's feed lacks its restricted deadline HN-03: %v", evs)
	}

	// Not modified.
	resp2, body2 := get(t, FeedURL(srv.URL, tokB), map[string]string{"If-None-Match": resp.Header.Get("ETag")})
	if resp2.StatusCode != http.StatusNotModified || body2 != "" {
		t.Errorf("conditional GET: %d %q", resp2.StatusCode, body2)
	}

	// Another unit's feed: its own items only, not the restricted one.
	resp, body = get(t, FeedURL(srv.URL, tokX), nil)
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("status %d", resp.StatusCode)
	}
	for uid := range uids(t, body) {
		if strings.HasPrefix(uid, "directive-") && !strings.HasSuffix(uid, "-unit-"+strconv.FormatInt(xm.ID, 10)+"@meetbot") {
			t.Errorf("Xín Mần's feed has %s", uid)
		}
	}
	if strings.Contains(body, "HN-03") {
		t.Error("Xín Mần's feed shows the restricted HN-03")
	}

	// Wrong tokens: 404, saying nothing.
	for _, path := range []string{
		"/calendar/" + strings.Repeat("a", 32) + ".ics",
		"/calendar/" + tokB,                    // no .ics
		"/calendar/" + tokB + "x.ics",          // not a token
		"/calendar/..%2f..%2fetc%2fpasswd.ics", // not a token either
		"/calendar/" + strings.ToUpper(tokB) + ".ics",
	} {
		resp, body := get(t, srv.URL+path, nil)
		if resp.StatusCode != http.StatusNotFound {
			t.Errorf("%s: status %d", path, resp.StatusCode)
		}
		if strings.Contains(body, "BEGIN:VCALENDAR") || len(body) > 40 {
			t.Errorf("%s: body %q", path, body)
		}
	}
}

func TestFeedLimits(t *testing.T) {
	st := open(t)
	bdbp := unit(t, st, "bdbp")
	tok, err := st.FeedToken(context.Background(), bdbp.ID)
	if err != nil {
		t.Fatal(err)
	}
	mux := http.NewServeMux()
	NewHandler(st, st, HandlerOptions{Location: storetest.Loc, Now: storetest.Now, Rate: 0.001, Burst: 2}).Register(mux)
	srv := httptest.NewServer(mux)
	defer srv.Close()

	// HEAD: the headers, no body.
	resp, err := http.Head(FeedURL(srv.URL, tok))
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK || resp.Header.Get("ETag") == "" || resp.ContentLength <= 0 {
		t.Errorf("HEAD: %d %v", resp.StatusCode, resp.Header)
	}
	// The burst is spent: a runaway client is told to come back later.
	if resp, _ := get(t, FeedURL(srv.URL, tok), nil); resp.StatusCode != http.StatusOK {
		t.Errorf("second request: %d", resp.StatusCode)
	}
	if resp, _ := get(t, FeedURL(srv.URL, tok), nil); resp.StatusCode != http.StatusTooManyRequests || resp.Header.Get("Retry-After") == "" {
		t.Errorf("third request: %d", resp.StatusCode)
	}
	// Other methods are not served.
	if resp, err := http.Post(FeedURL(srv.URL, tok), "text/plain", strings.NewReader("x")); err != nil || resp.StatusCode != http.StatusMethodNotAllowed {
		t.Errorf("POST: %v %v", resp, err)
	} else {
		resp.Body.Close()
	}
}
