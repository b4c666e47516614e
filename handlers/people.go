package handlers

import (
	"context"
	"fmt"
	"slices"

	"meetbot/store"
)

// Who the user is: an office administrator (ADMIN_IDS, or granted in chat
// with /admin), a member of the units they speak for, or anyone. Every
// read passes viewerOf's answer to the store, every admin-only command
// asks isAdmin, and both use the same lookups.

// officeAdminWho says who may do what only administrators may, in
// refusals.
const officeAdminWho = "quản trị viên của văn phòng"

// isOfficeAdmin reports whether the user is one of the office's
// configured administrators (ADMIN_IDS), who cannot be removed in chat.
func (h *Handlers) isOfficeAdmin(userID int64) bool {
	return userID != 0 && slices.Contains(h.cfg.AdminIDs, userID)
}

// isAdmin reports whether the user is an office administrator: one of
// ADMIN_IDS, or granted in chat (People). It is the one check of every
// admin-only command and button. The answer is kept for the rest of the
// request; a failed lookup is not, so a later step asks again.
func (h *Handlers) isAdmin(ctx context.Context, r *request) (bool, error) {
	if r.admin != nil {
		return *r.admin, nil
	}
	ok := h.isOfficeAdmin(r.user.ID)
	if !ok && h.deps.People != nil && r.user.ID != 0 {
		var err error
		if ok, err = h.deps.People.IsAdmin(ctx, r.user.ID); err != nil {
			return false, fmt.Errorf("look up admin %d: %w", r.user.ID, err)
		}
	}
	r.admin = &ok
	return ok, nil
}

// viewerOf returns who the user is, once per request: an administrator
// (ADMIN_IDS, or granted in chat), or a member of the units they speak
// for (seen writing in a group bound to the unit; in a bound group, its
// units too). Lookups that fail leave the user with what is public, and
// are logged.
func (h *Handlers) viewerOf(ctx context.Context, r *request) store.Viewer {
	if r.viewer != nil {
		return *r.viewer
	}
	v := h.lookupViewer(ctx, r)
	r.viewer = &v
	return v
}

func (h *Handlers) lookupViewer(ctx context.Context, r *request) store.Viewer {
	admin, err := h.isAdmin(ctx, r)
	if err != nil {
		h.deps.Log.Error("look up admin", "update_id", r.updateID, "err", err)
	}
	if admin {
		return store.NewViewer(true)
	}
	return store.NewViewer(false, h.memberUnits(ctx, r)...)
}

// memberUnits returns the units the user speaks for: those of the groups
// bound to a unit they were seen in, and in a bound group its units.
// Administrators are members only the same way. The lookup is made once
// per request (viewerOf, then the report buttons of a directive's card).
func (h *Handlers) memberUnits(ctx context.Context, r *request) []int64 {
	if r.members == nil {
		units := h.lookupMemberUnits(ctx, r)
		r.members = &units
	}
	return *r.members
}

func (h *Handlers) lookupMemberUnits(ctx context.Context, r *request) []int64 {
	units := slices.Clone(h.storedUnits(ctx, r))
	for _, u := range h.chatUnits(ctx, r) {
		units = append(units, u.ID)
	}
	slices.Sort(units)
	return slices.Compact(units)
}

// storedUnits returns the units the store knows the user speaks for
// (People.UserUnits), looked up once per update; a failed lookup is
// logged and counts as none.
func (h *Handlers) storedUnits(ctx context.Context, r *request) []int64 {
	if r.stored != nil {
		return *r.stored
	}
	var units []int64
	if p := h.deps.People; p != nil && r.user.ID != 0 {
		us, err := p.UserUnits(ctx, r.user.ID)
		if err != nil {
			h.deps.Log.Error("look up units of user", "update_id", r.updateID, "err", err)
		}
		units = us
	}
	r.stored = &units
	return units
}

// chatUnits returns the units the chat (and topic) is bound to; a failed
// lookup is logged and counts as no binding.
func (h *Handlers) chatUnits(ctx context.Context, r *request) []store.Unit {
	us, err := h.boundUnits(ctx, r)
	if err != nil {
		h.deps.Log.Error("units of chat", "update_id", r.updateID, "err", err)
		return nil
	}
	return us
}

// boundUnits returns the units the chat (and topic) is bound to: none in
// a private chat or an inline query. The registry is asked once per
// request, however many steps ask (noteMember, viewerOf, /calendar, ...);
// a failure too is kept.
func (h *Handlers) boundUnits(ctx context.Context, r *request) ([]store.Unit, error) {
	if h.deps.Chats == nil || r.private || r.chatID == 0 {
		return nil, nil
	}
	if r.binding == nil {
		us, err := h.deps.Chats.UnitsForChat(ctx, r.chatID, r.thread)
		if err != nil {
			err = fmt.Errorf("units bound to the chat: %w", err)
		}
		r.binding = &chatBinding{units: us, err: err}
	}
	return r.binding.units, r.binding.err
}

// chatBinding is the answer of the registry about the request's chat.
type chatBinding struct {
	units []store.Unit
	err   error
}

// noteMember records that the user speaks for the units the group is
// bound to, so their private chat with the bot knows them too.
func (h *Handlers) noteMember(ctx context.Context, r *request) {
	if h.deps.People == nil || r.private || r.user.ID == 0 || r.user.IsBot {
		return
	}
	for _, u := range h.chatUnits(ctx, r) {
		if slices.Contains(h.storedUnits(ctx, r), u.ID) {
			continue // known already: no write for every message in the group
		}
		if err := h.deps.People.RecordMember(ctx, r.user.ID, u.ID, r.chatID, h.deps.Now()); err != nil {
			h.deps.Log.Error("record unit member", "update_id", r.updateID, "err", err)
		}
	}
}

// hidden returns an error that answers a record the viewer may not see
// exactly as a missing one: it wraps store.ErrNotFound.
func hidden(kind store.RecordKind, id int64) error {
	return fmt.Errorf("%s %d is restricted: %w", kind, id, store.ErrNotFound)
}

// loadDirective returns directive id (with its report history) if the
// user may see it; a hidden one is an error wrapping ErrNotFound, like a
// missing one.
func (h *Handlers) loadDirective(ctx context.Context, r *request, id int64) (store.Directive, error) {
	d, err := h.deps.Store.Directive(ctx, id)
	if err == nil && !h.viewerOf(ctx, r).CanSeeDirective(d) {
		err = hidden(store.RecordDirective, id)
	}
	return d, err
}

// loadMeeting returns meeting id if the user may see it; a hidden one is
// an error wrapping ErrNotFound, like a missing one.
func (h *Handlers) loadMeeting(ctx context.Context, r *request, id int64) (store.Meeting, error) {
	m, err := h.deps.Store.Meeting(ctx, id)
	if err == nil && !h.viewerOf(ctx, r).CanSeeMeeting(m) {
		err = hidden(store.RecordMeeting, id)
	}
	return m, err
}

// loadProgram returns program id if the user may see it (canSeeProgram);
// a hidden one is an error wrapping ErrNotFound, like a missing one.
func (h *Handlers) loadProgram(ctx context.Context, r *request, id int64) (store.Program, error) {
	p, err := h.deps.Store.Program(ctx, id)
	if err != nil {
		return p, err
	}
	ok, err := h.canSeeProgram(ctx, h.viewerOf(ctx, r), p)
	if err == nil && !ok {
		err = hidden(store.RecordProgram, id)
	}
	return p, err
}

// canSeeProgram reports whether the viewer may see p: what
// store.Viewer.CanSeeProgram allows, and (as the store decides in its
// lists) a restricted program the viewer's units have directives in.
func (h *Handlers) canSeeProgram(ctx context.Context, v store.Viewer, p store.Program) (bool, error) {
	if v.CanSeeProgram(p) {
		return true, nil
	}
	if len(v.Units) == 0 {
		return false, nil
	}
	for _, u := range v.Units {
		pg, err := h.deps.Store.Directives(ctx, store.DirectiveFilter{ProgramID: p.ID, UnitID: u, Viewer: adminViewer, Limit: 1})
		if err != nil {
			return false, fmt.Errorf("directives of program %d for unit %d: %w", p.ID, u, err)
		}
		if pg.Total > 0 || len(pg.Items) > 0 {
			return true, nil
		}
	}
	return false, nil
}

// visibleCount returns how many of the directives f selects the user may
// see: the store's count (all of them) when the user sees everything or
// there are none, else the visible ones counted, so a detail screen does
// not give restricted directives away by their number. (Lists need not:
// the store counts what their filter's Viewer sees.)
func (h *Handlers) visibleCount(ctx context.Context, r *request, all int, f store.DirectiveFilter) (int, error) {
	v := h.viewerOf(ctx, r)
	if all == 0 || v.Admin {
		return all, nil
	}
	f.Viewer, f.Limit = v, 1
	pg, err := h.deps.Store.Directives(ctx, f)
	if err != nil {
		return 0, fmt.Errorf("count visible directives: %w", err)
	}
	return pg.Total, nil
}
