// Package metrics exposes Liveboard's Prometheus metrics: upstream Shopee
// calls by endpoint and outcome, sync and job durations, and API requests.
// It keeps its own registry, so tests can build as many as they like.
package metrics

import (
	"net/http"
	"strconv"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"
)

// Metrics records what Liveboard does. Its methods satisfy the observer
// interfaces of the shopee, workflow, jobqueue and httpapi packages.
type Metrics struct {
	reg *prometheus.Registry

	upstreamCalls    *prometheus.CounterVec
	upstreamDuration *prometheus.HistogramVec
	upstreamRetries  *prometheus.CounterVec
	breakerState     *prometheus.GaugeVec
	syncDuration     *prometheus.HistogramVec
	jobs             *prometheus.CounterVec
	jobDuration      *prometheus.HistogramVec
	requests         *prometheus.CounterVec
	requestDuration  *prometheus.HistogramVec
}

// New returns metrics registered on a fresh registry, with the Go runtime
// and process collectors.
func New() *Metrics {
	m := &Metrics{reg: prometheus.NewRegistry()}

	m.upstreamCalls = prometheus.NewCounterVec(prometheus.CounterOpts{
		Name: "liveboard_upstream_calls_total",
		Help: "Requests sent to Shopee, by endpoint and outcome.",
	}, []string{"endpoint", "outcome"})
	m.upstreamDuration = prometheus.NewHistogramVec(prometheus.HistogramOpts{
		Name:    "liveboard_upstream_call_duration_seconds",
		Help:    "Time Shopee took to answer, by endpoint.",
		Buckets: prometheus.ExponentialBuckets(0.01, 2, 12),
	}, []string{"endpoint"})
	m.upstreamRetries = prometheus.NewCounterVec(prometheus.CounterOpts{
		Name: "liveboard_upstream_retries_total",
		Help: "Retries of calls to Shopee, by endpoint and the outcome " +
			"of the try that failed.",
	}, []string{"endpoint", "outcome"})
	m.breakerState = prometheus.NewGaugeVec(prometheus.GaugeOpts{
		Name: "liveboard_upstream_breaker_open",
		Help: "Circuit breaker of each Shopee host: 1 open, 0.5 " +
			"half-open (trial requests), 0 closed.",
	}, []string{"host"})
	m.syncDuration = prometheus.NewHistogramVec(prometheus.HistogramOpts{
		Name:    "liveboard_sync_duration_seconds",
		Help:    "Time a sync took, by scope and result.",
		Buckets: prometheus.ExponentialBuckets(0.05, 2, 14),
	}, []string{"scope", "result"})
	m.jobs = prometheus.NewCounterVec(prometheus.CounterOpts{
		Name: "liveboard_jobs_total",
		Help: "Background jobs worked, by kind and result.",
	}, []string{"kind", "result"})
	m.jobDuration = prometheus.NewHistogramVec(prometheus.HistogramOpts{
		Name:    "liveboard_job_duration_seconds",
		Help:    "Time a background job took, by kind.",
		Buckets: prometheus.ExponentialBuckets(0.01, 2, 16),
	}, []string{"kind"})
	m.requests = prometheus.NewCounterVec(prometheus.CounterOpts{
		Name: "liveboard_http_requests_total",
		Help: "Requests to our API and pages, by route and status.",
	}, []string{"route", "status"})
	m.requestDuration = prometheus.NewHistogramVec(prometheus.HistogramOpts{
		Name:    "liveboard_http_request_duration_seconds",
		Help:    "Time to answer a request, by route.",
		Buckets: prometheus.DefBuckets,
	}, []string{"route"})

	m.reg.MustRegister(m.upstreamCalls, m.upstreamDuration,
		m.upstreamRetries, m.breakerState, m.syncDuration,
		m.jobs, m.jobDuration, m.requests, m.requestDuration,
		collectors.NewGoCollector(),
		collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	return m
}

// Handler serves the metrics in Prometheus' text format.
func (m *Metrics) Handler() http.Handler {
	return promhttp.HandlerFor(m.reg, promhttp.HandlerOpts{})
}

// Registry returns the registry, for tests that read values.
func (m *Metrics) Registry() *prometheus.Registry { return m.reg }

// ObserveCall records one request to Shopee.
func (m *Metrics) ObserveCall(endpoint, outcome string, d time.Duration) {
	m.upstreamCalls.WithLabelValues(endpoint, outcome).Inc()
	m.upstreamDuration.WithLabelValues(endpoint).Observe(d.Seconds())
}

// ObserveRetry records one retry the Shopee client scheduled.
func (m *Metrics) ObserveRetry(endpoint, outcome string, _ time.Duration) {
	m.upstreamRetries.WithLabelValues(endpoint, outcome).Inc()
}

// ObserveBreaker records a Shopee host's circuit breaker changing state.
func (m *Metrics) ObserveBreaker(host, state string) {
	v := 0.0
	switch state {
	case "open":
		v = 1
	case "half_open":
		v = 0.5
	}
	m.breakerState.WithLabelValues(host).Set(v)
}

// ObserveSync records one sync of scope.
func (m *Metrics) ObserveSync(scope string, d time.Duration, err error) {
	m.syncDuration.WithLabelValues(scope, result(err)).Observe(d.Seconds())
}

// ObserveJob records one job worked.
func (m *Metrics) ObserveJob(kind string, d time.Duration, err error) {
	m.jobs.WithLabelValues(kind, result(err)).Inc()
	m.jobDuration.WithLabelValues(kind).Observe(d.Seconds())
}

// ObserveRequest records one answered request. route is the pattern that
// matched, never the raw path, so ids do not explode the label space.
func (m *Metrics) ObserveRequest(route string, status int, d time.Duration) {
	m.requests.WithLabelValues(route, strconv.Itoa(status)).Inc()
	m.requestDuration.WithLabelValues(route).Observe(d.Seconds())
}

func result(err error) string {
	if err != nil {
		return "error"
	}
	return "ok"
}
