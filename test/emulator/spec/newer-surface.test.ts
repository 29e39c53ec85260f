// platform-api.md § A second, newer surface: PATCH /workflows/{id}/status {action}, its envelope and its 400
// for a wrong state. The real emulator process over real HTTP.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { buildWorkflow, startEmu, tempDb, VALID_GRAPH, type Emu } from '../harness';
import { assertError } from '../spec-helpers';

let emu: Emu;
let db: string;
before(async () => {
  db = tempDb();
  emu = await startEmu(['--quiet'], { db });
});
after(async () => {
  assert.equal(await emu.stop(), 0);
});

const statusOf = async (id: string) => (await emu.api('GET', `/workflows/${id}`)).body.status;
const inState = async (status: 'draft') => {
  const { id } = await buildWorkflow(emu, VALID_GRAPH);
  assert.equal(await statusOf(id), status);
  return id;
};
const act = (id: string, action: unknown) => emu.api('PATCH', `/workflows/${id}/status`, { body: { action } });

describe('PATCH /workflows/{id}/status {action}', () => {
  // spec: "`PATCH /v1/workflows/{id}/status` with body `{"action": "activate"|"deactivate"|"pause"|"resume"}` (wrong state → 400, not 409), and wraps responses as `{statusCode, message, data}`"
  // spec: "and wraps responses as `{statusCode, message, data}`"
  it('activate, pause, resume, deactivate move the state and answer {statusCode, message, data}', async () => {
    // activate, pause, resume, deactivate move the state and answer {statusCode, message, data}
    {
      const { id } = await buildWorkflow(emu, VALID_GRAPH);
      for (const [action, to] of [
        ['activate', 'active'],
        ['pause', 'paused'],
        ['resume', 'active'],
        ['deactivate', 'paused'],
      ]) {
        const r = await act(id, action);
        assert.equal(r.status, 200, JSON.stringify(r.body));
        assert.deepEqual(Object.keys(r.body).sort(), ['data', 'message', 'statusCode']);
        assert.equal(r.body.statusCode, 200);
        assert.equal(typeof r.body.message, 'string');
        assert.equal(r.body.data.id, id);
        assert.equal(r.body.data.status, to);
      }
    }
    // moves the workflow and answers in the {statusCode, message, data} envelope
    {
      const id = await inState('draft');
      const a = await emu.api('PATCH', `/workflows/${id}/status`, { body: { action: 'activate' } });
      assert.equal(a.status, 200);
      assert.equal(a.body.statusCode, 200);
      assert.equal(a.body.message, 'Workflow activated successfully');
      assert.deepEqual(Object.keys(a.body.data).sort(), [
        'createdAt',
        'description',
        'id',
        'status',
        'title',
        'updatedAt',
      ]);
      assert.equal(a.body.data.status, 'active');
      assert.equal(
        (await emu.api('PATCH', `/workflows/${id}/status`, { body: { action: 'deactivate' } })).body.data.status,
        'paused',
      );
      assert.equal(
        (await emu.api('PATCH', `/workflows/${id}/status`, { body: { action: 'resume' } })).body.data.status,
        'active',
      );
      assert.equal(
        (await emu.api('PATCH', `/workflows/${id}/status`, { body: { action: 'pause' } })).body.data.status,
        'paused',
      );
    }
  });

  // spec: "(wrong state → 400, not 409)"
  it('wrong state is 400, not 409; an unknown or missing action 400; unknown id 404; nothing changes', async () => {
    // wrong state is 400, not 409; unknown action 400; unknown id 404
    {
      const { id } = await buildWorkflow(emu, VALID_GRAPH);
      assertError(await act(id, 'pause'), 400);
      assertError(await act(id, 'resume'), 400);
      await act(id, 'activate');
      assertError(await act(id, 'activate'), 400);
      assertError(await act(id, 'explode'), 400);
      assertError(await act('wfl_000000000000', 'pause'), 404);
    }
    // answers 400 (not 409) for a wrong state, and 400 for a bad action
    {
      const id = await inState('draft');
      for (const action of ['pause', 'deactivate', 'resume']) {
        const r = await emu.api('PATCH', `/workflows/${id}/status`, { body: { action } });
        assert.equal(r.status, 400, action);
        assert.equal(r.body.error, 'Bad Request');
      }
      const bad = await emu.api('PATCH', `/workflows/${id}/status`, { body: { action: 'cancel' } });
      assert.deepEqual(bad.body, {
        statusCode: 400,
        message: 'Invalid action. Must be one of: activate, deactivate, pause, resume',
        error: 'Bad Request',
      });
      assert.equal((await emu.api('PATCH', `/workflows/${id}/status`, { body: {} })).status, 400);
      assert.equal(
        (await emu.api('PATCH', '/workflows/wfl_000000000000/status', { body: { action: 'pause' } })).status,
        404,
      );
      assert.equal(await statusOf(id), 'draft');
    }
  });
});
