// Package liveboard holds the domain of Liveboard: studios, their Shopee
// accounts, live sessions and their snapshots, and daily analytics, together
// with the money, region and error types every other package shares.
//
// The package imports no storage, transport or third-party technology.
// Adapters live in sibling packages named after what they use: shopee (the
// Shopee web APIs), sqlstore (SQLite and PostgreSQL), httpapi (our JSON API),
// and so on. Only cmd/liveboard wires them together.
package liveboard
