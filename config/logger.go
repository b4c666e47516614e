package config

import (
	"io"
	"log/slog"
)

// NewLogger returns a logger writing to w in cfg.LogFormat (json, else
// text) at cfg.LogLevel.
func NewLogger(w io.Writer, cfg Config) *slog.Logger {
	opts := &slog.HandlerOptions{Level: cfg.Level()}
	if cfg.LogFormat == "json" {
		return slog.New(slog.NewJSONHandler(w, opts))
	}
	return slog.New(slog.NewTextHandler(w, opts))
}
