package handlers

import (
	"strings"
	"testing"

	"meetbot/internal/redistest"
	"meetbot/store/cache"
	"meetbot/store/sqlstore"
)

// TestReviewReflectedThroughCache: with the Redis cache in front of the
// store, and reports written through it (as cmd/meetbot wires them), a
// cached /directive, /pending and /history answer the change right after
// a submission and a confirmation.
func TestReviewReflectedThroughCache(t *testing.T) {
	r := redistest.New(t)
	var c *cache.Cache
	o := newOfficeHarness(t, func(st *sqlstore.Store) (Store, Reports) {
		c = cache.New(st, r.Client, cache.Options{Prefix: r.Prefix})
		t.Cleanup(func() { _ = c.Close() })
		return c, c
	})
	card := func() string {
		t.Helper()
		o.say(officeAdmin, officeAdmin.ID, "/directive "+restrictedCode)
		return o.reply()
	}
	before := card()
	hits := c.Counters().Hits
	if again := card(); again != before || c.Counters().Hits == hits {
		t.Fatalf("the second /directive was not answered from the cache (hits %d → %d)", hits, c.Counters().Hits)
	}
	o.say(officeAdmin, officeAdmin.ID, "/pending")
	o.want("Không có báo cáo nào chờ xác nhận.")
	o.say(officeAdmin, officeAdmin.ID, "/history "+restrictedCode)
	o.lacks("Đơn vị gửi báo cáo")

	o.say(xmMember, boundChat, "/done "+restrictedCode+" đã tuần tra xong")
	o.want("Đã gửi báo cáo hoàn thành")
	o.say(officeAdmin, officeAdmin.ID, "/pending")
	o.want("MAT-01", "Ghi chú: đã tuần tra xong")
	o.say(officeAdmin, officeAdmin.ID, "/history "+restrictedCode)
	o.want("Đơn vị gửi báo cáo")

	o.tap(officeAdmin, officeAdmin.ID, "✅ Xác nhận 1")
	after := card()
	if after == before || !strings.Contains(after, "Hoàn thành ngày 14/05/2024: đã tuần tra xong") {
		t.Errorf("the cached card did not change after the confirmation:\n%s", after)
	}
	o.say(officeAdmin, officeAdmin.ID, "/directives xin-man hoàn thành")
	o.want(restrictedCode)
	o.say(officeAdmin, officeAdmin.ID, "/history "+restrictedCode)
	o.want("Văn phòng xác nhận báo cáo")
	o.quiet()
}
