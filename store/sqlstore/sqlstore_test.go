package sqlstore_test

import (
	"path/filepath"
	"testing"

	"meetbot/store"
	"meetbot/store/sqlstore"
	"meetbot/store/storetest"
)

func open(t *testing.T) *sqlstore.Store {
	t.Helper()
	s, err := sqlstore.Open(t.Context(), filepath.Join(t.TempDir(), "meetbot.db"), sqlstore.Options{Location: storetest.Loc, Now: storetest.Now})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = s.Close() })
	return s
}

func TestContract(t *testing.T) {
	storetest.Run(t, func(t *testing.T) store.Store { return open(t) })
}
