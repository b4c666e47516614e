package config

import (
	"io"
	"log/slog"
	"os"
)

// NewLogger returns a logger writing to standard error in cfg.LogFormat
// (json, else text) at cfg.LogLevel.
func NewLogger(cfg Config) *slog.Logger {
	return NewLoggerTo(os.Stderr, cfg)
}

// NewLoggerTo is NewLogger writing to w.
func NewLoggerTo(w io.Writer, cfg Config) *slog.Logger {
	opts := &slog.HandlerOptions{Level: cfg.Level()}
	if cfg.LogFormat == "json" {
		return slog.New(slog.NewJSONHandler(w, opts))
	}
	return slog.New(slog.NewTextHandler(w, opts))
}
