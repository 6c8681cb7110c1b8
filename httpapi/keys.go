package httpapi

import (
	"context"
	"fmt"
	"net/http"
	"strings"
	"unicode/utf8"

	"liveboard"
)

// apiKeyJSON shows an API key; never the key itself or its hash.
type apiKeyJSON struct {
	ID         int64          `json:"id"`
	UserID     int64          `json:"user_id"`
	StudioID   *int64         `json:"studio_id"`
	Role       liveboard.Role `json:"role"`
	Name       string         `json:"name"`
	Prefix     string         `json:"prefix"`
	CreatedAt  string         `json:"created_at"`
	LastUsedAt *string        `json:"last_used_at"`
	RevokedAt  *string        `json:"revoked_at"`
}

// newAPIKeyJSON shows k with its times in the region of its studio.
func newAPIKeyJSON(k liveboard.APIKey, region liveboard.Region) apiKeyJSON {
	return apiKeyJSON{ID: k.ID, UserID: k.UserID, StudioID: k.StudioID,
		Role: k.Role, Name: k.Name, Prefix: k.Prefix,
		CreatedAt:  regionTime(k.CreatedAt, region),
		LastUsedAt: optionalTime(k.LastUsedAt, region),
		RevokedAt:  optionalTime(k.RevokedAt, region)}
}

// keyRegion returns the region of k's studio; the empty region, whose
// zone is UTC, for a key of every studio.
func (s *Server) keyRegion(ctx context.Context,
	k *liveboard.APIKey) (liveboard.Region, error) {
	if k.StudioID == nil {
		return "", nil
	}
	st, err := s.cfg.Store.Studio(ctx, *k.StudioID)
	if err != nil {
		return "", err
	}
	return st.Region, nil
}

type createKeyRequest struct {
	StudioID int64  `json:"studio_id"`
	Role     string `json:"role"`
	Name     string `json:"name"`
}

// maxKeyName bounds a key's name.
const maxKeyName = 100

// createKey answers POST /api-keys: a new key acting for the caller,
// scoped to one studio and capped at a role the caller holds there. The
// key is in this answer only; Liveboard keeps its hash.
func (s *Server) createKey(w http.ResponseWriter, r *http.Request) error {
	var req createKeyRequest
	if err := decodeBody(w, r, &req); err != nil {
		return err
	}
	role, err := liveboard.ParseRole(req.Role)
	if err != nil {
		return err
	}
	name := strings.TrimSpace(req.Name)
	if name == "" || utf8.RuneCountInString(name) > maxKeyName {
		return liveboard.Errorf(liveboard.EInvalid,
			"name is required, up to %d characters", maxKeyName)
	}
	if req.StudioID == 0 {
		return liveboard.Errorf(liveboard.EInvalid,
			"studio_id is required: keys are scoped to one studio")
	}

	ctx := r.Context()
	if err := requireRole(ctx, req.StudioID, role); err != nil {
		return err
	}
	p := principalFrom(ctx)
	key, hash := NewAPIKey()
	k := &liveboard.APIKey{UserID: p.UserID, StudioID: &req.StudioID,
		Role: role, Name: name, Prefix: key[:len(KeyPrefix)+6]}
	if err := s.cfg.Store.CreateAPIKey(ctx, k, hash); err != nil {
		return err
	}
	s.audit(r, liveboard.AuditKeyCreate, req.StudioID, keyTarget(k),
		"role "+string(role))

	region, err := s.keyRegion(ctx, k)
	if err != nil {
		return err
	}
	s.writeData(w, http.StatusCreated, map[string]any{
		"key": key, "api_key": newAPIKeyJSON(*k, region)})
	return nil
}

func keyTarget(k *liveboard.APIKey) string {
	return fmt.Sprintf("API key %d (%s, %s…)", k.ID, k.Name, k.Prefix)
}

// listKeys answers GET /api-keys: a studio's keys, revoked ones too. An
// admin sees everyone's; others see their own.
func (s *Server) listKeys(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	st, err := s.requestedStudio(r)
	if err != nil {
		return err
	}
	studioID := st.ID
	keys, err := s.cfg.Store.APIKeys(ctx, studioID)
	if err != nil {
		return err
	}

	p := principalFrom(ctx)
	all := p.Can(studioID, liveboard.RoleAdmin)
	out := []apiKeyJSON{}
	for _, k := range keys {
		if all || k.UserID == p.UserID {
			out = append(out, newAPIKeyJSON(k, st.Region))
		}
	}
	s.writeData(w, http.StatusOK, map[string]any{"studio_id": studioID,
		"api_keys": out})
	return nil
}

// revokeKey answers DELETE /api-keys/{id}: the key stops working at
// once. People revoke their own keys, admins anyone's in their studio;
// either way only keys whose role the caller holds.
func (s *Server) revokeKey(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	id, err := pathID(r, "API key")
	if err != nil {
		return err
	}
	k, err := s.revocableKey(ctx, id)
	if err != nil {
		return err
	}
	if err := s.cfg.Store.RevokeAPIKey(ctx, k.ID, s.cfg.Now()); err != nil {
		return err
	}
	var studioID int64
	if k.StudioID != nil {
		studioID = *k.StudioID
	}
	s.audit(r, liveboard.AuditKeyRevoke, studioID, keyTarget(k), "")

	k, err = s.cfg.Store.APIKey(ctx, id)
	if err != nil {
		return err
	}
	region, err := s.keyRegion(ctx, k)
	if err != nil {
		return err
	}
	s.writeData(w, http.StatusOK, newAPIKeyJSON(*k, region))
	return nil
}

// revocableKey returns the unrevoked key the caller may revoke. Keys of
// studios the caller is not in, and revoked ones, are ENotFound.
func (s *Server) revocableKey(ctx context.Context,
	id int64) (*liveboard.APIKey, error) {
	missing := liveboard.Errorf(liveboard.ENotFound, "API key %d not found",
		id)
	k, err := s.cfg.Store.APIKey(ctx, id)
	switch {
	case liveboard.ErrorCode(err) == liveboard.ENotFound:
		return nil, missing
	case err != nil:
		return nil, err
	case k.RevokedAt != nil:
		return nil, missing
	}

	p := principalFrom(ctx)
	own := k.UserID == p.UserID
	if k.StudioID == nil {
		if own {
			return k, nil
		}
		return nil, missing
	}
	role, ok := p.Role(*k.StudioID)
	switch {
	case !ok:
		return nil, missing
	case !role.Includes(k.Role):
		return nil, liveboard.Errorf(liveboard.EForbidden,
			"revoking a key with the %s role needs that role", k.Role)
	case !own && !role.Includes(liveboard.RoleAdmin):
		return nil, liveboard.Errorf(liveboard.EForbidden,
			"only an admin may revoke another person's key")
	}
	return k, nil
}
