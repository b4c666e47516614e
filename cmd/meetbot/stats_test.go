package main

import (
	"bytes"
	"image/png"
	"io"
	"net"
	"net/http"
	"regexp"
	"strings"
	"testing"

	ics "github.com/arran4/golang-ical"
)

// TestRunStatsAndCalendar: /stats sends the chart and the table; an
// administrator's /calendar <unit> sends the .ics and the unit's feed
// address, which HTTP_ADDR serves to calendar apps.
func TestRunStatsAndCalendar(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	h := startBot(t, map[string]string{"HTTP_ADDR": addr, "WORKERS": "1", "ADMIN_IDS": "4242", "PUBLIC_URL": "http://" + addr + "/"},
		serveOptions{httpListener: ln})

	photo := h.say(h.dm, "/stats")
	if photo.Photo == nil {
		t.Fatalf("/stats sent no photo first: %s", photo.Plain)
	}
	if _, err := png.Decode(bytes.NewReader(photo.Photo.Data)); err != nil {
		t.Errorf("the chart is not a PNG: %v", err)
	}
	if !strings.Contains(photo.Plain, "Thực hiện chỉ đạo theo đơn vị") {
		t.Errorf("caption %q", photo.Plain)
	}
	h.wait("the stats table", func() bool { return len(h.replies(h.dm)) >= 2 })
	if table := h.replies(h.dm)[1]; !strings.Contains(table.Plain, "Huyện ủy Xín Mần") || !strings.Contains(table.Text, "<pre>") {
		t.Errorf("stats table:\n%s", table.Text)
	}

	before := len(h.replies(h.dm))
	doc := h.say(h.dm, "/calendar xin-man")
	if doc.Document == nil || doc.Document.Name != "lich-xin-man.ics" {
		t.Fatalf("/calendar sent no calendar first: %+v", doc)
	}
	if _, err := ics.ParseCalendar(bytes.NewReader(doc.Document.Data)); err != nil {
		t.Errorf("the calendar does not parse: %v", err)
	}
	h.wait("the calendar reply", func() bool { return len(h.replies(h.dm)) >= before+2 })
	reply := h.replies(h.dm)[before+1].Plain
	feed := regexp.MustCompile(`http://\S+/calendar/[a-z2-7]+\.ics`).FindString(reply)
	if feed == "" || !strings.HasPrefix(feed, "http://"+addr+"/calendar/") {
		t.Fatalf("no feed address in:\n%s", reply)
	}

	get := func(url string) (*http.Response, string) {
		t.Helper()
		resp, err := http.Get(url)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		return resp, string(b)
	}
	resp, body := get(feed)
	if resp.StatusCode != http.StatusOK || resp.Header.Get("Content-Type") != "text/calendar; charset=utf-8" {
		t.Fatalf("feed: %d %s", resp.StatusCode, resp.Header.Get("Content-Type"))
	}
	if _, err := ics.ParseCalendar(strings.NewReader(body)); err != nil || !strings.Contains(body, "Huyện ủy Xín Mần") {
		t.Errorf("feed does not parse (%v) or is not Xín Mần's", err)
	}
	if resp, _ := get("http://" + addr + "/calendar/" + strings.Repeat("a", 32) + ".ics"); resp.StatusCode != http.StatusNotFound {
		t.Errorf("a wrong token: %d", resp.StatusCode)
	}
	if resp, _ := get("http://" + addr + "/healthz"); resp.StatusCode != http.StatusOK {
		t.Errorf("/healthz next to the feed: %d", resp.StatusCode)
	}
}
