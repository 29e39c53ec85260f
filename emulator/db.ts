// The emulator's SQLite file: schema, migrations, and what keeps it consistent when the process dies
// mid-request: a rollback journal (the WebAssembly build has no shared memory, so no WAL; SQLite
// rolls a hot journal back on the next open), foreign keys, every multi-step change in one
// transaction, and the clearing of a lock the killed process left behind (see `clearStaleLock`).
import { existsSync, mkdirSync, readdirSync, rmdirSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { Database } from './sqlite';

export type DB = Database;

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
  // 2: the scheduler (emulator/scheduler.ts): a lead's interpreter state and when it is next due, the
  // virtual clock, and the journal.
  `
  ALTER TABLE leads ADD COLUMN run_state TEXT;
  ALTER TABLE leads ADD COLUMN due_ms INTEGER;
  ALTER TABLE leads ADD COLUMN in_call_until INTEGER;
  CREATE INDEX leads_moving ON leads (workflow_id, status);
  CREATE TABLE clock (id INTEGER PRIMARY KEY CHECK (id = 1), now_ms INTEGER NOT NULL);
  CREATE TABLE events (
    seq INTEGER PRIMARY KEY,
    workflow_id TEXT NOT NULL REFERENCES workflows (id) ON DELETE CASCADE,
    lead_id TEXT NOT NULL,
    node_id TEXT,
    kind TEXT NOT NULL,
    outcome TEXT,
    to_node_id TEXT,
    at_ms INTEGER NOT NULL,
    ends_ms INTEGER
  );
  CREATE INDEX events_workflow ON events (workflow_id, seq);
  `,
];

/** The data directory's own `.gitignore`: nothing under `.callflow/` is ever meant to be committed. */
export const DATA_DIR_NAME = '.callflow';

export function openDatabase(file: string): DB {
  if (file === ':memory:') return configure(new Database(file));
  const abs = path.resolve(file);
  prepareDirectory(path.dirname(abs));
  const users = registerUser(abs);
  clearStaleLock(abs);
  let db: Database;
  try {
    db = configure(new Database(abs));
  } catch (e) {
    users.release();
    throw e;
  }
  const close = db.close.bind(db);
  db.close = () => {
    close();
    users.release();
  };
  return db;
}

function configure(db: Database): Database {
  // A rollback journal survives a killed process (the journal is rolled back on the next open);
  // synchronous NORMAL, as before: only an OS crash may cost the last commits.
  db.pragma('journal_mode = DELETE');
  db.pragma('synchronous = NORMAL');
  db.pragma('foreign_keys = ON');
  db.pragma('busy_timeout = 5000');
  try {
    migrate(db);
  } catch (e) {
    db.close();
    throw e;
  }
  return db;
}

/** Creates the database's directory; a `.callflow` data directory gets a `.gitignore` of `*` so its files never show up untracked. */
function prepareDirectory(dir: string): void {
  mkdirSync(dir, { recursive: true });
  const ignore = path.join(dir, '.gitignore');
  if (path.basename(dir) === DATA_DIR_NAME && !existsSync(ignore)) {
    try {
      writeFileSync(ignore, '# Written by the Callflow emulator: its database stays out of git.\n*\n', { flag: 'wx' });
    } catch {
      /* another process wrote it first, or the directory is read-only: nothing to add */
    }
  }
}

/**
 * The wasm build locks the file with a directory `<file>.lock` (mkdir is atomic on every platform).
 * A process killed while it held the lock leaves that directory behind, and every later open would
 * wait on it forever. Each emulator process on a file registers its pid under `<file>.pids/`; a lock
 * with no live process registered is stale and removed (SQLite then rolls the hot journal back).
 */
export function clearStaleLock(file: string, self = process.pid): boolean {
  const lock = `${file}.lock`;
  if (!existsSync(lock)) return false;
  if (liveUsers(file).some((pid) => pid !== self)) return false;
  try {
    rmdirSync(lock);
    return true;
  } catch {
    return false;
  }
}

function liveUsers(file: string): number[] {
  const dir = `${file}.pids`;
  let names: string[] = [];
  try {
    names = readdirSync(dir);
  } catch {
    return [];
  }
  const live: number[] = [];
  for (const n of names) {
    const pid = Number(n);
    if (!Number.isInteger(pid) || pid <= 0) continue;
    if (isAlive(pid)) live.push(pid);
    else rmSync(path.join(dir, n), { force: true });
  }
  return live;
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

// Opens of one file in this process (the CLI may run an emulator beside a test's): the pid file stays while any is open.
const opensHere = new Map<string, number>();

function registerUser(file: string): { release(): void } {
  const dir = `${file}.pids`;
  const mine = path.join(dir, String(process.pid));
  mkdirSync(dir, { recursive: true });
  writeFileSync(mine, '');
  opensHere.set(file, (opensHere.get(file) ?? 0) + 1);
  let released = false;
  return {
    release() {
      if (released) return;
      released = true;
      const left = (opensHere.get(file) ?? 1) - 1;
      if (left > 0) opensHere.set(file, left);
      else {
        opensHere.delete(file);
        rmSync(mine, { force: true });
      }
    },
  };
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
