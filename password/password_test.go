package password

import (
	"errors"
	"strings"
	"testing"
)

// cheap keeps the tests fast; the format and the check are the same.
var cheap = Params{Memory: 64, Time: 1, Threads: 1}

func TestHashAndCheck(t *testing.T) {
	h, err := HashWith("correct horse battery", cheap)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(h, "$argon2id$v=19$m=64,t=1,p=1$") {
		t.Errorf("hash = %q, want the PHC argon2id format", h)
	}
	if strings.Contains(h, "correct horse") {
		t.Error("the hash shows the password")
	}

	tests := []struct {
		name string
		hash string
		pw   string
		want error
	}{
		{"OK", h, "correct horse battery", nil},
		{"ErrMismatch", h, "correct horse batterY", ErrMismatch},
		{"ErrMismatchEmpty", h, "", ErrMismatch},
		{"ErrMalformedEmpty", "", "x", ErrMalformed},
		{"ErrMalformedOtherAlgorithm",
			strings.Replace(h, "argon2id", "argon2i", 1), "x", ErrMalformed},
		{"ErrMalformedHugeMemory",
			strings.Replace(h, "m=64", "m=99999999", 1), "x", ErrMalformed},
		{"ErrMalformedBadSalt", withPart(h, 4, "!!"), "x", ErrMalformed},
		{"ErrMalformedShortKey", withPart(h, 5, "AAAA"), "x", ErrMalformed},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if err := Check(tt.hash, tt.pw); !errors.Is(err, tt.want) {
				t.Errorf("Check = %v, want %v", err, tt.want)
			}
		})
	}

	again, _ := HashWith("correct horse battery", cheap)
	if again == h {
		t.Error("two hashes of one password are equal: no fresh salt")
	}
}

func TestValidate(t *testing.T) {
	tests := []struct {
		pw string
		ok bool
	}{
		{"short", false},
		{"ten chars!", true},
		{"äöüäöüäöüä", true},
		{strings.Repeat("x", 2000), false},
	}
	for _, tt := range tests {
		if err := Validate(tt.pw); (err == nil) != tt.ok {
			t.Errorf("Validate(%.12q) = %v, want ok %t", tt.pw, err, tt.ok)
		}
	}
}

func TestCheckNobody(t *testing.T) {
	if err := CheckNobody("anything at all"); !errors.Is(err, ErrMismatch) {
		t.Errorf("CheckNobody = %v", err)
	}
}

// withPart returns the hash with its i-th $-separated part replaced.
func withPart(hash string, i int, part string) string {
	parts := strings.Split(hash, "$")
	parts[i] = part
	return strings.Join(parts, "$")
}
