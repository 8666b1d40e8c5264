package store

// legacySchema is the layout of releases before numbered migrations: each
// entry was one step, counted in PRAGMA user_version (1..6). It is frozen:
// migration 1 (migrate.go) runs these same steps on a new database, and a
// database they made is recognised by its user_version and finished by
// them. Never edit or append here; add a migration to migrations instead.
var legacySchema = []string{
	`CREATE TABLE subjects (
		id TEXT PRIMARY KEY,
		wrapped_key BLOB NOT NULL,
		created_at INTEGER NOT NULL
	);
	CREATE TABLE sessions (
		id TEXT PRIMARY KEY,
		token_hash BLOB NOT NULL UNIQUE,
		subject_id TEXT NOT NULL REFERENCES subjects(id) ON DELETE CASCADE,
		profile TEXT NOT NULL,
		created_at INTEGER NOT NULL,
		last_seen INTEGER NOT NULL,
		state BLOB
	);
	CREATE INDEX sessions_subject ON sessions(subject_id);
	CREATE TABLE messages (
		id INTEGER PRIMARY KEY,
		session_id TEXT NOT NULL REFERENCES sessions(id) ON DELETE CASCADE,
		subject_id TEXT NOT NULL,
		at INTEGER NOT NULL,
		sender TEXT NOT NULL,
		body BLOB NOT NULL
	);
	CREATE INDEX messages_session ON messages(session_id, id);
	CREATE INDEX messages_subject_at ON messages(subject_id, at);`,
	// Compliance records. The consent ledger holds no personal data (purpose,
	// decision, text version and hash) and stays readable for CONS-4; contact
	// details are sealed; the audit log is hash-chained (AUD-1); requests
	// outlive erasure and hold only a pseudonymous reference.
	`CREATE TABLE consents (
		id INTEGER PRIMARY KEY,
		subject_id TEXT NOT NULL,
		purpose TEXT NOT NULL,
		decision TEXT NOT NULL,
		text_version TEXT NOT NULL,
		text_hash TEXT NOT NULL,
		at INTEGER NOT NULL
	);
	CREATE INDEX consents_subject ON consents(subject_id, id);
	CREATE TABLE contacts (
		id INTEGER PRIMARY KEY,
		subject_id TEXT NOT NULL,
		at INTEGER NOT NULL,
		body BLOB NOT NULL
	);
	CREATE INDEX contacts_subject ON contacts(subject_id);
	CREATE TABLE lookup (
		subject_id TEXT NOT NULL,
		blind TEXT NOT NULL,
		PRIMARY KEY (blind, subject_id)
	);
	CREATE TABLE audit (
		seq INTEGER PRIMARY KEY,
		at TEXT NOT NULL,
		event TEXT NOT NULL,
		subject TEXT NOT NULL,
		actor TEXT NOT NULL,
		detail TEXT NOT NULL,
		prev_hash TEXT NOT NULL,
		hash TEXT NOT NULL
	);
	CREATE TABLE requests (
		id INTEGER PRIMARY KEY,
		kind TEXT NOT NULL,
		subject_ref TEXT NOT NULL,
		at INTEGER NOT NULL,
		detail TEXT NOT NULL
	);
	CREATE TABLE unanswered (
		id INTEGER PRIMARY KEY,
		subject_id TEXT NOT NULL,
		at INTEGER NOT NULL,
		body BLOB NOT NULL
	);
	CREATE INDEX unanswered_subject ON unanswered(subject_id);`,
	// System keys (e.g. the lookup key for blind indexes), wrapped by the
	// master key like data keys so key rotation covers them.
	`CREATE TABLE system_keys (
		name TEXT PRIMARY KEY,
		wrapped_key BLOB NOT NULL
	);`,
	// Human handover: agent accounts (password hashes only), agent log-in
	// sessions (hashes of tokens only) and messages left while no agent was
	// available, sealed with the customer's data key so erasure and the
	// retention purge remove them with the rest (SEC-1, DSR-4).
	`CREATE TABLE agents (
		name TEXT PRIMARY KEY,
		display_name TEXT NOT NULL,
		password_hash TEXT NOT NULL,
		created_at INTEGER NOT NULL,
		disabled INTEGER NOT NULL DEFAULT 0
	);
	CREATE TABLE agent_sessions (
		token_hash BLOB PRIMARY KEY,
		agent TEXT NOT NULL REFERENCES agents(name) ON DELETE CASCADE,
		created_at INTEGER NOT NULL,
		expires_at INTEGER NOT NULL
	);
	CREATE INDEX agent_sessions_agent ON agent_sessions(agent);
	CREATE TABLE offline_messages (
		id INTEGER PRIMARY KEY,
		subject_id TEXT NOT NULL REFERENCES subjects(id) ON DELETE CASCADE,
		session_id TEXT NOT NULL REFERENCES sessions(id) ON DELETE CASCADE,
		at INTEGER NOT NULL,
		body BLOB NOT NULL,
		handled_at INTEGER,
		handled_by TEXT
	);
	CREATE INDEX offline_messages_open ON offline_messages(handled_at, id);
	CREATE INDEX offline_messages_subject ON offline_messages(subject_id);`,
	// Where the audit chain starts after the retention purge removed its
	// oldest records: the seq and hash of the last removed one (RET-1, AUD-1).
	`CREATE TABLE audit_anchor (
		id INTEGER PRIMARY KEY CHECK (id = 1),
		seq INTEGER NOT NULL,
		hash TEXT NOT NULL
	);`,
	// The owner's review list also holds suggestions a customer picked
	// ("did you mean"): the redacted question and the article chosen, a
	// candidate example question for it. Empty article: a missed question.
	`ALTER TABLE unanswered ADD COLUMN article TEXT NOT NULL DEFAULT '';`,
}
