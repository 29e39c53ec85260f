// The SQLite connection the emulator uses: SQLite compiled to WebAssembly (node-sqlite3-wasm), reading
// and writing the real file through Node's fs, so nothing is compiled at install and the same bundle
// runs under Node 20 and in VS Code's extension host (docs/decisions.md, 2026-12-02). This wrapper
// gives it the small better-sqlite3-shaped surface the routes use: cached prepared statements (a wasm
// statement holds wasm memory until finalized), `@name` parameters from a plain object, transactions
// that nest as savepoints, and pragmas.
import { Database as WasmDatabase, type Statement as WasmStatement } from 'node-sqlite3-wasm';

type Value = string | number | bigint | null | boolean | Uint8Array;
type Params = Value[] | [Record<string, unknown>];

export interface RunResult {
  changes: number;
}

export class Statement {
  /** `@name` parameters the SQL uses: an object's other properties are not bound (better-sqlite3 does the same). */
  private readonly named: string[];

  constructor(
    private readonly db: Database,
    private readonly stmt: WasmStatement,
    sql: string,
  ) {
    this.named = [...new Set(sql.match(/@[A-Za-z_][A-Za-z0-9_]*/g) ?? [])];
  }

  private bind(args: unknown[]) {
    if (args.length === 1 && isPlainObject(args[0])) {
      const o = args[0];
      const out: Record<string, Value> = {};
      for (const p of this.named) {
        const v = Object.hasOwn(o, p.slice(1)) ? o[p.slice(1)] : undefined;
        out[p] = (v === undefined ? null : v) as Value;
      }
      return out;
    }
    return args.map((v) => (v === undefined ? null : v)) as Value[];
  }

  /** The first row, or undefined. Reads every row so the statement finishes and releases the file lock. */
  get(...args: Params | unknown[]): unknown {
    this.db.assertOpen();
    return this.stmt.all(this.bind(args))[0] ?? undefined;
  }

  all(...args: Params | unknown[]): unknown[] {
    this.db.assertOpen();
    return this.stmt.all(this.bind(args));
  }

  run(...args: Params | unknown[]): RunResult {
    this.db.assertOpen();
    return { changes: this.stmt.run(this.bind(args)).changes };
  }

  finalize(): void {
    if (!this.stmt.isFinalized) this.stmt.finalize();
  }
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return !!v && typeof v === 'object' && !Array.isArray(v) && !(v instanceof Uint8Array);
}

export class Database {
  private readonly raw: WasmDatabase;
  private readonly cache = new Map<string, Statement>();
  private depth = 0;
  private savepoints = 0;

  constructor(readonly file: string) {
    this.raw = new WasmDatabase(file);
  }

  get open(): boolean {
    return this.raw.isOpen;
  }

  assertOpen(): void {
    if (!this.raw.isOpen) throw new Error('the database is closed');
  }

  /** Prepared once per SQL text and kept until close (the routes use a fixed set of statements). */
  prepare(sql: string): Statement {
    let s = this.cache.get(sql);
    if (!s) {
      s = new Statement(this, this.raw.prepare(sql), sql);
      this.cache.set(sql, s);
    }
    return s;
  }

  exec(sql: string): void {
    this.raw.exec(sql);
  }

  /** `pragma('user_version', {simple: true})` → the value; otherwise the rows. */
  pragma(sql: string, opts: { simple?: boolean } = {}): unknown {
    const rows = this.raw.all(`PRAGMA ${sql}`);
    if (!opts.simple) return rows;
    const first = rows[0];
    return first ? Object.values(first)[0] : undefined;
  }

  /**
   * Wraps `fn` in a transaction: BEGIN IMMEDIATE (the write lock is taken before the first read, so a
   * check and the write that depends on it see the same data even with another process on the file),
   * or BEGIN for a read (one lock for all its statements, instead of one per statement); nested calls
   * become savepoints. Any throw rolls back.
   */
  transaction<T>(fn: () => T, mode: 'immediate' | 'deferred' = 'immediate'): () => T {
    return () => {
      if (this.depth === 0) {
        this.raw.exec(mode === 'immediate' ? 'BEGIN IMMEDIATE' : 'BEGIN');
        this.depth++;
        try {
          const out = fn();
          this.raw.exec('COMMIT');
          return out;
        } catch (e) {
          if (this.raw.inTransaction) this.raw.exec('ROLLBACK');
          throw e;
        } finally {
          this.depth--;
        }
      }
      const name = `sp${++this.savepoints}`;
      this.raw.exec(`SAVEPOINT ${name}`);
      this.depth++;
      try {
        const out = fn();
        this.raw.exec(`RELEASE ${name}`);
        return out;
      } catch (e) {
        this.raw.exec(`ROLLBACK TO ${name}`);
        this.raw.exec(`RELEASE ${name}`);
        throw e;
      } finally {
        this.depth--;
      }
    };
  }

  close(): void {
    if (!this.raw.isOpen) return;
    for (const s of this.cache.values()) s.finalize();
    this.cache.clear();
    this.raw.close();
  }
}
