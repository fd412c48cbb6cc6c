/* tb-store-migrations.c — the schema history, append-only
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Never edit a step that has shipped: add a new one at the end. Each step runs
 * in its own BEGIN IMMEDIATE transaction and bumps PRAGMA user_version.
 * Times are microseconds since the Unix epoch (UTC); phone numbers are E.164.
 */
#define G_LOG_DOMAIN "tb-store-migrations"

#include "config.h"

#include "tb-store.h"

/* SQLite refuses a row of @table whose e164 is not "+" and 4 to 15 digits. */
#define E164_TRIGGERS(table, also) \
  "CREATE TRIGGER " table "_e164_insert BEFORE INSERT ON " table \
  "  WHEN " TB_STORE_NOT_E164 ("NEW.e164") also \
  "  BEGIN SELECT RAISE (ABORT, 'a phone number must be stored in E.164 (+ and digits)'); END;" \
  "CREATE TRIGGER " table "_e164_update BEFORE UPDATE OF e164 ON " table \
  "  WHEN " TB_STORE_NOT_E164 ("NEW.e164") also \
  "  BEGIN SELECT RAISE (ABORT, 'a phone number must be stored in E.164 (+ and digits)'); END;"

static const TbStoreMigration migrations[] = {
  { 1, "initial schema",
    /* Contact lists and their contacts. Custom CSV columns live in `fields` (JSON). */
    "CREATE TABLE lists ("
    "  id INTEGER PRIMARY KEY,"
    "  name TEXT NOT NULL UNIQUE,"
    "  source TEXT,"
    "  created_at INTEGER NOT NULL"
    ");"
    "CREATE TABLE contacts ("
    "  id INTEGER PRIMARY KEY,"
    "  list_id INTEGER NOT NULL REFERENCES lists (id) ON DELETE CASCADE,"
    "  e164 TEXT NOT NULL,"
    "  raw_phone TEXT NOT NULL,"
    "  name TEXT,"
    "  company TEXT,"
    "  email TEXT,"
    "  country TEXT,"                 /* ISO 3166 alpha-2 */
    "  number_type TEXT,"             /* mobile, fixed, ... */
    "  timezone TEXT,"                /* IANA zone, from the file or derived */
    "  persona TEXT,"                 /* sim line only */
    "  fields TEXT NOT NULL DEFAULT '{}',"
    "  source_line INTEGER,"
    "  created_at INTEGER NOT NULL,"
    "  UNIQUE (list_id, e164)"
    ");"
    "CREATE INDEX contacts_e164 ON contacts (e164);"

    /* One business-wide do-not-call list (COMPLIANCE.md R1). */
    "CREATE TABLE dnc ("
    "  id INTEGER PRIMARY KEY,"
    "  e164 TEXT NOT NULL UNIQUE,"
    "  source TEXT NOT NULL,"         /* manual, import, speech, dtmf, registry */
    "  reason TEXT,"
    "  words TEXT,"                   /* what the callee said, for opt-outs */
    "  attempt_id INTEGER,"
    "  created_at INTEGER NOT NULL,"
    "  expires_at INTEGER"            /* NULL: never */
    ");"
    "CREATE TABLE dnc_registries ("
    "  id INTEGER PRIMARY KEY,"
    "  name TEXT NOT NULL UNIQUE,"    /* US-NDNC, UK-TPS, FR-BLOCTEL, ... */
    "  fetched_at INTEGER NOT NULL,"
    "  imported_at INTEGER NOT NULL,"
    "  entries INTEGER NOT NULL DEFAULT 0"
    ");"

    /* Consent ledger (R5). */
    "CREATE TABLE consent ("
    "  id INTEGER PRIMARY KEY,"
    "  e164 TEXT NOT NULL,"
    "  seller TEXT,"
    "  scope TEXT NOT NULL,"          /* marketing, ai_voice, recording */
    "  source TEXT NOT NULL,"         /* form, document, verbal */
    "  evidence TEXT,"                /* URL and text, document id, call id */
    "  collected_at INTEGER NOT NULL,"
    "  collected_by TEXT,"
    "  expires_at INTEGER,"
    "  revoked_at INTEGER"
    ");"
    "CREATE INDEX consent_e164 ON consent (e164);"

    "CREATE TABLE scripts ("
    "  id INTEGER PRIMARY KEY,"
    "  name TEXT NOT NULL UNIQUE,"
    "  language TEXT,"
    "  document TEXT NOT NULL,"       /* the JSON script (DESIGN.md §5) */
    "  revision INTEGER NOT NULL DEFAULT 1,"
    "  updated_at INTEGER NOT NULL"
    ");"

    /* Line configuration only: passwords and keys live in libsecret. */
    "CREATE TABLE lines ("
    "  id INTEGER PRIMARY KEY,"
    "  name TEXT NOT NULL UNIQUE,"
    "  kind TEXT NOT NULL CHECK (kind IN ('sim', 'sip', 'modem')),"
    "  config TEXT NOT NULL DEFAULT '{}',"
    "  max_calls INTEGER NOT NULL DEFAULT 4,"
    "  enabled INTEGER NOT NULL DEFAULT 1,"
    "  created_at INTEGER NOT NULL"
    ");"

    "CREATE TABLE campaigns ("
    "  id INTEGER PRIMARY KEY,"
    "  name TEXT NOT NULL UNIQUE,"
    "  list_id INTEGER NOT NULL REFERENCES lists (id),"
    "  script_id INTEGER NOT NULL REFERENCES scripts (id),"
    "  line_id INTEGER NOT NULL REFERENCES lines (id),"
    "  policies TEXT NOT NULL DEFAULT 'DEFAULT',"   /* comma-separated pack codes */
    "  concurrency INTEGER NOT NULL DEFAULT 4,"
    "  retry_rules TEXT NOT NULL DEFAULT '{}',"      /* JSON per outcome */
    "  state TEXT NOT NULL DEFAULT 'draft'"
    "    CHECK (state IN ('draft', 'running', 'paused', 'finished')),"
    "  starts_at INTEGER,"
    "  ends_at INTEGER,"
    "  created_at INTEGER NOT NULL,"
    "  updated_at INTEGER NOT NULL"
    ");"

    /* A campaign's work list: one row per contact, the dialer's queue. */
    "CREATE TABLE queue ("
    "  campaign_id INTEGER NOT NULL REFERENCES campaigns (id) ON DELETE CASCADE,"
    "  contact_id INTEGER NOT NULL REFERENCES contacts (id) ON DELETE CASCADE,"
    "  state TEXT NOT NULL DEFAULT 'pending'"
    "    CHECK (state IN ('pending', 'active', 'done', 'blocked', 'cancelled')),"
    "  attempts INTEGER NOT NULL DEFAULT 0,"
    "  next_at INTEGER NOT NULL DEFAULT 0,"
    "  last_outcome TEXT,"
    "  blocked_rule TEXT,"
    "  PRIMARY KEY (campaign_id, contact_id)"
    ");"
    "CREATE INDEX queue_due ON queue (campaign_id, state, next_at);"

    /* One row per dial; every state change is committed as it happens. */
    "CREATE TABLE attempts ("
    "  id INTEGER PRIMARY KEY,"
    "  campaign_id INTEGER REFERENCES campaigns (id),"
    "  contact_id INTEGER REFERENCES contacts (id),"
    "  line_id INTEGER REFERENCES lines (id),"
    "  e164 TEXT NOT NULL,"
    "  state TEXT NOT NULL DEFAULT 'dialing',"      /* dialing .. ended, interrupted */
    "  outcome TEXT,"                               /* completed, busy, no_answer, ... */
    "  end_reason TEXT,"
    "  protocol_code INTEGER,"
    "  dialed_at INTEGER NOT NULL,"
    "  answered_at INTEGER,"
    "  first_audio_at INTEGER,"
    "  ended_at INTEGER,"
    "  grade TEXT CHECK (grade IS NULL OR grade IN ('A', 'B', 'C', 'D', 'E')),"
    "  score INTEGER,"
    "  reasons TEXT,"                               /* JSON array */
    "  recording TEXT,"
    "  opt_out INTEGER NOT NULL DEFAULT 0,"
    "  follow_up TEXT NOT NULL DEFAULT 'new'"
    "    CHECK (follow_up IN ('new', 'contacted', 'won', 'lost')),"
    "  notes TEXT"
    ");"
    "CREATE INDEX attempts_e164_time ON attempts (e164, dialed_at);"
    "CREATE INDEX attempts_campaign ON attempts (campaign_id, contact_id);"

    "CREATE TABLE turns ("
    "  id INTEGER PRIMARY KEY,"
    "  attempt_id INTEGER NOT NULL REFERENCES attempts (id) ON DELETE CASCADE,"
    "  seq INTEGER NOT NULL,"
    "  speaker TEXT NOT NULL CHECK (speaker IN ('bot', 'callee', 'system')),"
    "  node TEXT,"
    "  text TEXT,"
    "  intent TEXT,"
    "  confidence REAL,"
    "  started_at INTEGER,"
    "  ended_at INTEGER,"
    "  UNIQUE (attempt_id, seq)"
    ");"

    /* Append-only, hash-chained audit log (R8). */
    "CREATE TABLE audit ("
    "  id INTEGER PRIMARY KEY,"
    "  at INTEGER NOT NULL,"
    "  kind TEXT NOT NULL,"
    "  e164 TEXT,"
    "  campaign_id INTEGER,"
    "  attempt_id INTEGER,"
    "  detail TEXT NOT NULL DEFAULT '{}',"
    "  prev_hash TEXT NOT NULL,"
    "  hash TEXT NOT NULL"
    ");"
    "CREATE INDEX audit_e164 ON audit (e164);"
    "CREATE TRIGGER audit_no_update BEFORE UPDATE ON audit"
    "  BEGIN SELECT RAISE (ABORT, 'the audit log is append-only'); END;"
    "CREATE TRIGGER audit_no_delete BEFORE DELETE ON audit"
    "  BEGIN SELECT RAISE (ABORT, 'the audit log is append-only'); END;"

    /* CRM deliveries, written in the same transaction as what they report. */
    "CREATE TABLE outbox ("
    "  id INTEGER PRIMARY KEY,"
    "  event TEXT NOT NULL,"
    "  idempotency_key TEXT NOT NULL UNIQUE,"
    "  attempt_id INTEGER,"
    "  payload TEXT NOT NULL,"
    "  state TEXT NOT NULL DEFAULT 'pending'"
    "    CHECK (state IN ('pending', 'delivered', 'failed')),"
    "  tries INTEGER NOT NULL DEFAULT 0,"
    "  next_try_at INTEGER NOT NULL,"
    "  last_error TEXT,"
    "  created_at INTEGER NOT NULL,"
    "  delivered_at INTEGER"
    ");"
    "CREATE INDEX outbox_due ON outbox (state, next_try_at);"

    /* Headless configuration (business name, webhook URL, ...). Never secrets. */
    "CREATE TABLE settings ("
    "  key TEXT PRIMARY KEY,"
    "  value TEXT NOT NULL"
    ");"
  },
  { 2, "answering-machine detection in the call record",
    /* "human: short greeting 0.4 s then silence", "machine: beep at 1000 Hz", … */
    "ALTER TABLE attempts ADD COLUMN amd TEXT;"
  },
  { 3, "phone numbers only in E.164",
    /* An opt-out stored under "(202) 555-0177" was never found by the check of +12025550177.
     * Rows written before this step are repaired by tb_numbers_repair() (it needs the phone
     * library, which the store does not know), flagged here; from now on SQLite refuses
     * them. A one-off test call to an extension ("service") has no campaign and may keep
     * its text in attempts. */
    "INSERT OR REPLACE INTO settings (key, value) SELECT 'numbers_need_repair', '1' WHERE"
    "  EXISTS (SELECT 1 FROM dnc WHERE " TB_STORE_NOT_E164 ("e164") ") OR"
    "  EXISTS (SELECT 1 FROM consent WHERE " TB_STORE_NOT_E164 ("e164") ") OR"
    "  EXISTS (SELECT 1 FROM contacts WHERE " TB_STORE_NOT_E164 ("e164") ") OR"
    "  EXISTS (SELECT 1 FROM attempts WHERE " TB_STORE_NOT_E164 ("e164") ");"
    E164_TRIGGERS ("dnc", "")
    E164_TRIGGERS ("consent", "")
    E164_TRIGGERS ("contacts", "")
    E164_TRIGGERS ("attempts", " AND NEW.campaign_id IS NOT NULL")
  },
  { 4, "recordings relative to the data folder",
    /* Recordings were stored as "<folder of --db as typed>/recordings/<campaign name or
     * calls>/attempt-<id>.wav": relative to the working folder of the command that made
     * them, or absolute. They are now relative to the database's folder
     * (tb_store_resolve_path). A path that ends the way Telebot named it keeps that end; the
     * files do not move. The CRM outbox's pending payloads that name the same file follow.
     * Anything else is left as it is (an absolute path still resolves). */
    "CREATE TEMP TABLE legacy_recordings AS"
    "  SELECT a.id, a.recording AS old,"
    "    'recordings/' || coalesce (c.name, 'calls') || '/attempt-' || a.id || '.wav' AS new"
    "  FROM attempts a LEFT JOIN campaigns c ON c.id = a.campaign_id"
    "  WHERE a.recording IS NOT NULL;"
    "DELETE FROM legacy_recordings WHERE old = new OR NOT ("
    "  substr (old, -length (new)) = new AND substr (old, -length (new) - 1, 1) = '/');"
    "UPDATE outbox SET payload = json_set (payload, '$.call.recording.path',"
    "    (SELECT new FROM legacy_recordings l WHERE l.id = outbox.attempt_id))"
    "  WHERE json_valid (payload) AND json_extract (payload, '$.call.recording.path') ="
    "    (SELECT old FROM legacy_recordings l WHERE l.id = outbox.attempt_id);"
    "UPDATE attempts SET recording ="
    "    (SELECT new FROM legacy_recordings l WHERE l.id = attempts.id)"
    "  WHERE id IN (SELECT id FROM legacy_recordings);"
    "DROP TABLE legacy_recordings;"
  },
  { 5, "audit rows found by attempt",
    /* `audit verify` checks that every attempt has its audit record (tb-audit.c). IF NOT
     * EXISTS: tests make an "older" database by setting user_version back. */
    "CREATE INDEX IF NOT EXISTS audit_attempt ON audit (attempt_id) WHERE attempt_id IS NOT NULL;"
  },
  { 6, "why a campaign paused by itself",
    /* "the speech server … failed 5 times in a row (last: HTTP 500 …)"; NULL when a person
     * paused it or it runs. */
    "ALTER TABLE campaigns ADD COLUMN state_reason TEXT;"
  },
  { 7, "numbers a carrier said are dead",
    /* A carrier's announcement ("您拨打的号码是空号", "not in service") heard on a call: the
     * number is never dialed again, by any campaign, until someone clears it (a number is
     * given to a new subscriber months later). Business-wide, like the DNC list, but not a
     * person's refusal. The attempts' outcomes themselves (vacant, powered_off, suspended,
     * unreachable, busy) are free text, as before. IF NOT EXISTS: tests make an "older"
     * database by setting user_version back. */
    "CREATE TABLE IF NOT EXISTS number_status ("
    "  e164 TEXT PRIMARY KEY,"
    "  status TEXT NOT NULL CHECK (status IN ('vacant')),"
    "  source TEXT NOT NULL,"         /* announcement, manual */
    "  detail TEXT,"                  /* what was recognised: "announcement cn-vacant …" */
    "  attempt_id INTEGER,"
    "  created_at INTEGER NOT NULL"
    ");"
    "CREATE TRIGGER IF NOT EXISTS number_status_e164_insert BEFORE INSERT ON number_status"
    "  WHEN " TB_STORE_NOT_E164 ("NEW.e164")
    "  BEGIN SELECT RAISE (ABORT, 'a phone number must be stored in E.164 (+ and digits)'); END;"
    "CREATE TRIGGER IF NOT EXISTS number_status_e164_update BEFORE UPDATE OF e164 ON number_status"
    "  WHEN " TB_STORE_NOT_E164 ("NEW.e164")
    "  BEGIN SELECT RAISE (ABORT, 'a phone number must be stored in E.164 (+ and digits)'); END;"
  },
  { 8, "calls outlive their contacts and lists",
    /* A list whose people were called could not be deleted (attempts.contact_id and
     * campaigns.list_id kept them), nor could one contact. Now the call history keeps what
     * was called — the attempt has its own number, outcome, grade and turns — and only the
     * link to the deleted contact or list becomes NULL. SQLite changes a foreign key only by
     * rebuilding the table: new table, copy, drop, rename, indexes and triggers again.
     * Foreign keys are off meanwhile (rebuilds_tables), else dropping attempts would delete
     * their turns, and dropping campaigns their queues. */
    "CREATE TABLE campaigns_new ("
    "  id INTEGER PRIMARY KEY,"
    "  name TEXT NOT NULL UNIQUE,"
    "  list_id INTEGER REFERENCES lists (id) ON DELETE SET NULL,"   /* NULL: list deleted */
    "  script_id INTEGER NOT NULL REFERENCES scripts (id),"
    "  line_id INTEGER NOT NULL REFERENCES lines (id),"
    "  policies TEXT NOT NULL DEFAULT 'DEFAULT',"
    "  concurrency INTEGER NOT NULL DEFAULT 4,"
    "  retry_rules TEXT NOT NULL DEFAULT '{}',"
    "  state TEXT NOT NULL DEFAULT 'draft'"
    "    CHECK (state IN ('draft', 'running', 'paused', 'finished')),"
    "  starts_at INTEGER,"
    "  ends_at INTEGER,"
    "  created_at INTEGER NOT NULL,"
    "  updated_at INTEGER NOT NULL,"
    "  state_reason TEXT"
    ");"
    "INSERT INTO campaigns_new (id, name, list_id, script_id, line_id, policies, concurrency,"
    "    retry_rules, state, starts_at, ends_at, created_at, updated_at, state_reason)"
    "  SELECT id, name, list_id, script_id, line_id, policies, concurrency, retry_rules, state,"
    "    starts_at, ends_at, created_at, updated_at, state_reason FROM campaigns;"
    "DROP TABLE campaigns;"
    "ALTER TABLE campaigns_new RENAME TO campaigns;"

    "CREATE TABLE attempts_new ("
    "  id INTEGER PRIMARY KEY,"
    "  campaign_id INTEGER REFERENCES campaigns (id),"
    "  contact_id INTEGER REFERENCES contacts (id) ON DELETE SET NULL,"  /* NULL: deleted */
    "  line_id INTEGER REFERENCES lines (id),"
    "  e164 TEXT NOT NULL,"
    "  state TEXT NOT NULL DEFAULT 'dialing',"
    "  outcome TEXT,"
    "  end_reason TEXT,"
    "  protocol_code INTEGER,"
    "  dialed_at INTEGER NOT NULL,"
    "  answered_at INTEGER,"
    "  first_audio_at INTEGER,"
    "  ended_at INTEGER,"
    "  grade TEXT CHECK (grade IS NULL OR grade IN ('A', 'B', 'C', 'D', 'E')),"
    "  score INTEGER,"
    "  reasons TEXT,"
    "  recording TEXT,"
    "  opt_out INTEGER NOT NULL DEFAULT 0,"
    "  follow_up TEXT NOT NULL DEFAULT 'new'"
    "    CHECK (follow_up IN ('new', 'contacted', 'won', 'lost')),"
    "  notes TEXT,"
    "  amd TEXT"
    ");"
    "INSERT INTO attempts_new (id, campaign_id, contact_id, line_id, e164, state, outcome,"
    "    end_reason, protocol_code, dialed_at, answered_at, first_audio_at, ended_at, grade,"
    "    score, reasons, recording, opt_out, follow_up, notes, amd)"
    "  SELECT id, campaign_id, contact_id, line_id, e164, state, outcome, end_reason,"
    "    protocol_code, dialed_at, answered_at, first_audio_at, ended_at, grade, score, reasons,"
    "    recording, opt_out, follow_up, notes, amd FROM attempts;"
    "DROP TABLE attempts;"
    "ALTER TABLE attempts_new RENAME TO attempts;"
    "CREATE INDEX attempts_e164_time ON attempts (e164, dialed_at);"
    "CREATE INDEX attempts_campaign ON attempts (campaign_id, contact_id);"
    E164_TRIGGERS ("attempts", " AND NEW.campaign_id IS NOT NULL"),
    TRUE
  },
  { 9, "contacts remember their import",
    /* An import can be undone: it removes exactly the contacts that import added (and the
     * list, when the import made it), not those already dialed. Contacts added before this
     * step, or by hand, have no import. No foreign key on import_id: an import row goes only
     * when none of its contacts is left (or with its list, and they with it), and tests make
     * an "older" database by dropping the column, which SQLite refuses for a foreign key. */
    "CREATE TABLE imports ("
    "  id INTEGER PRIMARY KEY,"
    "  list_id INTEGER NOT NULL REFERENCES lists (id) ON DELETE CASCADE,"
    "  created_list INTEGER NOT NULL DEFAULT 0,"   /* the import made the list */
    "  source TEXT,"                                /* the file's name */
    "  created_at INTEGER NOT NULL"
    ");"
    "ALTER TABLE contacts ADD COLUMN import_id INTEGER;"          /* imports (id) */
    "CREATE INDEX contacts_import ON contacts (import_id) WHERE import_id IS NOT NULL;"
  },
  { 10, "script variants of a campaign",
    /* Self-contained (issue #21): a campaign may run 2–3 scripts, split in percent or one per
     * retry; each attempt names the variant it ran, fixed when it is dialed, so a report never
     * recomputes it. A campaign with no variant rows runs campaigns.script_id, as before, and
     * its attempts' variant is NULL. */
    "CREATE TABLE IF NOT EXISTS campaign_variants ("
    "  campaign_id INTEGER NOT NULL REFERENCES campaigns (id) ON DELETE CASCADE,"
    "  label TEXT NOT NULL CHECK (label IN ('A', 'B', 'C')),"
    "  script_id INTEGER NOT NULL REFERENCES scripts (id),"
    "  share INTEGER NOT NULL CHECK (share BETWEEN 0 AND 100),"  /* percent; 0: per retry */
    "  PRIMARY KEY (campaign_id, label)"
    ");"
    "ALTER TABLE campaigns ADD COLUMN variant_mode TEXT"
    "  CHECK (variant_mode IS NULL OR variant_mode IN ('split', 'per_retry'));"
    "ALTER TABLE attempts ADD COLUMN variant TEXT;"
  },
  { 11, "a campaign dials over a pool of lines",
    /* Issue #20: a campaign has a set of lines (its pool), each enabled or not, in the order
     * the dialer goes round them; every campaign's one line becomes a pool of one.
     * campaigns.line_id stays, always the pool's first line, so a reader that knows one line
     * (an older report, an export) still finds one. Each attempt names the caller number it
     * presented (NULL: the line presents none of its own, a sim line), and the campaign how it
     * chooses among a line's numbers (NULL: round-robin; "different_on_retry": a retry of a
     * contact presents another number than its last call did, when the pool has one). */
    "CREATE TABLE IF NOT EXISTS campaign_lines ("
    "  campaign_id INTEGER NOT NULL REFERENCES campaigns (id) ON DELETE CASCADE,"
    "  line_id INTEGER NOT NULL REFERENCES lines (id),"
    "  position INTEGER NOT NULL DEFAULT 0,"
    "  enabled INTEGER NOT NULL DEFAULT 1,"
    "  PRIMARY KEY (campaign_id, line_id)"
    ");"
    "INSERT OR IGNORE INTO campaign_lines (campaign_id, line_id, position, enabled)"
    "  SELECT id, line_id, 0, 1 FROM campaigns;"
    "ALTER TABLE attempts ADD COLUMN caller_id TEXT;"
    "CREATE INDEX IF NOT EXISTS attempts_line ON attempts (campaign_id, line_id);"
    "CREATE INDEX IF NOT EXISTS attempts_caller_time ON attempts (caller_id, dialed_at)"
    "  WHERE caller_id IS NOT NULL;"
    "ALTER TABLE campaigns ADD COLUMN number_rule TEXT"
    "  CHECK (number_rule IS NULL OR number_rule IN ('round_robin', 'different_on_retry'));"
  },
  { 12, "callee turns nobody understood",
    /* Issue #21: a campaign's report lists what callees said that the robot did not
     * understand. Those turns are a few among many; this keeps finding them from reading
     * every turn of every call. */
    "CREATE INDEX IF NOT EXISTS turns_not_understood ON turns (attempt_id)"
    "  WHERE speaker = 'callee' AND intent IS NULL;"
  },
  { 13, "the local-number-first rule",
    /* Issue #20: a campaign may prefer the caller number in the callee's own area
     * ("local_first"). number_rule's CHECK (migration 11) allows only the two older rules, and
     * SQLite changes a CHECK only by rebuilding the table, as migration 8 did: new table, copy,
     * drop, rename. A second column would have split one choice over two places that could
     * disagree; campaigns is a small table, so the rebuild costs nothing. Foreign keys are off
     * meanwhile (rebuilds_tables), else dropping campaigns would delete their queues, pools
     * and variants. */
    "CREATE TABLE campaigns_new ("
    "  id INTEGER PRIMARY KEY,"
    "  name TEXT NOT NULL UNIQUE,"
    "  list_id INTEGER REFERENCES lists (id) ON DELETE SET NULL,"
    "  script_id INTEGER NOT NULL REFERENCES scripts (id),"
    "  line_id INTEGER NOT NULL REFERENCES lines (id),"
    "  policies TEXT NOT NULL DEFAULT 'DEFAULT',"
    "  concurrency INTEGER NOT NULL DEFAULT 4,"
    "  retry_rules TEXT NOT NULL DEFAULT '{}',"
    "  state TEXT NOT NULL DEFAULT 'draft'"
    "    CHECK (state IN ('draft', 'running', 'paused', 'finished')),"
    "  starts_at INTEGER,"
    "  ends_at INTEGER,"
    "  created_at INTEGER NOT NULL,"
    "  updated_at INTEGER NOT NULL,"
    "  state_reason TEXT,"
    "  variant_mode TEXT"
    "    CHECK (variant_mode IS NULL OR variant_mode IN ('split', 'per_retry')),"
    "  number_rule TEXT"
    "    CHECK (number_rule IS NULL OR"
    "           number_rule IN ('round_robin', 'different_on_retry', 'local_first'))"
    ");"
    "INSERT INTO campaigns_new (id, name, list_id, script_id, line_id, policies, concurrency,"
    "    retry_rules, state, starts_at, ends_at, created_at, updated_at, state_reason,"
    "    variant_mode, number_rule)"
    "  SELECT id, name, list_id, script_id, line_id, policies, concurrency, retry_rules, state,"
    "    starts_at, ends_at, created_at, updated_at, state_reason, variant_mode, number_rule"
    "  FROM campaigns;"
    "DROP TABLE campaigns;"
    "ALTER TABLE campaigns_new RENAME TO campaigns;",
    TRUE
  },
};

/**
 * tb_store_get_migrations:
 * @n_migrations: (out): the number of steps
 *
 * Returns: (array length=n_migrations) (transfer none): the schema history
 */
const TbStoreMigration *
tb_store_get_migrations (guint *n_migrations)
{
  *n_migrations = G_N_ELEMENTS (migrations);
  return migrations;
}
