/**
 * The tables of the run ledger, created on first open. Each statement is idempotent, so an
 * existing ledger is left as it is and gains only the tables it lacks. `LEDGER_VERSION` is
 * stored in `meta` and checked on open. A table added this way needs no new version, because
 * a ledger without it opens and gets it.
 */
import type Database from "better-sqlite3";

/** Version of the table layout below; a ledger with another version is not opened. */
export const LEDGER_VERSION = 1;

/** The statements that create every table and index of the ledger. */
export const ledgerDdl = `
CREATE TABLE IF NOT EXISTS meta (
  key TEXT PRIMARY KEY,
  value TEXT NOT NULL
);

CREATE TABLE IF NOT EXISTS runs (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  mode TEXT NOT NULL,
  plan_hash TEXT NOT NULL,
  status TEXT NOT NULL,
  halt_reason TEXT,
  halt_detail TEXT,
  sample_size INTEGER,
  dry_run INTEGER NOT NULL DEFAULT 0,
  source TEXT NOT NULL,
  destination TEXT NOT NULL,
  schema_changes TEXT NOT NULL DEFAULT '[]',
  automations TEXT NOT NULL DEFAULT '[]',
  started_at TEXT NOT NULL,
  finished_at TEXT
);

CREATE TABLE IF NOT EXISTS approvals (
  plan_hash TEXT PRIMARY KEY,
  approved_by TEXT NOT NULL,
  approved_at TEXT NOT NULL
);

-- The approval in force when each run started. A later confirmation of the same plan replaces
-- its row in approvals, not the rows here.
CREATE TABLE IF NOT EXISTS run_approvals (
  run_id INTEGER PRIMARY KEY,
  plan_hash TEXT NOT NULL,
  approved_by TEXT NOT NULL,
  approved_at TEXT NOT NULL
);

CREATE TABLE IF NOT EXISTS staged (
  run_id INTEGER NOT NULL,
  kind TEXT NOT NULL,
  source_id TEXT NOT NULL,
  seq INTEGER NOT NULL,
  file TEXT NOT NULL,
  line INTEGER NOT NULL,
  fields TEXT NOT NULL,
  warnings TEXT NOT NULL,
  PRIMARY KEY (run_id, kind, source_id)
);
CREATE INDEX IF NOT EXISTS staged_order ON staged (run_id, kind, seq);

CREATE TABLE IF NOT EXISTS staged_values (
  run_id INTEGER NOT NULL,
  kind TEXT NOT NULL,
  field TEXT NOT NULL,
  value TEXT NOT NULL,
  source_id TEXT NOT NULL,
  seq INTEGER NOT NULL
);
CREATE INDEX IF NOT EXISTS staged_values_lookup ON staged_values (run_id, kind, field, value, seq);

-- The files a run read: the staging counts per file, the header cells as written, and the
-- outcomes of the file's staged records, stored when the run ends.
CREATE TABLE IF NOT EXISTS source_files (
  run_id INTEGER NOT NULL,
  kind TEXT NOT NULL,
  file TEXT NOT NULL,
  seq INTEGER NOT NULL,
  rows INTEGER NOT NULL,
  staged INTEGER NOT NULL,
  rejected INTEGER NOT NULL,
  blank INTEGER,
  delimiter_hint INTEGER,
  columns TEXT NOT NULL,
  in_destination INTEGER,
  queued INTEGER,
  rejected_later INTEGER,
  PRIMARY KEY (run_id, kind, file)
);

CREATE TABLE IF NOT EXISTS planned (
  run_id INTEGER NOT NULL,
  kind TEXT NOT NULL,
  ref_kind TEXT NOT NULL,
  ref_id TEXT NOT NULL,
  seq INTEGER NOT NULL,
  file TEXT NOT NULL,
  line INTEGER NOT NULL,
  fields TEXT NOT NULL,
  custom TEXT NOT NULL,
  links TEXT NOT NULL,
  link_kinds TEXT NOT NULL,
  hash TEXT NOT NULL,
  selected INTEGER NOT NULL DEFAULT 1,
  status TEXT NOT NULL DEFAULT 'pending',
  dest_id TEXT,
  PRIMARY KEY (run_id, kind, ref_kind, ref_id)
);
CREATE INDEX IF NOT EXISTS planned_phase ON planned (run_id, kind, status, seq);

CREATE TABLE IF NOT EXISTS id_map (
  dest_kind TEXT NOT NULL,
  ref_kind TEXT NOT NULL,
  ref_id TEXT NOT NULL,
  dest_id TEXT NOT NULL,
  hash TEXT NOT NULL,
  written TEXT NOT NULL,
  created_run INTEGER NOT NULL,
  updated_run INTEGER,
  PRIMARY KEY (dest_kind, ref_kind, ref_id)
);

CREATE TABLE IF NOT EXISTS journal (
  seq INTEGER PRIMARY KEY AUTOINCREMENT,
  run_id INTEGER NOT NULL,
  dest_kind TEXT NOT NULL,
  ref_kind TEXT NOT NULL,
  ref_id TEXT NOT NULL,
  op TEXT NOT NULL,
  payload TEXT NOT NULL,
  hash TEXT NOT NULL,
  previous TEXT,
  previous_map TEXT,
  status TEXT NOT NULL,
  dest_id TEXT,
  result TEXT,
  undone_by INTEGER,
  created_at TEXT NOT NULL,
  settled_at TEXT
);
CREATE INDEX IF NOT EXISTS journal_open ON journal (status, run_id);
CREATE INDEX IF NOT EXISTS journal_run ON journal (run_id, seq);
-- A rollback looks up whether a later run updated the records that its runs updated.
CREATE INDEX IF NOT EXISTS journal_ref ON journal (dest_kind, ref_kind, ref_id);

CREATE TABLE IF NOT EXISTS schema_items (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  run_id INTEGER NOT NULL,
  type TEXT NOT NULL,
  item_id TEXT NOT NULL,
  name TEXT NOT NULL,
  kind TEXT,
  parent_id TEXT,
  removed_by INTEGER
);

CREATE TABLE IF NOT EXISTS rejections (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  run_id INTEGER NOT NULL,
  stage TEXT NOT NULL,
  kind TEXT NOT NULL,
  dest_kind TEXT,
  file TEXT NOT NULL,
  line INTEGER NOT NULL,
  code TEXT NOT NULL,
  message TEXT NOT NULL,
  source_id TEXT,
  column_name TEXT,
  value TEXT
);
CREATE INDEX IF NOT EXISTS rejections_run ON rejections (run_id, stage);
-- The transform looks up the source rejections of the parents that joined records name.
CREATE INDEX IF NOT EXISTS rejections_source ON rejections (run_id, stage, kind, source_id);
-- The report pages read a run's rows in id order. Without this index SQLite sorted all of the
-- run's rows again for every page, so writing the reports took time quadratic in the rows.
CREATE INDEX IF NOT EXISTS rejections_page ON rejections (run_id, id);

CREATE TABLE IF NOT EXISTS queue (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  run_id INTEGER NOT NULL,
  kind TEXT NOT NULL,
  ref_kind TEXT NOT NULL,
  ref_id TEXT NOT NULL,
  file TEXT NOT NULL,
  line INTEGER NOT NULL,
  reason TEXT NOT NULL,
  message TEXT NOT NULL,
  value TEXT,
  from_plan INTEGER NOT NULL DEFAULT 0,
  selected INTEGER NOT NULL DEFAULT 1
);
CREATE INDEX IF NOT EXISTS queue_run ON queue (run_id, kind);
CREATE INDEX IF NOT EXISTS queue_ref ON queue (run_id, kind, ref_kind, ref_id);
CREATE INDEX IF NOT EXISTS queue_page ON queue (run_id, id);

CREATE TABLE IF NOT EXISTS lossy (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  run_id INTEGER NOT NULL,
  ref_kind TEXT NOT NULL,
  ref_id TEXT NOT NULL,
  file TEXT NOT NULL,
  line INTEGER NOT NULL,
  field TEXT NOT NULL,
  code TEXT NOT NULL,
  message TEXT NOT NULL,
  value TEXT
);

CREATE TABLE IF NOT EXISTS checkpoints (
  run_id INTEGER NOT NULL,
  phase TEXT NOT NULL,
  position INTEGER NOT NULL,
  status TEXT NOT NULL,
  counts TEXT,
  at TEXT NOT NULL,
  PRIMARY KEY (run_id, phase)
);

CREATE TABLE IF NOT EXISTS verification (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  run_id INTEGER NOT NULL,
  checked_at TEXT NOT NULL,
  kind TEXT NOT NULL,
  ref_kind TEXT NOT NULL,
  ref_id TEXT NOT NULL,
  dest_id TEXT NOT NULL,
  field TEXT NOT NULL,
  expected TEXT,
  actual TEXT
);

CREATE TABLE IF NOT EXISTS verification_runs (
  run_id INTEGER PRIMARY KEY,
  checked_at TEXT NOT NULL,
  records INTEGER NOT NULL,
  differences INTEGER NOT NULL
);

CREATE TABLE IF NOT EXISTS rollbacks (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  scope TEXT NOT NULL,
  run_ids TEXT NOT NULL,
  remove_schema INTEGER NOT NULL,
  status TEXT NOT NULL,
  started_at TEXT NOT NULL,
  finished_at TEXT,
  removed INTEGER NOT NULL DEFAULT 0,
  restored INTEGER NOT NULL DEFAULT 0,
  failures TEXT NOT NULL DEFAULT '[]'
);

CREATE TABLE IF NOT EXISTS tokens (
  day TEXT PRIMARY KEY,
  spent INTEGER NOT NULL
);

CREATE TABLE IF NOT EXISTS run_tokens (
  run_id INTEGER NOT NULL,
  operation TEXT NOT NULL,
  day TEXT NOT NULL,
  spent INTEGER NOT NULL,
  PRIMARY KEY (run_id, operation, day)
);

CREATE TABLE IF NOT EXISTS rollback_tokens (
  rollback_id INTEGER NOT NULL,
  day TEXT NOT NULL,
  spent INTEGER NOT NULL,
  PRIMARY KEY (rollback_id, day)
);
`;

/**
 * Key in `meta` of the time an existing ledger gained the `run_tokens` table. Runs that started
 * before it have spent tokens that only the `tokens` day totals count.
 */
export const RUN_TOKENS_SINCE_KEY = "run_tokens_since";

const hasTable = (db: Database.Database, name: string): boolean =>
  db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?").get(name) !==
  undefined;

/**
 * Creates the tables and indexes the ledger lacks. When a ledger written before the `run_tokens`
 * table existed gets it, the time is stored under `RUN_TOKENS_SINCE_KEY`.
 */
export const createLedgerTables = (db: Database.Database): void => {
  db.transaction(() => {
    const upgrading = hasTable(db, "meta") && !hasTable(db, "run_tokens");
    db.exec(ledgerDdl);
    if (upgrading) {
      db.prepare("INSERT OR IGNORE INTO meta (key, value) VALUES (?, ?)").run(
        RUN_TOKENS_SINCE_KEY,
        new Date().toISOString(),
      );
    }
  })();
};
