package shopeesim

import (
	"net/http"
	"strings"
)

// addRoutes registers the ads, promotion and coin endpoints. Paths
// holding an id are registered as patterns whose id segment reads {id}.
func (s *Server) addRoutes() {
	s.posts = map[string]bool{}
	for path, rt := range map[string]route{
		pasPrefix + "homepage/query/": {EndpointHomepageQuery, familyPAS,
			true, s.homepageQuery},
		pasPrefix + "live_stream/edit/": {EndpointLiveStreamEdit, familyPAS,
			true, s.liveStreamEdit},
		pasPrefix + "meta/get_ads_data/": {EndpointGetAdsData, familyPAS,
			true, s.getAdsData},
	} {
		s.routes[path] = rt
		s.posts[path] = true
	}

	s.routes["/api/v4/streaming_promotion/streamer_selector/"] = route{
		EndpointStreamerSelector, familyV4, true, s.streamerSelector}
	s.routes[itemPromotionPath] = route{EndpointItemPromotion, familyLive,
		true, s.itemPromotion}
	s.addPattern(itemPromotionPath+"/{id}", route{
		EndpointItemPromotionDetail, familyLive, true,
		s.itemPromotionDetail}, false)

	coins := "/api/v1/session/{id}/coin/"
	s.addPattern(coins+"start", route{EndpointCoinStart, familyLive, true,
		s.coinStart}, true)
	s.addPattern(coins+"giveout", route{EndpointCoinGiveout, familyLive,
		true, s.coinGiveout}, false)
	s.addPattern(coins+"rewardinfo", route{EndpointCoinRewardInfo,
		familyLive, true, s.coinRewardInfo}, false)
}

func (s *Server) addPattern(pattern string, rt route, post bool) {
	s.routes[pattern] = rt
	s.patterns = append(s.patterns, pattern)
	if post {
		s.posts[pattern] = true
	}
}

// lookup finds the route of the request's path, and the path or pattern
// it is registered under. A pattern's id segment is set as the request's
// path value "id".
func (s *Server) lookup(r *http.Request) (route, string, bool) {
	if rt, ok := s.routes[r.URL.Path]; ok {
		return rt, r.URL.Path, true
	}
	for _, p := range s.patterns {
		if id, ok := matchPattern(p, r.URL.Path); ok {
			r.SetPathValue("id", id)
			return s.routes[p], p, true
		}
	}
	return route{}, "", false
}

// matchPattern reports whether path has the pattern's segments, with any
// non-empty segment where the pattern says {id}, and returns it.
func matchPattern(pattern, path string) (string, bool) {
	want := strings.Split(pattern, "/")
	got := strings.Split(path, "/")
	if len(want) != len(got) {
		return "", false
	}
	id := ""
	for i, w := range want {
		switch {
		case w == "{id}" && got[i] != "":
			id = got[i]
		case w != got[i]:
			return "", false
		}
	}
	return id, true
}

// allowed returns the methods the path or pattern takes.
func (s *Server) allowed(pattern string) []string {
	if s.posts[pattern] {
		return []string{http.MethodPost}
	}
	return []string{http.MethodGet, http.MethodHead}
}
