// Package password hashes people's passwords with argon2id for storage
// and checks passwords against those hashes.
//
// Hashes are written in the PHC string format,
// $argon2id$v=19$m=<KiB>,t=<passes>,p=<lanes>$<salt>$<key>, so each one
// carries the parameters it was made with and stays checkable when the
// defaults change.
package password

import (
	"crypto/rand"
	"crypto/subtle"
	"encoding/base64"
	"errors"
	"fmt"
	"strings"
	"sync"
	"unicode/utf8"

	"golang.org/x/crypto/argon2"
)

// Params are argon2id's costs.
type Params struct {
	// Memory is in KiB; Time is the number of passes; Threads the lanes.
	Memory  uint32
	Time    uint32
	Threads uint8
}

// Default follows OWASP's advice for argon2id: 19 MiB, two passes, one
// lane.
var Default = Params{Memory: 19 * 1024, Time: 2, Threads: 1}

// MinLength is the fewest characters a password may have.
const MinLength = 10

// maxLength bounds a password, so that nobody makes the server hash
// megabytes.
const maxLength = 1024

const (
	saltSize = 16
	keySize  = 32
)

// Errors of Check.
var (
	// ErrMismatch means the password is not the one hashed.
	ErrMismatch = errors.New("password: does not match")
	// ErrMalformed means the stored hash cannot be read.
	ErrMalformed = errors.New("password: malformed hash")
)

var b64 = base64.RawStdEncoding

// Validate reports a password too short or too long to accept.
func Validate(pw string) error {
	n := utf8.RuneCountInString(pw)
	switch {
	case n < MinLength:
		return fmt.Errorf("a password needs at least %d characters",
			MinLength)
	case len(pw) > maxLength:
		return fmt.Errorf("a password may have at most %d bytes", maxLength)
	}
	return nil
}

// Hash returns the hash of pw with the Default parameters.
func Hash(pw string) (string, error) { return HashWith(pw, Default) }

// HashWith returns the hash of pw with p and a fresh random salt.
func HashWith(pw string, p Params) (string, error) {
	if len(pw) > maxLength {
		return "", fmt.Errorf("password: longer than %d bytes", maxLength)
	}
	if p.Memory == 0 || p.Time == 0 || p.Threads == 0 {
		return "", errors.New("password: zero argon2id parameter")
	}

	salt := make([]byte, saltSize)
	_, _ = rand.Read(salt) // never fails, per crypto/rand
	key := argon2.IDKey([]byte(pw), salt, p.Time, p.Memory, p.Threads,
		keySize)
	return fmt.Sprintf("$argon2id$v=%d$m=%d,t=%d,p=%d$%s$%s",
		argon2.Version, p.Memory, p.Time, p.Threads, b64.EncodeToString(salt),
		b64.EncodeToString(key)), nil
}

// Check returns nil when pw is the password hash was made from,
// ErrMismatch when it is not, and ErrMalformed when hash is unreadable
// (an empty hash included: such a user has no password).
func Check(hash, pw string) error {
	p, salt, key, err := parse(hash)
	if err != nil {
		return err
	}
	if len(pw) > maxLength {
		return ErrMismatch
	}

	got := argon2.IDKey([]byte(pw), salt, p.Time, p.Memory, p.Threads,
		uint32(len(key)))
	if subtle.ConstantTimeCompare(got, key) != 1 {
		return ErrMismatch
	}
	return nil
}

// maxMemory refuses stored hashes that would make a check allocate more
// than 1 GiB.
const maxMemory = 1 << 20

func parse(hash string) (p Params, salt, key []byte, err error) {
	parts := strings.Split(hash, "$")
	if len(parts) != 6 || parts[0] != "" || parts[1] != "argon2id" {
		return p, nil, nil, ErrMalformed
	}

	var version int
	if _, err := fmt.Sscanf(parts[2], "v=%d", &version); err != nil ||
		version != argon2.Version {
		return p, nil, nil, ErrMalformed
	}
	_, err = fmt.Sscanf(parts[3], "m=%d,t=%d,p=%d", &p.Memory, &p.Time,
		&p.Threads)
	if err != nil || p.Memory == 0 || p.Memory > maxMemory || p.Time == 0 ||
		p.Threads == 0 {
		return p, nil, nil, ErrMalformed
	}

	salt, err = b64.DecodeString(parts[4])
	if err != nil || len(salt) == 0 {
		return p, nil, nil, ErrMalformed
	}
	key, err = b64.DecodeString(parts[5])
	if err != nil || len(key) < 16 {
		return p, nil, nil, ErrMalformed
	}
	return p, salt, key, nil
}

// dummy is a hash no password matches in practice, checked when a sign-in
// names nobody, so that a wrong email takes as long as a wrong password.
var dummy = sync.OnceValue(func() string {
	h, _ := Hash("no password matches this one, whatever it is")
	return h
})

// CheckNobody spends the time Check spends on a Default hash and returns
// ErrMismatch.
func CheckNobody(pw string) error {
	_ = Check(dummy(), pw)
	return ErrMismatch
}
