// The emulator's SQLite file: schema, migrations, and the pragmas that keep it consistent when the
// process dies mid-request (WAL + foreign keys; every multi-step change runs in one transaction).
import Database from 'better-sqlite3';
import { mkdirSync } from 'node:fs';
import path from 'node:path';

export type DB = Database.Database;

// Each entry moves the schema one version forward; `PRAGMA user_version` records how far a file is.
const MIGRATIONS: string[] = [
  `
  CREATE TABLE workflows (
    seq INTEGER PRIMARY KEY,
    id TEXT NOT NULL UNIQUE,
    organization_id TEXT NOT NULL,
    title TEXT NOT NULL,
    description TEXT,
    status TEXT NOT NULL CHECK (status IN ('draft','active','running','paused','completed','cancelled')),
    max_concurrent_calls INTEGER,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
  );
  CREATE INDEX workflows_org ON workflows (organization_id, seq);
  CREATE TABLE nodes (
    seq INTEGER PRIMARY KEY,
    id TEXT NOT NULL UNIQUE,
    workflow_id TEXT NOT NULL REFERENCES workflows (id) ON DELETE CASCADE,
    node_type TEXT NOT NULL,
    label TEXT NOT NULL,
    position_x REAL NOT NULL,
    position_y REAL NOT NULL,
    config TEXT NOT NULL,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
  );
  CREATE INDEX nodes_workflow ON nodes (workflow_id, seq);
  CREATE TABLE edges (
    seq INTEGER PRIMARY KEY,
    id TEXT NOT NULL UNIQUE,
    workflow_id TEXT NOT NULL REFERENCES workflows (id) ON DELETE CASCADE,
    from_node_id TEXT NOT NULL REFERENCES nodes (id) ON DELETE CASCADE,
    to_node_id TEXT NOT NULL REFERENCES nodes (id) ON DELETE CASCADE,
    label TEXT,
    created_at TEXT NOT NULL
  );
  CREATE INDEX edges_workflow ON edges (workflow_id, seq);
  CREATE INDEX edges_from ON edges (from_node_id);
  CREATE INDEX edges_to ON edges (to_node_id);
  CREATE UNIQUE INDEX edges_unique ON edges (workflow_id, from_node_id, to_node_id, ifnull(label, char(0)));
  CREATE TABLE leads (
    seq INTEGER PRIMARY KEY,
    id TEXT NOT NULL UNIQUE,
    workflow_id TEXT NOT NULL REFERENCES workflows (id) ON DELETE CASCADE,
    phone_number TEXT NOT NULL,
    metadata TEXT NOT NULL,
    current_node_id TEXT,
    status TEXT NOT NULL CHECK (status IN ('pending','in_progress','completed','removed','failed')),
    enrolled_at TEXT NOT NULL
  );
  CREATE INDEX leads_workflow ON leads (workflow_id, seq);
  CREATE TABLE variable_keys (
    workflow_id TEXT NOT NULL REFERENCES workflows (id) ON DELETE CASCADE,
    key TEXT NOT NULL,
    seq INTEGER NOT NULL,
    PRIMARY KEY (workflow_id, key)
  );
  `,
];

export function openDatabase(file: string): DB {
  if (file !== ':memory:') mkdirSync(path.dirname(path.resolve(file)), { recursive: true });
  const db = new Database(file);
  db.pragma('journal_mode = WAL');
  // NORMAL is durable against a killed process (only an OS crash may lose the last commits).
  db.pragma('synchronous = NORMAL');
  db.pragma('foreign_keys = ON');
  db.pragma('busy_timeout = 5000');
  migrate(db);
  return db;
}

function migrate(db: DB): void {
  const current = db.pragma('user_version', { simple: true }) as number;
  if (current > MIGRATIONS.length) {
    throw new Error(`database schema version ${current} is newer than this emulator (${MIGRATIONS.length})`);
  }
  for (let v = current; v < MIGRATIONS.length; v++) {
    db.transaction(() => {
      db.exec(MIGRATIONS[v]);
      db.pragma(`user_version = ${v + 1}`);
    })();
  }
}
