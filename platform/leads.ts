// Leads on the platform: read a lead CSV for upload (bounded, text, with a phone_number column),
// preview it (row count and columns, never its contents), upload it (POST /workflows/{id}/leads,
// multipart field `file`, never repeated when its outcome is unknown), and read the workflow's
// variable keys. One home for the editor's *Upload Leads…* and the CLI's `leads upload`.
import { closeSync, constants, fstatSync, openSync, readSync } from 'node:fs';
import path from 'node:path';
import { parseCsv } from '../core/csv';
import { LEADS_PROBLEM_TEXT } from '../core/leads';
import type { ApiClient } from './client';
import { locateLeadsFile } from './workspace-files';

/** Larger lead files are refused before reading (the platform's own limit is lower). */
export const LEADS_UPLOAD_MAX_BYTES = 10 * 1024 * 1024;
export const PHONE_COLUMN = 'phone_number';

export interface LeadsFile {
  /** The file's path (real, absolute). */
  path: string;
  bytes: Uint8Array;
  /** Data rows (blank lines not counted). */
  rows: number;
  /** Header columns, in file order. */
  columns: string[];
}

/** A lead file that cannot be uploaded; the message quotes no content of the file. */
export class LeadsFileError extends Error {}

const wf = (workflowId: string) => `/workflows/${encodeURIComponent(workflowId)}`;

/** Reads and checks a lead CSV for upload: a regular text file, bounded, with a phone_number column. */
export function readLeadsFile(file: string): LeadsFile {
  let fd: number | undefined;
  let bytes: Buffer;
  const name = path.basename(file);
  try {
    // O_NONBLOCK: a FIFO cannot hang the open; the fstat below refuses anything but a regular file.
    fd = openSync(file, constants.O_RDONLY | (constants.O_NONBLOCK ?? 0));
    const st = fstatSync(fd);
    if (!st.isFile()) throw new LeadsFileError(`${name}: ${LEADS_PROBLEM_TEXT['not-regular']}`);
    if (st.size > LEADS_UPLOAD_MAX_BYTES)
      throw new LeadsFileError(`${name} is larger than ${LEADS_UPLOAD_MAX_BYTES / 1024 / 1024} MiB`);
    bytes = Buffer.alloc(st.size);
    let len = 0;
    while (len < st.size) {
      const n = readSync(fd, bytes, len, st.size - len, len);
      if (n <= 0) break;
      len += n;
    }
    bytes = bytes.subarray(0, len);
  } catch (e) {
    if (e instanceof LeadsFileError) throw e;
    const code = (e as NodeJS.ErrnoException).code;
    throw new LeadsFileError(
      `${name}: ${code === 'ENOENT' ? LEADS_PROBLEM_TEXT['not-found'] : code === 'EACCES' ? LEADS_PROBLEM_TEXT['permission-denied'] : code === 'EISDIR' ? LEADS_PROBLEM_TEXT.folder : LEADS_PROBLEM_TEXT.unreadable}`,
    );
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
  if (bytes.includes(0)) throw new LeadsFileError(`${name}: ${LEADS_PROBLEM_TEXT['not-text']}`);
  const records = parseCsv(bytes.toString('utf8'));
  const columns = records[0] ?? [];
  if (!columns.includes(PHONE_COLUMN))
    throw new LeadsFileError(`${name} has no ${PHONE_COLUMN} column in its header (the number each lead is called on)`);
  const rows = records.slice(1).filter((r) => r.some((f) => f !== '')).length;
  if (rows === 0) throw new LeadsFileError(`${name} has a header but no lead rows`);
  return { path: file, bytes, rows, columns };
}

/**
 * The file a workflow's `leads:` names, checked as the rules check it (relative, inside `root`, a
 * regular file), read for upload.
 */
export function readWorkflowLeadsFile(workflowFile: string, leadsPath: string, root: string): LeadsFile {
  const where = locateLeadsFile(workflowFile, leadsPath, root);
  if ('problem' in where) throw new LeadsFileError(`leads: ${leadsPath}: ${LEADS_PROBLEM_TEXT[where.problem]}`);
  return readLeadsFile(where.path);
}

/** Enrols the file's leads in the workflow; resolves to how many the platform enrolled. */
export async function uploadLeads(client: ApiClient, workflowId: string, file: LeadsFile): Promise<number> {
  const form = new FormData();
  form.append('file', new Blob([new Uint8Array(file.bytes)], { type: 'text/csv' }), path.basename(file.path));
  const r = await client.request<{ leads_enrolled?: number; count?: number }>('POST', `${wf(workflowId)}/leads`, {
    form,
  });
  return Number(r?.leads_enrolled ?? r?.count ?? file.rows);
}

/** The union of the columns of every lead file uploaded to the workflow, minus phone_number. */
export async function variableKeys(client: ApiClient, workflowId: string): Promise<string[]> {
  const r = await client.get<{ keys?: string[] } | string[]>(`${wf(workflowId)}/leads/variable-keys`);
  return Array.isArray(r) ? r : (r?.keys ?? []);
}
