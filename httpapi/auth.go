package httpapi

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base32"
	"net/http"
	"strings"

	"liveboard"
)

// KeyPrefix starts every API key, so keys are easy to spot in a secret
// scanner and tell apart from other tokens.
const KeyPrefix = "lb_"

// NewAPIKey returns a fresh random API key and the hash to store.
func NewAPIKey() (key string, hash []byte) {
	b := make([]byte, 32)
	_, _ = rand.Read(b) // never fails, per crypto/rand
	key = KeyPrefix + strings.ToLower(
		base32.StdEncoding.WithPadding(base32.NoPadding).EncodeToString(b))
	return key, HashAPIKey(key)
}

// HashAPIKey returns the hash under which a key is stored. Keys are 256
// random bits, so a plain SHA-256 is enough to keep a leaked table from
// being usable.
func HashAPIKey(key string) []byte {
	h := sha256.Sum256([]byte(key))
	return h[:]
}

type principalKey struct{}

// principalFrom returns the caller set by authenticate.
func principalFrom(ctx context.Context) *liveboard.Principal {
	p, _ := ctx.Value(principalKey{}).(*liveboard.Principal)
	return p
}

// authenticate resolves the Bearer API key into the caller's principal:
// the user's memberships, narrowed to the key's studio and capped at the
// key's role. The scheme name is matched in any case, as HTTP wants.
func (s *Server) authenticate(r *http.Request) (*liveboard.Principal, error) {
	scheme, token, _ := strings.Cut(r.Header.Get("Authorization"), " ")
	token = strings.TrimSpace(token)
	if !strings.EqualFold(scheme, "Bearer") || token == "" {
		return nil, liveboard.Errorf(liveboard.EUnauthorized,
			"missing API key: send Authorization: Bearer <key>")
	}

	ctx := r.Context()
	k, err := s.cfg.Store.APIKeyByHash(ctx, HashAPIKey(token))
	if liveboard.ErrorCode(err) == liveboard.ENotFound {
		return nil, liveboard.Errorf(liveboard.EUnauthorized,
			"invalid or revoked API key")
	}
	if err != nil {
		return nil, err
	}

	p, err := s.cfg.Store.Principal(ctx, k.UserID)
	if err != nil {
		return nil, err
	}
	if err := s.cfg.Store.TouchAPIKey(ctx, k.ID, s.cfg.Now()); err != nil {
		s.cfg.Logger.Warn("record API key use", "key_id", k.ID,
			"error", err)
	}
	return narrow(p, k), nil
}

// narrow limits a user's principal to what the key allows: the key's
// studio only, when it names one, and nowhere above the key's role.
func narrow(p *liveboard.Principal, k *liveboard.APIKey) *liveboard.Principal {
	out := &liveboard.Principal{UserID: p.UserID, KeyID: k.ID,
		Roles: map[int64]liveboard.Role{}}

	if p.AllStudios != "" {
		if k.StudioID == nil {
			out.AllStudios = p.AllStudios.Lower(k.Role)
		} else {
			out.Roles[*k.StudioID] = p.AllStudios.Lower(k.Role)
		}
	}
	for studioID, role := range p.Roles {
		if k.StudioID != nil && *k.StudioID != studioID {
			continue
		}
		if have, ok := out.Roles[studioID]; ok && have.Includes(role) {
			continue
		}
		out.Roles[studioID] = role.Lower(k.Role)
	}
	return out
}

// requireRole returns an error unless the caller holds role in the
// studio. A caller with no role there at all gets ENotFound, so that other
// studios' ids reveal nothing.
func requireRole(ctx context.Context, studioID int64, role liveboard.Role) error {
	p := principalFrom(ctx)
	have, ok := p.Role(studioID)
	if !ok {
		return liveboard.Errorf(liveboard.ENotFound,
			"studio %d not found", studioID)
	}
	if !have.Includes(role) {
		return liveboard.Errorf(liveboard.EForbidden,
			"this needs the %s role in studio %d; you have %s",
			role, studioID, have)
	}
	return nil
}
