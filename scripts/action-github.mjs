// The action's one seam to GitHub: the pull request's comments (list, create, update) and the
// sticky-comment decision. The real client calls the REST API with the job's token; the recording
// client (CALLFLOW_ACTION_RECORD=file) answers from a JSON file of existing comments and writes what
// it would have sent, so the action is tested offline.
import { existsSync, readFileSync, writeFileSync } from 'node:fs';

/** The first line of every comment this action writes: how it finds its own comment again. */
export const MARKER = '<!-- callflow-review -->';

/** @typedef {{ id: number, body: string, user?: { login?: string, type?: string } }} Comment */
/** @typedef {{ list(): Promise<Comment[]>, create(body: string): Promise<void>, update(id: number, body: string): Promise<void> }} CommentsApi */

/** @returns {CommentsApi} */
export function githubComments({ token, repository, number, apiUrl = 'https://api.github.com' }) {
  const base = `${apiUrl.replace(/\/+$/, '')}/repos/${repository}/issues`;
  const call = async (method, url, body) => {
    const res = await fetch(url, {
      method,
      headers: {
        authorization: `Bearer ${token}`,
        accept: 'application/vnd.github+json',
        'x-github-api-version': '2022-11-28',
        'user-agent': 'callflow-action',
        ...(body ? { 'content-type': 'application/json' } : {}),
      },
      body: body ? JSON.stringify(body) : undefined,
      signal: AbortSignal.timeout(30_000),
    });
    if (!res.ok) throw new Error(`GitHub API ${method} ${url.replace(/\?.*/, '')}: ${res.status} ${res.statusText}`);
    return res.status === 204 ? undefined : res.json();
  };
  return {
    async list() {
      const all = [];
      // 100 per page, at most 30 pages: a pull request with more comments than that is not searched further.
      for (let page = 1; page <= 30; page++) {
        const batch = await call('GET', `${base}/${number}/comments?per_page=100&page=${page}`);
        all.push(...batch);
        if (batch.length < 100) break;
      }
      return all;
    },
    create: (body) => call('POST', `${base}/${number}/comments`, { body }),
    update: (id, body) => call('PATCH', `${base}/comments/${id}`, { body }),
  };
}

/** @returns {CommentsApi} */
export function recordingComments(recordFile, existingFile) {
  const existing = existingFile && existsSync(existingFile) ? JSON.parse(readFileSync(existingFile, 'utf8')) : [];
  return {
    list: async () => existing,
    create: async (body) => writeFileSync(recordFile, JSON.stringify({ action: 'create', body }, null, 2) + '\n'),
    update: async (id, body) =>
      writeFileSync(recordFile, JSON.stringify({ action: 'update', id, body }, null, 2) + '\n'),
  };
}

/**
 * One sticky comment: update ours when there is one (the first carrying the marker), else create
 * it, unless there is nothing to say (`createIfMissing` false) and nothing was said before.
 */
export async function upsertComment(api, body, { createIfMissing = true } = {}) {
  const mine = (await api.list()).find((c) => typeof c.body === 'string' && c.body.startsWith(MARKER));
  if (mine) {
    if (mine.body === body) return { action: 'unchanged', id: mine.id };
    await api.update(mine.id, body);
    return { action: 'update', id: mine.id };
  }
  if (!createIfMissing) return { action: 'skip' };
  await api.create(body);
  return { action: 'create' };
}
