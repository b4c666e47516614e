package tghtml

// Pre appends s as a preformatted block (monospace, white space kept):
// aligned tables. An empty s appends nothing.
func (d *Builder) Pre(s string) *Builder { return d.wrap("pre", s) }
