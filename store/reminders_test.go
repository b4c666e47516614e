package store_test

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"meetbot/store"
)

func TestParseReminders(t *testing.T) {
	tests := []struct {
		name    string
		in      string
		want    store.Reminders
		text    string
		wantErr string
	}{
		{name: "empty is the default", in: "  ", want: store.Reminders{}, text: ""},
		{name: "off", in: "off", want: store.Reminders{Off: true}, text: "off"},
		{name: "off any case", in: "OFF", want: store.Reminders{Off: true}, text: "off"},
		{name: "vietnamese off", in: "tắt", want: store.Reminders{Off: true}, text: "off"},
		{name: "commas", in: "-7,-3,-1,0,1,3,7", want: store.Reminders{Offsets: []int{-7, -3, -1, 0, 1, 3, 7}}, text: "-7,-3,-1,0,1,3,7"},
		{name: "spaces, plus, unsorted, repeated", in: "3 +1  -2, 3", want: store.Reminders{Offsets: []int{-2, 1, 3}}, text: "-2,1,3"},
		{name: "one day", in: "0", want: store.Reminders{Offsets: []int{0}}, text: "0"},
		{name: "not a number", in: "-7,soon", wantErr: `"soon" is not a whole number`},
		{name: "too far", in: "-400", wantErr: "outside ±365"},
		{name: "too many", in: "0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20", wantErr: "21 days, at most 20"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := store.ParseReminders(tt.in)
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("ParseReminders(%q) error = %v, want %q", tt.in, err, tt.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatalf("ParseReminders(%q): %v", tt.in, err)
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("ParseReminders(%q) (-want +got):\n%s", tt.in, diff)
			}
			if got.String() != tt.text {
				t.Errorf("String() = %q, want %q", got.String(), tt.text)
			}
			var back store.Reminders
			if err := back.UnmarshalText([]byte(got.String())); err != nil || !cmp.Equal(back, got) {
				t.Errorf("text round trip: %+v, %v", back, err)
			}
		})
	}
}

func TestRemindersJSON(t *testing.T) {
	tests := []struct {
		name string
		in   string
		want store.Reminders
		out  string
	}{
		{"list", `[3,-7,0]`, store.Reminders{Offsets: []int{-7, 0, 3}}, `{"reminders":[-7,0,3]}`},
		{"off", `"off"`, store.Reminders{Off: true}, `{"reminders":"off"}`},
		{"text", `"-3,0"`, store.Reminders{Offsets: []int{-3, 0}}, `{"reminders":[-3,0]}`},
		{"null", `null`, store.Reminders{}, `{}`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var v struct {
				R store.Reminders `json:"reminders,omitzero"`
			}
			if err := json.Unmarshal([]byte(`{"reminders":`+tt.in+`}`), &v); err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(tt.want, v.R); diff != "" {
				t.Errorf("decoded (-want +got):\n%s", diff)
			}
			b, err := json.Marshal(v)
			if err != nil || string(b) != tt.out {
				t.Errorf("encoded %s, %v; want %s", b, err, tt.out)
			}
		})
	}
	var v store.Reminders
	if err := json.Unmarshal([]byte(`[]`), &v); err == nil {
		t.Error("an empty list was accepted; want an error pointing to \"off\"")
	}
}

func TestDatasetValidatesReminders(t *testing.T) {
	ds := &store.Dataset{Directives: []store.DirectiveRecord{{
		Code: "X-1", Title: "Việc", Assignments: []store.AssignmentRecord{{Unit: "a"}},
		Reminders: store.Reminders{Offsets: []int{999}},
	}}}
	err := ds.Validate(nil)
	es, ok := store.ImportErrorsOf(err)
	if !ok || len(es) != 1 || es[0].Field != "reminders" {
		t.Errorf("Validate = %v, want one error on reminders", err)
	}
}
