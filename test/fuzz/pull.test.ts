// Fuzz stage (d): random remote workflows, made through the emulator over real HTTP the way a
// dashboard would (odd labels and titles, empty branches, junk configs, `__proto__`, lead
// columns that are not variable names), pulled into a file. The file validates with no error,
// is canonical for fmt, and pushing it back plans nothing and writes nothing (issue 9, item 15).
// One emulator for the stage; seeded (corpus.ts stage()).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { formatWorkflow } from '../../core/format';
import { analyze } from '../../core/validate';
import { createEdge, createNode, createWorkflow, uploadLeads } from '../../platform/api';
import { desiredFromModel } from '../../platform/desired';
import { isEmptyPlan } from '../../platform/plan';
import { applyPrepared, preparePush } from '../../platform/prepare';
import { pullWorkflow, recordPull } from '../../platform/pull';
import { renderPull } from '../../platform/pull-render';
import { ensureBuilt } from '../server/build-once';
import { startEmu } from '../platform/helpers';
import { stage } from './corpus';
import type { Next } from './workflow-text';

const pick = <T>(next: Next, xs: readonly T[]): T => xs[Math.floor(next() * xs.length)];

const TITLES = [
  'Fuzz',
  'ünï côdé',
  'with "quotes"',
  'line\nbreak',
  '# not a comment',
  '::error::x',
  '{{ x }}',
  'x'.repeat(150),
];
const LABELS = [
  'First call',
  'First call',
  '',
  '__proto__',
  'constructor',
  'ünï',
  'a'.repeat(200),
  'x: y',
  '- dash',
  "it's",
  'tab\there',
  'esc\u001b[31m',
  '123',
  'true',
  'Wait 2 days',
];
const TYPES = ['VOICE_CALL', 'TIME', 'CONDITIONAL', 'APPLICATION', 'CONVERTED', 'DROPPED'];
const EDGE_LABELS = [
  undefined,
  'COMPLETED',
  'DNP',
  'true',
  'false',
  'success',
  'failure',
  'odd label',
  'ünï',
  '__proto__',
];
const COLUMNS = [
  'first name',
  'e-mail',
  '9lives',
  'Ünï',
  'city',
  'customer_name',
  '__proto__',
  'constructor',
  'toString',
  'loan_amount',
  'x'.repeat(70),
  'a"b',
];

/** The outcomes each type routes on, the first one always used. */
const OUTCOMES: Record<string, (string | undefined)[]> = {
  VOICE_CALL: ['COMPLETED', 'DNP', undefined],
  TIME: [undefined],
  CONDITIONAL: ['true', 'false'],
  APPLICATION: ['success', 'failure'],
};

/** A config the format accepts for the type, with hostile values where it holds free data. */
function shapedConfig(type: string, next: Next): Record<string, unknown> {
  if (type === 'CONVERTED' || type === 'DROPPED') return {};
  const c = config(type, () => 0.5 + next() / 2);
  if (type === 'APPLICATION' && next() < 0.5)
    c.action_config = JSON.parse('{"__proto__": {"polluted": true}, "subject": "\\u001b[31m {{ first name }}"}');
  return c;
}

function config(type: string, next: Next): Record<string, unknown> {
  const r = next();
  if (r < 0.2) return {};
  if (r < 0.35)
    return JSON.parse(
      pick(next, [
        '{"__proto__": {"polluted": true}, "agent_id": "agt_1"}',
        '{"constructor": 1, "toString": "x"}',
        '{"deep": {"a": [1, {"b": [null, true, 1e300]}]}}',
        '{"delay_hours": -1}',
        '{"x": "\\u0000\\u001b"}',
      ]) as string,
    ) as Record<string, unknown>;
  switch (type) {
    case 'VOICE_CALL':
      return { agent_id: pick(next, ['agt_support01', 'agt_missing']), from_phone_number: '+14155550100' };
    case 'TIME':
      return { delay_hours: pick(next, [1, 48, 0.5, 10_000]) };
    case 'CONDITIONAL':
      return {
        logic: pick(next, ['AND', 'OR']),
        conditions: [{ field: pick(next, ['city', 'first name', '__proto__']), operator: 'equals', value: 'Pune' }],
      };
    case 'APPLICATION':
      return {
        provider_key: 'resend',
        adapter_key: 'email',
        action_key: 'send_email',
        action_config: { subject: 'Hi' },
      };
    default:
      return next() < 0.5 ? {} : { note: 'terminal with config' };
  }
}

test('fuzz: random remote workflows pull to a file that validates, is canonical, and re-pushes with 0 writes', async () => {
  ensureBuilt();
  const s = stage('pull', 15, __filename);
  const emu = await startEmu();
  const dir = mkdtempSync(path.join(os.tmpdir(), 'callflow-fuzz-pull-'));
  const client = emu.client();
  try {
    for (let i = 0; i < s.runs; i++) {
      const next = s.rngFor(i);
      const made: string[] = [];
      const wf = await createWorkflow(client, {
        title: pick(next, TITLES),
        description: next() < 0.5 ? pick(next, TITLES) : '',
      });
      made.push(`workflow ${JSON.stringify(wf.title)}`);
      // Most workflows are shaped as a dashboard user would finish them (one start, every step
      // routed on, terminals last); the rest are anything a draft can hold.
      const shaped = next() < 0.7;
      const types: string[] = [];
      const n = 1 + Math.floor(next() * 7);
      for (let k = 0; k < n; k++)
        types.push(
          shaped ? (k < n - 1 ? pick(next, TYPES.slice(0, 4)) : pick(next, TYPES.slice(4))) : pick(next, TYPES),
        );
      const ids: string[] = [];
      for (const type of types) {
        const body = {
          node_type: type,
          label: pick(next, LABELS),
          position_x: pick(next, [0, -50, 1.5, 1e9]),
          position_y: pick(next, [0, 100, -3]),
          config: shaped ? shapedConfig(type, next) : config(type, next),
        };
        ids.push((await createNode(client, wf.id, body)).id);
        made.push(`node ${JSON.stringify(body)}`);
      }
      const edges: { from: number; to: number; label?: string }[] = [];
      if (shaped) {
        // Node k routes to k + 1 on its first outcome; its other outcomes to any later node (a
        // call's may be left unrouted; a condition's or an application's missing branch is WF114,
        // the draft's own error, which the unshaped workflows cover).
        for (let k = 0; k + 1 < n; k++) {
          const outcomes = OUTCOMES[types[k]];
          outcomes.forEach((label, j) => {
            if (j === 0 || types[k] !== 'VOICE_CALL' || next() < 0.5)
              edges.push({ from: k, to: j === 0 ? k + 1 : k + 1 + Math.floor(next() * (n - k - 1)), label });
          });
        }
      } else
        for (let k = Math.floor(next() * (n + 3)); k > 0; k--)
          edges.push({ from: Math.floor(next() * n), to: Math.floor(next() * n), label: pick(next, EDGE_LABELS) });
      for (const e of edges) {
        const body = { from_node_id: ids[e.from], to_node_id: ids[e.to], ...(e.label ? { label: e.label } : {}) };
        // The same edge twice is a 409: a dashboard cannot make it either.
        if (
          await createEdge(client, wf.id, body).then(
            () => true,
            () => false,
          )
        )
          made.push(`edge ${e.from} -> ${e.to} ${e.label ?? ''}`);
      }
      if (next() < 0.6) {
        const cols = ['phone_number', ...COLUMNS.filter(() => next() < 0.3)];
        const csv = cols.map((c) => (/[",\n]/.test(c) ? `"${c.replace(/"/g, '""')}"` : c)).join(',') + '\n';
        const row = cols.map((c, j) => (j === 0 ? '+14155550111' : 'v')).join(',') + '\n';
        const bytes = new TextEncoder().encode(csv + row);
        await uploadLeads(client, wf.id, { path: 'leads.csv', bytes, rows: 1, columns: cols });
        made.push(`leads columns ${JSON.stringify(cols)}`);
      }
      const fail = (problem: string) =>
        new Error(
          `fuzz stage "pull" failed on workflow #${i} (CALLFLOW_FUZZ_SEED=${s.seed}).\n` +
            `Replay: CALLFLOW_FUZZ_SEED=${s.seed} node scripts/test.mjs ${path.relative(process.cwd(), __filename)}\n` +
            `${problem}\nremote:\n  ${made.join('\n  ')}`,
        );

      const pulled = await pullWorkflow(client, wf.id, { target: 'emu', render: renderPull });
      if (!pulled) throw fail('pull found nothing');
      const analysis = analyze(pulled.text);
      const errors = analysis.diagnostics.filter((d) => d.severity === 'error');
      const said = errors.map((d) => `line ${d.range.start.line + 1}: ${d.code} ${d.message}`);
      // A finished workflow pulls to a file without errors; a draft's own problems (no route on, a
      // config on a terminal) are reported as the pull's errors, never a file that does not parse.
      if (shaped ? errors.length > 0 : errors.some((d) => ['WF001', 'WF003', 'WF004'].includes(d.code)))
        throw fail(`the pulled file does not validate:\n${said.join('\n')}\n${pulled.text}`);
      assert.deepEqual(pulled.errors, said, 'pull says which errors its file has');
      const f = formatWorkflow(pulled.text);
      if ('error' in f || f.changed)
        throw fail(`the pulled file is not canonical: ${'error' in f ? f.error : f.text}\n--- pulled:\n${pulled.text}`);

      if (errors.length) continue; // push refuses a file with errors: nothing to round-trip
      const file = path.join(dir, `p${i}.workflow.yaml`);
      writeFileSync(file, pulled.text);
      recordPull(file, 'emu', pulled);
      const desired = desiredFromModel(analysis.model!);
      const before = (await emu.stats()).writes;
      const prepared = await preparePush(client, file, 'emu', desired);
      if (prepared.drift) throw fail(`drift right after pull: ${prepared.drift.message}`);
      if (!isEmptyPlan(prepared.plan))
        throw fail(`the push plans calls: ${JSON.stringify(prepared.plan.calls).slice(0, 2000)}\n${pulled.text}`);
      await applyPrepared(client, 'emu', file, desired, prepared);
      assert.equal((await emu.stats()).writes, before, 'a push right after pull writes nothing');
    }
  } finally {
    await emu.kill();
    rmSync(dir, { recursive: true, force: true });
  }
});

test('a remote node with an empty label pulls to `label: ""`, so the next push does not rename it', async () => {
  const graph = {
    workflow: { title: 't' },
    nodes: [{ id: 'node_1', node_type: 'CONVERTED', label: '' }],
    edges: [],
  };
  const r = await renderPull(graph);
  assert.match(r.text, /label: ""/);
  const model = analyze(r.text).model!;
  assert.equal(desiredFromModel(model).nodes.find((n) => n.key === 'converted')?.label, '');
});
