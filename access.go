package liveboard

import "time"

// Role is what a person may do in a studio. Each role includes the ones
// below it: owner > admin > operator > viewer.
type Role string

// The roles, from most to least powerful.
const (
	RoleOwner    Role = "owner"
	RoleAdmin    Role = "admin"
	RoleOperator Role = "operator"
	RoleViewer   Role = "viewer"
)

var roleRank = map[Role]int{
	RoleViewer: 1, RoleOperator: 2, RoleAdmin: 3, RoleOwner: 4,
}

// ParseRole returns the role named by s.
func ParseRole(s string) (Role, error) {
	r := Role(s)
	if _, ok := roleRank[r]; !ok {
		return "", Errorf(EInvalid, "unknown role %q "+
			"(want owner, admin, operator or viewer)", s)
	}
	return r, nil
}

// Includes reports whether r may do everything other may.
func (r Role) Includes(other Role) bool {
	return roleRank[r] >= roleRank[other] && roleRank[other] > 0
}

// Lower returns the less powerful of r and other.
func (r Role) Lower(other Role) Role {
	if roleRank[other] < roleRank[r] {
		return other
	}
	return r
}

// User is a person (or an automation) with access to Liveboard.
type User struct {
	ID    int64
	Email string
	Name  string

	// Admin marks an instance administrator: owner of every studio.
	Admin bool

	CreatedAt time.Time
}

// APIKey is a credential for the JSON API, acting for its user. Only a hash
// of the key is stored; the key itself is shown once, when created.
type APIKey struct {
	ID     int64
	UserID int64

	// StudioID narrows the key to one studio; nil means every studio its
	// user belongs to.
	StudioID *int64

	// Role caps what the key may do, below its user's own role.
	Role Role

	Name string
	// Prefix is the key's first characters, to tell keys apart in lists.
	Prefix string

	CreatedAt  time.Time
	LastUsedAt *time.Time
	RevokedAt  *time.Time
}

// Principal is who is making a request and what they may do. It is built
// from a user's memberships, narrowed by the API key when one was used.
type Principal struct {
	UserID int64

	// AllStudios is the role held in every studio, existing or future:
	// owner for an instance administrator, empty for everyone else.
	AllStudios Role

	// Roles maps the studios the principal belongs to to their role there.
	Roles map[int64]Role

	// KeyID is the API key the principal acts through; 0 for a person
	// signed in with a password.
	KeyID int64
}

// Role returns the principal's role in a studio, and whether they have one.
func (p *Principal) Role(studioID int64) (Role, bool) {
	if p == nil {
		return "", false
	}
	r, ok := p.Roles[studioID]
	if p.AllStudios != "" && (!ok || p.AllStudios.Includes(r)) {
		return p.AllStudios, true
	}
	return r, ok
}

// Can reports whether the principal holds at least role in the studio.
func (p *Principal) Can(studioID int64, role Role) bool {
	r, ok := p.Role(studioID)
	return ok && r.Includes(role)
}

// Require returns nil when the principal holds at least role in the
// studio. Someone with no role there gets ENotFound, so that other
// studios' ids reveal nothing; someone whose role is too low gets
// EForbidden.
func (p *Principal) Require(studioID int64, role Role) error {
	have, ok := p.Role(studioID)
	if !ok {
		return Errorf(ENotFound, "studio %d not found", studioID)
	}
	if !have.Includes(role) {
		return Errorf(EForbidden, "this needs the %s role in studio %d; "+
			"you have %s", role, studioID, have)
	}
	return nil
}
