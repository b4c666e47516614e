package handlers

import (
	"context"

	"meetbot/store"
)

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
	if h.isOfficeAdmin(r.user.ID) {
		return store.NewViewer(true)
	}
	var units []int64
	if p := h.deps.People; p != nil && r.user.ID != 0 {
		admin, err := p.IsAdmin(ctx, r.user.ID)
		if err != nil {
			h.deps.Log.Error("look up admin", "update_id", r.updateID, "err", err)
		}
		if admin {
			return store.NewViewer(true)
		}
		us, err := p.UserUnits(ctx, r.user.ID)
		if err != nil {
			h.deps.Log.Error("look up units of user", "update_id", r.updateID, "err", err)
		}
		units = append(units, us...)
	}
	if !r.private {
		for _, u := range h.chatUnits(ctx, r) {
			units = append(units, u.ID)
		}
	}
	return store.NewViewer(false, units...)
}

// chatUnits returns the units the chat (and topic) is bound to.
func (h *Handlers) chatUnits(ctx context.Context, r *request) []store.Unit {
	if h.deps.Chats == nil || r.private {
		return nil
	}
	us, err := h.deps.Chats.UnitsForChat(ctx, r.chatID, r.thread)
	if err != nil {
		h.deps.Log.Error("units of chat", "update_id", r.updateID, "err", err)
		return nil
	}
	return us
}

// noteMember records that the user speaks for the units the group is
// bound to, so their private chat with the bot knows them too.
func (h *Handlers) noteMember(ctx context.Context, r *request) {
	if h.deps.People == nil || r.private || r.user.ID == 0 || r.user.IsBot {
		return
	}
	for _, u := range h.chatUnits(ctx, r) {
		if err := h.deps.People.RecordMember(ctx, r.user.ID, u.ID, r.chatID, h.deps.Now()); err != nil {
			h.deps.Log.Error("record unit member", "update_id", r.updateID, "err", err)
		}
	}
}
