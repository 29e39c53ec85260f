// The emulator runs activated workflows: a virtual clock, scheduling ticks, and a journal. Every lead of
// an `active` workflow moves as core's interpreter (core/interpret.ts `step`) says; this module only
// decides WHEN: a VOICE_CALL holds one of the workspace's concurrent-call slots for CALL_MINUTES, a TIME
// node's wait is the interpreter's `waitHours`, and everything else happens within the tick it is due.
// State lives in SQLite (leads.run_state / due_ms / in_call_until, the clock row, the events table), and
// each tick is one transaction: an emulator killed mid-advance restarts at the last whole tick.
import {
  programFromRemote,
  startLead,
  step,
  type LeadState,
  type OutcomeProvider,
  type Program,
  type StepResult,
} from '../core/interpret';
import type { DB } from './db';
import type { Workspace } from './seed';
import { listEdges, listNodes, nodeJson, type LeadRow, type WorkflowRow } from './store';

export const TICK_MS = 60_000;
export const CALL_MINUTES = 3;
const HOUR_MS = 3_600_000;

export interface JournalEntry {
  lead_id: string;
  node_id: string | null;
  /** `call` (a call started; `ends_at` when it ends), `moved` (left node_id for to_node_id), `ended`. */
  kind: string;
  outcome: string | null;
  to_node_id: string | null;
  at: string;
  ends_at: string | null;
}

/** Outcomes of VOICE_CALL visits (and of any node the outcomes file names). */
export type Outcomes = (req: {
  workflowId: string;
  leadId: string;
  nodeId: string;
  label: string;
  agentId?: string;
  type: string;
  visit: number;
}) => string | undefined;

export function nowMs(db: DB): number {
  return (db.prepare('SELECT now_ms FROM clock WHERE id = 1').get() as { now_ms: number }).now_ms;
}

export function ensureClock(db: DB, start = Math.floor(Date.now() / TICK_MS) * TICK_MS): void {
  db.prepare('INSERT OR IGNORE INTO clock (id, now_ms) VALUES (1, ?)').run(start);
}

function setNow(db: DB, ms: number): void {
  db.prepare('UPDATE clock SET now_ms = ? WHERE id = 1').run(ms);
}

const iso = (ms: number) => new Date(ms).toISOString();

export class Scheduler {
  constructor(
    private readonly db: DB,
    private readonly workspaces: Workspace[],
    private readonly outcomes: Outcomes,
  ) {}

  /** Runs every tick up to `hours` later; each tick is one transaction. */
  advance(hours: number): { now: string; ticks: number; steps: number } {
    const target = nowMs(this.db) + Math.round(hours * HOUR_MS);
    return this.advanceTo(target);
  }

  advanceTo(target: number): { now: string; ticks: number; steps: number } {
    let ticks = 0;
    let steps = 0;
    let now = nowMs(this.db);
    for (;;) {
      steps += this.db.transaction(() => {
        setNow(this.db, now);
        return this.tick(now);
      })();
      ticks++;
      const next = this.nextDue(now);
      if (next === undefined || next > target) break;
      now = Math.max(now + TICK_MS, Math.ceil(next / TICK_MS) * TICK_MS);
      if (now > target) break;
    }
    this.db.transaction(() => setNow(this.db, Math.max(target, nowMs(this.db))))();
    return { now: iso(nowMs(this.db)), ticks, steps };
  }

  /** The earliest moment after `now` something of an active workflow is due: a call's end or a lead's wait. */
  private nextDue(now: number): number | undefined {
    const r = this.db
      .prepare(
        `SELECT min(CASE WHEN l.in_call_until IS NOT NULL THEN l.in_call_until ELSE l.due_ms END) AS t
         FROM leads l JOIN workflows w ON w.id = l.workflow_id
         WHERE w.status IN ('active','running') AND l.status = 'in_progress'
           AND (CASE WHEN l.in_call_until IS NOT NULL THEN l.in_call_until ELSE l.due_ms END) > ?`,
      )
      .get(now) as { t: number | null };
    return r.t ?? undefined;
  }

  /** One scheduling tick at virtual time `now`, over every active workflow; returns the interpreter steps taken. */
  private tick(now: number): number {
    let steps = 0;
    const workflows = this.db
      .prepare("SELECT * FROM workflows WHERE status IN ('active','running') ORDER BY seq")
      .all() as WorkflowRow[];
    for (const w of workflows) {
      const ws = this.workspaces.find((x) => x.id === w.organization_id);
      if (!ws) continue;
      steps += this.tickWorkflow(w, ws, now);
    }
    return steps;
  }

  private inFlight(orgId: string, workflowId?: string): number {
    return (
      this.db
        .prepare(
          `SELECT count(*) AS n FROM leads l JOIN workflows w ON w.id = l.workflow_id
           WHERE w.organization_id = ? AND l.in_call_until IS NOT NULL ${workflowId ? 'AND l.workflow_id = ?' : ''}`,
        )
        .get(...(workflowId ? [orgId, workflowId] : [orgId])) as { n: number }
    ).n;
  }

  private tickWorkflow(w: WorkflowRow, ws: Workspace, now: number): number {
    const nodes = listNodes(this.db, w.id).map(nodeJson);
    const program = programFromRemote(nodes, listEdges(this.db, w.id));
    const limit = Math.min(w.max_concurrent_calls ?? ws.concurrencyLimit, ws.concurrencyLimit);
    const leads = this.db
      .prepare(
        `SELECT * FROM leads WHERE workflow_id = ? AND status = 'in_progress'
         AND ((in_call_until IS NOT NULL AND in_call_until <= ?) OR (in_call_until IS NULL AND ifnull(due_ms, 0) <= ?))
         ORDER BY (in_call_until IS NULL), ifnull(in_call_until, ifnull(due_ms, 0)), seq`,
      )
      .all(w.id, now, now) as (LeadRow & {
      run_state: string | null;
      due_ms: number | null;
      in_call_until: number | null;
    })[];
    let steps = 0;
    for (const lead of leads) steps += this.moveLead(w, ws, program, lead, now, limit);
    return steps;
  }

  private journal(
    w: WorkflowRow,
    leadId: string,
    kind: string,
    node: string | null,
    at: number,
    extra: { outcome?: string | null; to?: string | null; ends?: number | null } = {},
  ): void {
    this.db
      .prepare(
        'INSERT INTO events (workflow_id, lead_id, node_id, kind, outcome, to_node_id, at_ms, ends_ms) VALUES (?, ?, ?, ?, ?, ?, ?, ?)',
      )
      .run(w.id, leadId, node, kind, extra.outcome ?? null, extra.to ?? null, at, extra.ends ?? null);
  }

  /** Steps one lead as far as it goes at `now`: until a wait, a call, a full set of call slots, or its end. */
  private moveLead(
    w: WorkflowRow,
    ws: Workspace,
    program: Program,
    lead: LeadRow & { run_state: string | null; in_call_until: number | null },
    now: number,
    limit: number,
  ): number {
    let state: LeadState;
    if (lead.run_state) state = JSON.parse(lead.run_state) as LeadState;
    else {
      const start = startLead(program, JSON.parse(lead.metadata) as Record<string, unknown>, {
        startedAt: now,
        ...(lead.current_node_id ? { node: lead.current_node_id } : {}),
      });
      if ('error' in start) {
        this.journal(w, lead.id, 'ended', lead.current_node_id, now, { outcome: 'STOPPED' });
        this.save(lead.id, { status: 'failed' });
        return 0;
      }
      state = start;
    }
    const provider: OutcomeProvider = ({ node, visit }) => {
      const label = program.nodes.get(node.key) ? labelOf(this.db, node.key) : node.key;
      return this.outcomes({
        workflowId: w.id,
        leadId: lead.id,
        nodeId: node.key,
        label,
        agentId: typeof node.config.agent_id === 'string' ? node.config.agent_id : undefined,
        type: node.type,
        visit,
      });
    };
    let inCall = lead.in_call_until !== null;
    let steps = 0;
    for (let guard = 0; guard < 10_000; guard++) {
      const node = program.nodes.get(state.node);
      // A call is placed (it holds a slot for CALL_MINUTES) before its outcome is known.
      if (node?.type === 'VOICE_CALL' && !inCall) {
        if (this.inFlight(ws.id, w.id) >= limit || this.inFlight(ws.id) >= ws.concurrencyLimit) {
          this.save(lead.id, { run_state: state, current_node_id: state.node, due_ms: now });
          return steps;
        }
        const ends = now + CALL_MINUTES * 60_000;
        this.journal(w, lead.id, 'call', state.node, now, { ends });
        this.save(lead.id, { run_state: state, current_node_id: state.node, in_call_until: ends });
        return steps;
      }
      inCall = false;
      const r: StepResult = step(program, state, provider);
      steps++;
      if (r.kind === 'needs-outcome') {
        // No outcome for a scripted node: the lead stops here (the platform would have one).
        this.journal(w, lead.id, 'ended', r.node, now, { outcome: 'STOPPED' });
        this.save(lead.id, { run_state: r.state, status: 'failed', current_node_id: r.node, in_call_until: null });
        return steps;
      }
      if (r.kind === 'ended') {
        this.journal(w, lead.id, 'ended', r.state.node, now, { outcome: r.end });
        const status = r.end === 'CONVERTED' || r.end === 'DROPPED' ? 'completed' : 'failed';
        this.save(lead.id, { run_state: r.state, status, current_node_id: r.state.node, in_call_until: null });
        return steps;
      }
      this.journal(w, lead.id, 'moved', r.from, now, { outcome: r.outcome ?? null, to: r.to });
      state = r.state;
      if (r.waitHours > 0) {
        // The lead sits at the TIME node for its wait, then is at `to`.
        const due = now + Math.round(r.waitHours * HOUR_MS);
        this.save(lead.id, { run_state: state, current_node_id: r.from, due_ms: due, in_call_until: null });
        return steps;
      }
      this.save(lead.id, { run_state: state, current_node_id: r.to, due_ms: now, in_call_until: null });
    }
    return steps;
  }

  private save(
    id: string,
    f: {
      run_state?: LeadState;
      status?: string;
      current_node_id?: string | null;
      due_ms?: number | null;
      in_call_until?: number | null;
    },
  ): void {
    const sets: string[] = [];
    const args: unknown[] = [];
    if (f.run_state !== undefined) {
      sets.push('run_state = ?');
      args.push(JSON.stringify(f.run_state));
    }
    if (f.status !== undefined) {
      sets.push('status = ?');
      args.push(f.status);
    }
    if (f.current_node_id !== undefined) {
      sets.push('current_node_id = ?');
      args.push(f.current_node_id);
    }
    if (f.due_ms !== undefined) {
      sets.push('due_ms = ?');
      args.push(f.due_ms);
    }
    if (f.in_call_until !== undefined) {
      sets.push('in_call_until = ?');
      args.push(f.in_call_until);
    }
    if (sets.length) this.db.prepare(`UPDATE leads SET ${sets.join(', ')} WHERE id = ?`).run(...args, id);
  }

  /** Leads of a cancelled workflow end (failed) with a journal entry. */
  static endLeadsOf(db: DB, w: WorkflowRow): void {
    const now = nowMs(db);
    const open = db
      .prepare("SELECT id, current_node_id FROM leads WHERE workflow_id = ? AND status IN ('pending','in_progress')")
      .all(w.id) as { id: string; current_node_id: string | null }[];
    for (const l of open)
      db.prepare(
        'INSERT INTO events (workflow_id, lead_id, node_id, kind, outcome, to_node_id, at_ms, ends_ms) VALUES (?, ?, ?, ?, ?, NULL, ?, NULL)',
      ).run(w.id, l.id, l.current_node_id, 'ended', 'CANCELLED', now);
    db.prepare(
      "UPDATE leads SET status = 'failed', in_call_until = NULL WHERE workflow_id = ? AND status IN ('pending','in_progress')",
    ).run(w.id);
  }

  journalOf(workflowId: string): JournalEntry[] {
    const rows = this.db.prepare('SELECT * FROM events WHERE workflow_id = ? ORDER BY seq').all(workflowId) as {
      lead_id: string;
      node_id: string | null;
      kind: string;
      outcome: string | null;
      to_node_id: string | null;
      at_ms: number;
      ends_ms: number | null;
    }[];
    return rows.map((r) => ({
      lead_id: r.lead_id,
      node_id: r.node_id,
      kind: r.kind,
      outcome: r.outcome,
      to_node_id: r.to_node_id,
      at: iso(r.at_ms),
      ends_at: r.ends_ms === null ? null : iso(r.ends_ms),
    }));
  }
}

function labelOf(db: DB, nodeId: string): string {
  return (db.prepare('SELECT label FROM nodes WHERE id = ?').get(nodeId) as { label: string } | undefined)?.label ?? '';
}
