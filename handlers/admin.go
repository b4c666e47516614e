package handlers

// /admin: the office's administrators list, grant and revoke
// administration in chat. Those configured in ADMIN_IDS are shown marked
// and cannot be removed here; grants and revocations are audited by the
// store with the administrator as the actor.

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"

	"github.com/go-telegram/bot/models"

	"meetbot/store"
	"meetbot/tghtml"
)

// AdminRoster manages the administrators granted in chat. Deps.People
// may implement it (*sqlstore.Store does); without it /admin only lists
// the configured administrators.
type AdminRoster interface {
	GrantAdmin(ctx context.Context, userID int64, name string, by store.Actor) error
	RevokeAdmin(ctx context.Context, userID int64, by store.Actor) error
	Admins(ctx context.Context) ([]store.Admin, error)
}

// roster returns People as an AdminRoster, if it is one.
func (h *Handlers) roster() (AdminRoster, bool) {
	ar, ok := h.deps.People.(AdminRoster)
	return ar, ok && h.deps.People != nil
}

// cmdAdmin: /admin, /admin add <user id> (or as a reply to the user's
// message), /admin remove <user id>.
func (h *Handlers) cmdAdmin(ctx context.Context, r *request, args string) (view, error) {
	if admin, err := h.isAdmin(ctx, r); err != nil || !admin {
		return refusedView("quản lý quản trị viên", officeAdminWho), err
	}
	verb, rest, _ := strings.Cut(strings.TrimSpace(args), " ")
	rest = strings.TrimSpace(rest)
	switch foldWords(verb) {
	case "":
		return h.listAdmins(ctx, r)
	case "add", "them":
		return h.grantAdmin(ctx, r, rest)
	case "remove", "rm", "xoa", "bo":
		return h.revokeAdmin(ctx, r, rest)
	}
	return usage("admin", "Không hiểu “"+tghtml.Truncate(verb, 30)+"”: hãy dùng add (thêm) hoặc remove (bớt)."), nil
}

// listAdmins lists the configured and the granted administrators.
func (h *Handlers) listAdmins(ctx context.Context, r *request) (view, error) {
	var b tghtml.Builder
	b.Text("👮 ").B("Quản trị viên của văn phòng").NL().NL()
	for _, id := range h.cfg.AdminIDs {
		b.Text("• ").Code(strconv.FormatInt(id, 10)).Text(" — cấu hình (ADMIN_IDS), không gỡ được trong chat").NL()
	}
	if ar, ok := h.roster(); ok {
		as, err := ar.Admins(ctx)
		if err != nil {
			return view{}, fmt.Errorf("list admins: %w", err)
		}
		for _, a := range as {
			if h.isOfficeAdmin(a.UserID) {
				continue
			}
			b.Text("• ").Code(strconv.FormatInt(a.UserID, 10))
			if a.Name != "" {
				b.Text(" — " + a.Name)
			}
			if !a.GrantedAt.IsZero() {
				b.Text(" · thêm ngày " + fmtDate(store.DateIn(a.GrantedAt, r.rd.loc)))
			}
			b.NL()
		}
	}
	if len(h.cfg.AdminIDs) == 0 {
		b.I("Chưa cấu hình ADMIN_IDS.").NL()
	}
	b.NL().Text("Thêm: ").Code("/admin add <mã người dùng>").Text(" (hoặc trả lời tin nhắn của người đó bằng /admin add). Bớt: ").Code("/admin remove <mã người dùng>").NL()
	return view{html: b.String()}, nil
}

// grantAdmin: /admin add <id>, or as a reply to the user's message.
func (h *Handlers) grantAdmin(ctx context.Context, r *request, arg string) (view, error) {
	ar, ok := h.roster()
	if !ok {
		return message("ℹ️", "Thêm quản trị viên chỉ dùng được trên Telegram.", "Quản trị viên cố định đặt trong ADMIN_IDS."), nil
	}
	var target models.User
	if arg == "" && r.replyTo != nil {
		target = *r.replyTo
	} else {
		id, err := strconv.ParseInt(strings.TrimSpace(arg), 10, 64)
		if err != nil || id <= 0 {
			return usage("admin", "Hãy cho biết mã người dùng Telegram (một số), hoặc trả lời tin nhắn của người đó bằng /admin add."), nil
		}
		target = models.User{ID: id}
	}
	if target.IsBot {
		return message("⚠️", "Không thể cấp quyền quản trị cho bot."), nil
	}
	if h.isOfficeAdmin(target.ID) {
		return message("ℹ️", fmt.Sprintf("Người dùng %d đã là quản trị viên (cấu hình ADMIN_IDS).", target.ID)), nil
	}
	name := ""
	if target.FirstName != "" || target.Username != "" {
		name = actorOf(target).Name
	}
	if err := ar.GrantAdmin(ctx, target.ID, name, actorOf(r.user)); err != nil {
		return view{}, fmt.Errorf("grant admin %d: %w", target.ID, err)
	}
	who := strconv.FormatInt(target.ID, 10)
	if name != "" {
		who = name + " (" + who + ")"
	}
	return message("✅", "Đã thêm "+who+" làm quản trị viên của văn phòng.", "Gõ /admin để xem danh sách."), nil
}

// revokeAdmin: /admin remove <id>.
func (h *Handlers) revokeAdmin(ctx context.Context, r *request, arg string) (view, error) {
	ar, ok := h.roster()
	if !ok {
		return message("ℹ️", "Bớt quản trị viên chỉ dùng được trên Telegram.", ""), nil
	}
	id, err := strconv.ParseInt(strings.TrimSpace(arg), 10, 64)
	if err != nil || id <= 0 {
		return usage("admin", "Hãy cho biết mã người dùng Telegram (một số) cần bớt quyền, ví dụ: /admin remove 123456789"), nil
	}
	if h.isOfficeAdmin(id) {
		return message("🔒", fmt.Sprintf("Người dùng %d là quản trị viên cấu hình (ADMIN_IDS), không gỡ được trong chat.", id),
			"Hãy sửa ADMIN_IDS trong cấu hình của bot."), nil
	}
	err = ar.RevokeAdmin(ctx, id, actorOf(r.user))
	if errors.Is(err, store.ErrNotFound) {
		return message("ℹ️", fmt.Sprintf("Người dùng %d không phải quản trị viên.", id), "Gõ /admin để xem danh sách."), nil
	}
	if err != nil {
		return view{}, fmt.Errorf("revoke admin %d: %w", id, err)
	}
	return message("✅", fmt.Sprintf("Đã bớt quyền quản trị của người dùng %d.", id), "Gõ /admin để xem danh sách."), nil
}
