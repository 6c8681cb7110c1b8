package shopeesim

import (
	"encoding/base64"
	"fmt"
	"math/rand/v2"
	"strings"
)

// studioWords name the simulated studios: studio_<word>_NN.
var studioWords = []string{
	"aurora", "batik", "cahaya", "delima", "embun", "fajar", "gemilang",
	"harmoni", "indah", "jelita", "kirana", "lestari", "mentari", "nusantara",
	"pelangi", "ratu", "senja", "tropika", "utama", "wangi", "zamrud",
	"melati", "anggrek", "samudra", "bintang", "kencana", "permata", "sakura",
}

// Session titles are a hook and a theme, the way studios name their
// streams.
var (
	titleHooks = []string{
		"Flash Sale", "Live Promo", "Gratis Ongkir", "Diskon Gila",
		"Serba 50rb", "Payday Sale", "Cuci Gudang", "Midnight Deal",
		"Buy 1 Get 1", "Voucher Kaget", "Harbolnas Warm-up", "Spesial Member",
	}
	titleThemes = []string{
		"Skincare Glowing", "Fashion Muslim", "Sepatu & Tas", "Gadget Murah",
		"Perlengkapan Bayi", "Dapur Hemat", "Makeup Lokal", "Parfum Tahan Lama",
		"Hijab Premium", "Jam Tangan", "Mainan Anak", "Camilan Viral",
		"Kaos Oversize", "Aksesoris HP", "Alat Rumah Tangga",
	}
)

// studioName returns the user name of the account with the given index.
func studioName(rng *rand.Rand, index int) string {
	word := studioWords[rng.IntN(len(studioWords))]
	return fmt.Sprintf("studio_%s_%02d", word, index+1)
}

// sessionTitle draws a stream title.
func sessionTitle(rng *rand.Rand) string {
	hook := titleHooks[rng.IntN(len(titleHooks))]
	theme := titleThemes[rng.IntN(len(titleThemes))]
	return hook + " - " + theme
}

// cookieJar is the set of cookies a logged-in browser sends. Only SPC_EC
// decides who the caller is; the others make the header look real.
type cookieJar struct {
	userID int64
	ec     string
	st     string
	cds    string
	csrf   string
}

// newCookieJar draws a login's cookie values.
func newCookieJar(rng *rand.Rand, userID int64) cookieJar {
	return cookieJar{
		userID: userID,
		ec:     randomBase64(rng, 48),
		st:     "." + randomBase64(rng, 96),
		cds:    randomUUID(rng),
		csrf:   randomAlnum(rng, 32),
	}
}

// header returns the Cookie header value carrying the jar.
func (j cookieJar) header() string {
	return fmt.Sprintf("SPC_EC=%s; SPC_ST=%s; SPC_U=%d; SPC_CDS=%s; "+
		"csrftoken=%s", j.ec, j.st, j.userID, j.cds, j.csrf)
}

func randomBytes(rng *rand.Rand, n int) []byte {
	b := make([]byte, n)
	for i := range b {
		b[i] = byte(rng.UintN(256))
	}
	return b
}

func randomBase64(rng *rand.Rand, n int) string {
	s := base64.StdEncoding.EncodeToString(randomBytes(rng, n))
	return s[:n]
}

func randomUUID(rng *rand.Rand) string {
	h := fmt.Sprintf("%x", randomBytes(rng, 16))
	return strings.Join([]string{h[:8], h[8:12], h[12:16], h[16:20], h[20:]},
		"-")
}

const alnum = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"

func randomAlnum(rng *rand.Rand, n int) string {
	b := make([]byte, n)
	for i := range b {
		b[i] = alnum[rng.IntN(len(alnum))]
	}
	return string(b)
}
