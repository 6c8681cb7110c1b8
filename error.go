package liveboard

import (
	"errors"
	"fmt"
)

// Error codes. They are the codes our API answers with in its error
// envelope, so they are part of the API contract.
const (
	EInvalid      = "VALIDATION_ERROR"
	ENotFound     = "NOT_FOUND"
	EConflict     = "CONFLICT"
	EUnauthorized = "AUTH_ERROR"
	EForbidden    = "FORBIDDEN"
	ERateLimited  = "RATE_LIMITED"
	EInternal     = "INTERNAL_ERROR"

	// Codes for what Shopee answered on the caller's behalf.
	EShopeeLogin       = "SHOPEE_LOGIN_REQUIRED"
	EShopeeChallenge   = "SHOPEE_CHALLENGE"
	EShopeeRateLimited = "SHOPEE_RATE_LIMITED"
	EShopeeUnavailable = "SHOPEE_UNAVAILABLE"
	EShopeeBadAnswer   = "SHOPEE_BAD_ANSWER"

	// EExternal is a failure of another outside service Liveboard calls
	// on the caller's behalf, such as an SMM panel.
	EExternal = "EXTERNAL_SERVICE_ERROR"
)

// Error is an error meant for the person or program that caused it. Its
// Message is safe to show; anything else that goes wrong is internal and
// is shown only as a generic message.
type Error struct {
	Code    string
	Message string
}

// Error returns the message with its code.
func (e *Error) Error() string {
	return fmt.Sprintf("liveboard: %s: %s", e.Code, e.Message)
}

// Errorf returns an *Error with the code and a formatted message.
func Errorf(code, format string, args ...any) *Error {
	return &Error{Code: code, Message: fmt.Sprintf(format, args...)}
}

// ErrorCode returns the code of the first *Error in err's chain, or
// EInternal when there is none. A nil err has no code.
func ErrorCode(err error) string {
	if err == nil {
		return ""
	}

	var e *Error
	if errors.As(err, &e) {
		return e.Code
	}
	return EInternal
}

// ErrorMessage returns the message of the first *Error in err's chain, or a
// generic message that reveals nothing when there is none.
func ErrorMessage(err error) string {
	if err == nil {
		return ""
	}

	var e *Error
	if errors.As(err, &e) {
		return e.Message
	}
	return "internal error"
}
