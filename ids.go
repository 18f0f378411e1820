package valuepath

// AccountID identifies a customer account in the host's system. The library
// treats it as an opaque, non-empty string.
type AccountID string

// Metric names a metric: a raw series the Provider serves (for example
// "active_users") or a value derived from series and events (for example
// "active_users_30d"). Names are case-sensitive and must not be empty.
type Metric string

// EventKind names a kind of event, such as "support_case" or
// "sponsor_change". Kinds are case-sensitive and must not be empty.
type EventKind string
