package secret

import (
	"bytes"
	"os"
	"path/filepath"
	"testing"
)

func TestSealOpen(t *testing.T) {
	box := mustBox(t, bytes.Repeat([]byte{7}, KeySize))
	plain := []byte("SPC_EC=abc; SPC_ST=def")

	sealed, err := box.Seal(plain)
	if err != nil {
		t.Fatal(err)
	}
	if bytes.Contains(sealed, plain) || bytes.Contains(sealed, []byte("abc")) {
		t.Fatalf("sealed value shows the plaintext: %q", sealed)
	}

	got, err := box.Open(sealed)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got, plain) {
		t.Errorf("Open = %q, want %q", got, plain)
	}

	again, _ := box.Seal(plain)
	if bytes.Equal(again, sealed) {
		t.Error("two seals of one value are equal; nonce not fresh")
	}
}

func TestOpenRefuses(t *testing.T) {
	box := mustBox(t, bytes.Repeat([]byte{7}, KeySize))
	other := mustBox(t, bytes.Repeat([]byte{8}, KeySize))
	sealed, _ := box.Seal([]byte("secret"))

	t.Run("ErrWrongKey", func(t *testing.T) {
		if _, err := other.Open(sealed); err == nil {
			t.Error("opened under another key")
		}
	})
	t.Run("ErrAltered", func(t *testing.T) {
		bad := bytes.Clone(sealed)
		bad[len(bad)-1] ^= 1
		if _, err := box.Open(bad); err == nil {
			t.Error("opened an altered value")
		}
	})
	t.Run("ErrShort", func(t *testing.T) {
		if _, err := box.Open([]byte{1, 2}); err == nil {
			t.Error("opened a short value")
		}
	})
}

func TestParseKey(t *testing.T) {
	hexKey := "000102030405060708090a0b0c0d0e0f" +
		"101112131415161718191a1b1c1d1e1f"
	for _, text := range []string{
		hexKey,
		"AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=",
		"AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8",
	} {
		k, err := ParseKey(text)
		if err != nil {
			t.Errorf("ParseKey(%q): %v", text, err)
			continue
		}
		if k[31] != 0x1f {
			t.Errorf("ParseKey(%q) = %x", text, k)
		}
	}
	if _, err := ParseKey("short"); err == nil {
		t.Error("ParseKey accepted a short key")
	}
}

func TestKeyFile(t *testing.T) {
	path := filepath.Join(t.TempDir(), "sub", "secret.key")

	first, err := LoadOrCreateKeyFile(path)
	if err != nil {
		t.Fatal(err)
	}
	info, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	if perm := info.Mode().Perm(); perm != 0o600 {
		t.Errorf("key file mode = %v, want 0600", perm)
	}

	second, err := LoadOrCreateKeyFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(first, second) {
		t.Error("key changed between loads")
	}

	if err := os.Chmod(path, 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := LoadOrCreateKeyFile(path); err == nil {
		t.Error("loaded a key file others can read")
	}
}

func mustBox(t *testing.T, key []byte) *Box {
	t.Helper()
	b, err := New(key)
	if err != nil {
		t.Fatal(err)
	}
	return b
}
