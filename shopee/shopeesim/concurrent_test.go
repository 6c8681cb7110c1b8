package shopeesim

import (
	"net/http"
	"sync"
	"testing"
	"time"
)

// TestConcurrentUse runs readers and every kind of writer at once; the
// race detector judges it.
func TestConcurrentUse(t *testing.T) {
	s, clk := newSim(t, Options{})
	accts := s.Accounts()
	live := liveSession(t, s, accts[0].UserID)

	var wg sync.WaitGroup
	for g := range 4 {
		wg.Go(func() {
			a := accts[g%len(accts)]
			for range 50 {
				get(t, s, listPath(1, 20), a.Cookie)
				get(t, s, sessionPath(creator, "realtime/dashboard/overview",
					live.SessionID), accts[0].Cookie)
				get(t, s, ongoing+"?uid="+itoa(a.UserID), "")
				get(t, s, "/_sim/sessions?user_id="+itoa(a.UserID), "")
				s.Truth(live.SessionID, clk.Now())
			}
		})
	}
	wg.Go(func() {
		for i := range 50 {
			clk.Advance(30 * time.Second)
			s.AddSession(accts[1].UserID, SessionSpec{})
			s.SetFaults(EndpointOngoing, Faults{Rate: 0.1})
			s.SetAccountFault(accts[2].UserID, AntiBot)
			if i%10 == 0 {
				s.ExpireLogin(accts[2].UserID)
				s.Relogin(accts[2].UserID)
				s.ClearFaults()
			}
			s.Calls()
		}
	})
	wg.Wait()

	if got := s.Calls()[EndpointOverview]; got != 200 {
		t.Errorf("Calls counted %d overviews, want 200", got)
	}
	if res := get(t, s, creator+"userInfo", accts[0].Cookie); res.status !=
		http.StatusOK {
		t.Errorf("userInfo after the run: %d", res.status)
	}
}
