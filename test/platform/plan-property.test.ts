// Property: for random sequences of workflow versions pushed one after another (through the
// library, against the emulator process), the remote always ends equal to the version pushed,
// the emulator sees exactly as many writes as the plan has calls, and planning again finds
// nothing to do and no drift.
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import fc from 'fast-check';
import { applyPlan } from '../../platform/apply';
import { autoPositionKeys, type DesiredNode, type DesiredWorkflow } from '../../platform/desired';
import { preparePush } from '../../platform/prepare';
import { canonicalJson, normLabel } from '../../platform/snapshot';
import { readRemote } from '../../platform/remote-read';
import { startEmu, type Emu } from './helpers';

const KEYS = ['a', 'b', 'c', 'd', 'e', 'f', 'g'];
const TYPES = ['TIME', 'CONDITIONAL', 'APPLICATION', 'CONVERTED', 'DROPPED'] as const;
const CONFIG: Record<string, Record<string, unknown>[]> = {
  TIME: [{ delay_hours: 1 }, { delay_hours: 24 }],
  CONDITIONAL: [
    { logic: 'AND', conditions: [{ field: 'f', operator: 'equals', value: 1 }] },
    { logic: 'OR', conditions: [{ field: 'g', operator: 'exists' }] },
  ],
  APPLICATION: [{ provider_key: 'p', adapter_key: 'a', action_key: 'k' }],
  CONVERTED: [{}],
  DROPPED: [{}],
};
const EDGE_LABELS = [undefined, 'true', 'false', 'success', 'x'];

const nodeArb = fc.record({
  type: fc.constantFrom(...TYPES),
  label: fc.constantFrom('One', 'Two', 'Three'),
  config: fc.nat(1),
  position: fc.option(fc.record({ x: fc.integer({ min: 0, max: 3 }), y: fc.integer({ min: 0, max: 3 }) }), {
    nil: undefined,
  }),
  edges: fc.array(fc.record({ to: fc.nat(6), label: fc.constantFrom(...EDGE_LABELS) }), { maxLength: 3 }),
});

const versionArb = fc
  .record({
    title: fc.constantFrom('T1', 'T2'),
    keys: fc.subarray(KEYS, { minLength: 1, maxLength: 6 }),
    nodes: fc.array(nodeArb, { minLength: 7, maxLength: 7 }),
  })
  .map(({ title, keys, nodes }): DesiredWorkflow => {
    const out: DesiredNode[] = keys.map((key, i) => {
      const n = nodes[i];
      const configs = CONFIG[n.type];
      const terminal = n.type === 'CONVERTED' || n.type === 'DROPPED';
      const seen = new Set<string>();
      const next = terminal
        ? []
        : n.edges
            .map((e) => ({ to: keys[e.to % keys.length], label: e.label }))
            .filter((e) => {
              const k = `${e.to}|${e.label}`;
              if (seen.has(k)) return false;
              seen.add(k);
              return true;
            })
            .map((e) => (e.label === undefined ? { to: e.to } : { to: e.to, label: e.label }));
      return {
        key,
        type: n.type,
        label: n.label,
        config: configs[n.config % configs.length],
        position: n.position,
        autoPosition: { x: i * 10, y: 0 },
        next,
      };
    });
    return { title, description: '', maxConcurrentCalls: null, nodes: out };
  });

describe('plan/apply property', () => {
  let emu: Emu;
  before(async () => {
    emu = await startEmu();
  });
  after(async () => {
    await emu.kill();
  });

  it('random version sequences converge with exactly the planned writes', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(versionArb, { minLength: 1, maxLength: 4 }), async (versions) => {
        const dir = mkdtempSync(path.join(tmpdir(), 'cf-prop-'));
        const file = path.join(dir, 'p.workflow.yaml');
        for (const desired of versions) {
          const client = emu.client();
          const prepared = await preparePush(client, file, 'emu', desired);
          assert.equal(prepared.drift, undefined, 'no drift between our own pushes');
          await emu.resetStats();
          await applyPlan(prepared.plan, prepared.remote, {
            client,
            targetName: 'emu',
            workflowFile: file,
            stateFile: prepared.stateFile,
            state: prepared.state,
            autoPositionKeys: autoPositionKeys(desired),
          });
          assert.equal((await emu.stats()).writes, prepared.plan.calls.length, 'one write per planned call');
          // The remote equals the version.
          const t = prepared.state.targets.get('emu')!;
          const remote = (await readRemote(client, t.workflowId!))!;
          assert.equal(remote.nodes.length, desired.nodes.length);
          const idOf = new Map([...t.nodes].map(([k, v]) => [k, v.id]));
          for (const d of desired.nodes) {
            const r = remote.nodes.find((n) => n.id === idOf.get(d.key));
            assert.ok(r, `node ${d.key} is recorded`);
            assert.equal(r!.node_type, d.type);
            assert.equal(r!.label, d.label);
            assert.equal(canonicalJson(r!.config ?? {}), canonicalJson(d.config));
            if (d.position) assert.deepEqual([r!.position_x, r!.position_y], [d.position.x, d.position.y]);
            const out = remote.edges
              .filter((e) => e.from_node_id === r!.id)
              .map((e) => `${e.to_node_id}|${normLabel(e.label) ?? ''}`);
            assert.deepEqual(
              out,
              d.next.map((e) => `${idOf.get(e.to)}|${e.label ?? ''}`),
              `edges of ${d.key} in order`,
            );
          }
          assert.equal(
            remote.edges.length,
            desired.nodes.reduce((n, d) => n + d.next.length, 0),
          );
          // Nothing left to do.
          const again = await preparePush(emu.client(), file, 'emu', desired);
          assert.equal(again.plan.calls.length, 0, JSON.stringify(again.plan.calls));
          assert.equal(again.drift, undefined);
        }
      }),
      { numRuns: 25 },
    );
  });
});
