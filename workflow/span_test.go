package workflow

import (
	"testing"
	"time"
)

func TestSpan(t *testing.T) {
	for d, want := range map[time.Duration]string{
		45 * time.Second:                 "45 s",
		time.Minute:                      "1 minute",
		150 * time.Second:                "3 minutes",
		15 * time.Minute:                 "15 minutes",
		time.Hour:                        "1 h",
		2*time.Hour + 5*time.Minute + 20: "2 h 5 min",
	} {
		if got := span(d); got != want {
			t.Errorf("span(%v) = %q, want %q", d, got, want)
		}
	}
}
