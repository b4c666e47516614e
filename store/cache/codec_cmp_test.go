package cache

import (
	"encoding/json"
	"testing"
	"time"

	"meetbot/store"
)

func samplePage() store.Page[store.Directive] {
	p := store.Page[store.Directive]{Total: 120, Limit: 10}
	for i := range 10 {
		d := store.Directive{ID: int64(i), Code: "15/CT-UBND", Title: "Tuyên truyền an ninh trật tự khu vực biên giới và quản lý mốc quốc giới", IssuerName: "Nguyễn Văn Sơn", IssuerPosition: "Chủ tịch UBND tỉnh", IssuedOn: store.NewDate(2024, 4, 17), MeetingID: 3, MeetingTitle: "Hội nghị sơ kết 1 năm thực hiện Quy chế phối hợp", Deadline: store.NewDate(2024, 5, 10), DeadlineNote: "Hạn mẫu", UpdatedAt: time.Now().UTC()}
		for j := range 3 {
			d.Assignments = append(d.Assignments, store.Assignment{ID: int64(j), Unit: store.UnitRef{ID: 4, Code: "xin-man", Name: "Huyện ủy Xín Mần"}, Role: store.RoleLead, Percent: 40, ReportCount: 2, CompletedAt: time.Now().UTC(), CompletedOn: store.NewDate(2024, 5, 1)})
		}
		p.Items = append(p.Items, d)
	}
	return p
}

// BenchmarkDecodePageJSON and BenchmarkDecodePageOwn compare decoding a
// page of ten directives as JSON and in the cache's binary form: the
// reason entries are not JSON (nor msgpack or CBOR, measured at 80–120µs
// for the same page when the choice was made, against ~13µs here).
func BenchmarkDecodePageJSON(b *testing.B) {
	data, _ := json.Marshal(samplePage())
	b.ReportAllocs()
	for b.Loop() {
		var p store.Page[store.Directive]
		if err := json.Unmarshal(data, &p); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkDecodePageOwn(b *testing.B) {
	c, err := newCodec[store.Page[store.Directive]]()
	if err != nil {
		b.Fatal(err)
	}
	sp := samplePage()
	data := c.append(nil, &sp)
	b.ReportAllocs()
	for b.Loop() {
		if _, err := c.decode(string(data)); err != nil {
			b.Fatal(err)
		}
	}
}
