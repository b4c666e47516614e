package telegramtest

import (
	"strings"
	"testing"
)

func TestCheckTextLength(t *testing.T) {
	tests := []struct {
		name    string
		text    string
		mode    string
		caption bool
		wantErr string
	}{
		{name: "4096 letters", text: strings.Repeat("a", 4096)},
		{name: "4097 letters", text: strings.Repeat("a", 4097), wantErr: "Bad Request: message is too long"},
		{name: "2048 emoji are 4096 units", text: strings.Repeat("😀", 2048)},
		{name: "2049 emoji are too long", text: strings.Repeat("😀", 2049), wantErr: "Bad Request: message is too long"},
		{name: "tags do not count", text: strings.Repeat("<b>a</b>", 4096), mode: "HTML"},
		{name: "entities count once", text: strings.Repeat("&amp;", 4097), mode: "HTML", wantErr: "Bad Request: message is too long"},
		{name: "empty", text: "", wantErr: "Bad Request: message text is empty"},
		{name: "only white space", text: " \n\t", wantErr: "Bad Request: message text is empty"},
		{name: "only tags", text: "<b></b>", mode: "HTML", wantErr: "Bad Request: message text is empty"},
		{name: "empty caption is fine", text: "", caption: true},
		{name: "caption over 1024", text: strings.Repeat("a", 1025), caption: true, wantErr: "Bad Request: message caption is too long"},
		{name: "lower-case html mode", text: "<b>x</b>", mode: "html"},
		{name: "unknown parse mode", text: "x", mode: "XML", wantErr: "Bad Request: unsupported parse_mode"},
		{name: "bad HTML", text: "a & b", mode: "HTML", wantErr: `Bad Request: can't parse entities: Unescaped "&" at byte offset 2: write &amp;`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, _, res := checkText(tt.text, tt.mode, tt.caption)
			got := ""
			if res != nil {
				got = res.description
			}
			if got != tt.wantErr {
				t.Errorf("checkText error = %q, want %q", got, tt.wantErr)
			}
		})
	}
}
