package httpapi

import (
	"encoding/json"
	"errors"
	"io"
	"log/slog"
	"net/http"
	"reflect"
	"strconv"
	"strings"
	"time"

	"liveboard"
	"liveboard/shopee"
)

// EMethodNotAllowed is the code of a request whose method the path does
// not take.
const EMethodNotAllowed = "METHOD_NOT_ALLOWED"

// statusOf maps error codes to HTTP statuses; anything else is 500.
var statusOf = map[string]int{
	liveboard.EInvalid:           http.StatusBadRequest,
	liveboard.EUnauthorized:      http.StatusUnauthorized,
	liveboard.EForbidden:         http.StatusForbidden,
	liveboard.ENotFound:          http.StatusNotFound,
	EMethodNotAllowed:            http.StatusMethodNotAllowed,
	liveboard.EConflict:          http.StatusConflict,
	liveboard.ERateLimited:       http.StatusTooManyRequests,
	liveboard.EShopeeLogin:       http.StatusConflict,
	liveboard.EShopeeChallenge:   http.StatusConflict,
	liveboard.EShopeeRateLimited: http.StatusTooManyRequests,
	liveboard.EShopeeUnavailable: http.StatusBadGateway,
	liveboard.EShopeeBadAnswer:   http.StatusBadGateway,
	liveboard.EExternal:          http.StatusBadGateway,
}

type successEnvelope struct {
	Status    string `json:"status"`
	Data      any    `json:"data"`
	Timestamp string `json:"timestamp"`
}

type errorEnvelope struct {
	Status    string `json:"status"`
	Message   string `json:"message"`
	Code      string `json:"code"`
	Timestamp string `json:"timestamp"`
}

func (s *Server) timestamp() string {
	return s.cfg.Now().UTC().Format(time.RFC3339)
}

// writeData answers 200 with data in the success envelope.
func (s *Server) writeData(w http.ResponseWriter, status int, data any) {
	writeJSON(w, status, successEnvelope{Status: "success", Data: data,
		Timestamp: s.timestamp()})
}

// writeError answers with err in the error envelope. Errors meant for the
// caller (*liveboard.Error) are shown as they are and logged at Warn when
// they are the caller's fault; anything else is logged at Error and shown
// as a generic message.
func (s *Server) writeError(w http.ResponseWriter, r *http.Request, err error) {
	code := liveboard.ErrorCode(err)
	status, ok := statusOf[code]
	if !ok {
		status = http.StatusInternalServerError
	}

	if status == http.StatusUnauthorized {
		w.Header().Set("WWW-Authenticate", `Bearer realm="liveboard"`)
	}
	var se *shopee.Error
	if errors.As(err, &se) && se.RetryAfter > 0 {
		secs := int(se.RetryAfter.Round(time.Second) / time.Second)
		w.Header().Set("Retry-After", strconv.Itoa(max(secs, 1)))
	}

	attrs := []any{"method", r.Method, "path", r.URL.Path,
		"status", status, "error", err}
	switch {
	case status >= 500:
		s.cfg.Logger.Error("request failed", attrs...)
	case status != http.StatusNotFound && status != http.StatusUnauthorized:
		s.cfg.Logger.Warn("request refused", attrs...)
	default:
		s.cfg.Logger.Debug("request refused", attrs...)
	}

	writeJSON(w, status, errorEnvelope{Status: "error",
		Message: liveboard.ErrorMessage(err), Code: code,
		Timestamp: s.timestamp()})
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(status)

	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		slog.Debug("write response", "error", err)
	}
}

// maxBody caps request bodies.
const maxBody = 1 << 20

// decodeBody reads a JSON object into dst, refusing unknown fields,
// trailing data and bodies over maxBody with EInvalid errors.
func decodeBody(w http.ResponseWriter, r *http.Request, dst any) error {
	if r.Body == nil {
		return liveboard.Errorf(liveboard.EInvalid, "request body is empty")
	}
	dec := json.NewDecoder(http.MaxBytesReader(w, r.Body, maxBody))
	dec.DisallowUnknownFields()

	if err := dec.Decode(dst); err != nil {
		return bodyError(err)
	}

	// Only white space may follow, up to the end of the body.
	if _, err := dec.Token(); !errors.Is(err, io.EOF) {
		var tooLarge *http.MaxBytesError
		if errors.As(err, &tooLarge) {
			return bodyError(err)
		}
		return liveboard.Errorf(liveboard.EInvalid,
			"request body has data after the JSON object")
	}
	return nil
}

func bodyError(err error) error {
	var syntax *json.SyntaxError
	var typeErr *json.UnmarshalTypeError
	var tooLarge *http.MaxBytesError
	switch {
	case errors.Is(err, io.EOF):
		return liveboard.Errorf(liveboard.EInvalid, "request body is empty")
	case errors.As(err, &tooLarge):
		return liveboard.Errorf(liveboard.EInvalid,
			"request body is larger than 1 MiB")
	case errors.As(err, &syntax):
		return liveboard.Errorf(liveboard.EInvalid,
			"request body is not valid JSON (at byte %d)", syntax.Offset)
	case errors.As(err, &typeErr):
		return typeError(typeErr)
	case errors.Is(err, io.ErrUnexpectedEOF):
		return liveboard.Errorf(liveboard.EInvalid,
			"request body is cut short")
	}
	var invalid *liveboard.Error
	if errors.As(err, &invalid) {
		return invalid
	}
	return liveboard.Errorf(liveboard.EInvalid, "request body: %s",
		err.Error())
}

// typeError says which field of the body has the wrong JSON type, in
// JSON's words rather than Go's.
func typeError(err *json.UnmarshalTypeError) error {
	if err.Field == "" {
		return liveboard.Errorf(liveboard.EInvalid,
			"request body must be a JSON object")
	}

	// Fields of embedded structs are named with the struct's Go name
	// first; the JSON name is the last part.
	field := err.Field[strings.LastIndex(err.Field, ".")+1:]
	return liveboard.Errorf(liveboard.EInvalid, "field %q must be %s",
		field, jsonKind(err.Type))
}

// jsonKind names the JSON value that decodes into a Go type.
func jsonKind(t reflect.Type) string {
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	switch t.Kind() {
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32,
		reflect.Int64, reflect.Uint, reflect.Uint8, reflect.Uint16,
		reflect.Uint32, reflect.Uint64:
		return "a whole number"
	case reflect.Float32, reflect.Float64:
		return "a number"
	case reflect.String:
		return "a string"
	case reflect.Bool:
		return "true or false"
	case reflect.Slice, reflect.Array:
		return "an array"
	}
	return "an object"
}
