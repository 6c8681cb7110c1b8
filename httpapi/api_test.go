package httpapi_test

import (
	"testing"

	"liveboard/sqlstore/sqlstoretest"
)

// TestAPI runs every check that changes nothing another check reads on
// one harness per engine, as building and syncing a harness is the slow
// part. Checks that sync, queue or inject faults build their own.
func TestAPI(t *testing.T) {
	t.Parallel()
	checks := []struct {
		name string
		run  func(t *testing.T, h *harness)
	}{
		{"authentication", testAuthentication},
		{"every API route needs a key", testEveryAPIRouteNeedsAKey},
		{"public routes", testPublicRoutes},
		{"served document", testServedDocument},
		{"bad input", testBadInput},
		{"missing studio", testMissingStudio},
		{"unknown routes", testUnknownRoutes},
		{"other studios are not found", testOtherStudiosAreNotFound},
		{"not found reveals nothing", testNotFoundRevealsNothing},
		{"each caller sees their studios", testEachCallerSeesTheirStudios},
		{"list sessions", testListSessions},
		{"get session", testGetSession},
		{"session snapshots", testSessionSnapshots},
		{"creator session list", testCreatorSessionList},
		{"analytics summary", testAnalyticsSummary},
		{"reports", testReports},
		{"share link", testShareLink},
		{"security headers", testSecurityHeaders},
	}
	sqlstoretest.Run(t, func(t *testing.T, e sqlstoretest.Engine) {
		h := newHarness(t, e, setup{})
		for _, c := range checks {
			t.Run(c.name, func(t *testing.T) { c.run(t, h) })
		}
	})
}
