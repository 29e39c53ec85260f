// The workspaces the emulator serves: keys, plan (concurrency limit), rate limit, agents and phone
// numbers. They come from a seed file at every start and live in memory (they are reference data the
// API only reads); what the API writes lives in SQLite.
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import defaultSeed from './default-seed.json';

export interface RateLimit {
  requests: number;
  windowSeconds: number;
}

export interface SeedAgent {
  id: string;
  current_version_number: number;
  current_version: {
    number: number;
    title?: string;
    is_published: boolean;
    prompts?: {
      prompt_text?: string;
      welcome_message?: string;
      default_dynamic_variables?: Record<string, unknown> | string[];
    };
    telephony?: { outbound?: unknown };
    [k: string]: unknown;
  };
  [k: string]: unknown;
}

export interface SeedPhoneNumber {
  id: string;
  phone_number: string;
  status: 'active' | 'pending' | 'unavailable';
  outbound_agent_id: string | null;
  [k: string]: unknown;
}

export interface Workspace {
  id: string;
  name: string;
  isDefault: boolean;
  keys: string[];
  plan: string;
  concurrencyLimit: number;
  rateLimit: RateLimit;
  agents: SeedAgent[];
  phoneNumbers: SeedPhoneNumber[];
}

export const PLAN_LIMITS: Record<string, number> = { Starter: 5, Growth: 25, Scale: 100 };
export const DEFAULT_RATE_LIMIT: RateLimit = { requests: 6000, windowSeconds: 60 };

export class SeedError extends Error {}

export function readSeedFile(file: string): unknown {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    throw new SeedError(`cannot read seed file ${file}: ${(e as Error).message}`);
  }
  try {
    return JSON.parse(text);
  } catch (e) {
    throw new SeedError(`seed file ${file} is not valid JSON: ${(e as Error).message}`);
  }
}

export function defaultSeedData(): unknown {
  return defaultSeed;
}

const isObj = (v: unknown): v is Record<string, unknown> => !!v && typeof v === 'object' && !Array.isArray(v);

/** Checks and normalises a seed; `key` (when given) replaces the default workspace's keys. */
export function loadWorkspaces(
  seed: unknown,
  key?: string,
): { workspaces: Workspace[]; defaultKey: string; generatedKey: boolean } {
  if (!isObj(seed) || !Array.isArray(seed.workspaces) || seed.workspaces.length === 0) {
    throw new SeedError('seed must be an object with a non-empty "workspaces" array');
  }
  const seenIds = new Set<string>();
  const seenKeys = new Set<string>();
  const workspaces: Workspace[] = seed.workspaces.map((w: unknown, i: number) => {
    const where = `workspaces[${i}]`;
    if (!isObj(w) || typeof w.id !== 'string' || !w.id) throw new SeedError(`${where}: "id" (string) is required`);
    if (seenIds.has(w.id)) throw new SeedError(`${where}: duplicate workspace id "${w.id}"`);
    seenIds.add(w.id);
    const plan = typeof w.plan === 'string' ? w.plan : 'Growth';
    const limit = typeof w.concurrency_limit === 'number' ? w.concurrency_limit : PLAN_LIMITS[plan];
    if (!Number.isInteger(limit) || limit < 1)
      throw new SeedError(`${where}: "concurrency_limit" must be a positive integer (plan "${plan}" has no default)`);
    const rl = isObj(w.rate_limit) ? w.rate_limit : {};
    const rateLimit: RateLimit = {
      requests: typeof rl.requests === 'number' ? rl.requests : DEFAULT_RATE_LIMIT.requests,
      windowSeconds: typeof rl.window_seconds === 'number' ? rl.window_seconds : DEFAULT_RATE_LIMIT.windowSeconds,
    };
    if (!(rateLimit.requests >= 1) || !(rateLimit.windowSeconds > 0))
      throw new SeedError(`${where}: "rate_limit" needs requests ≥ 1 and window_seconds > 0`);
    const keys = Array.isArray(w.keys) ? w.keys.filter((k): k is string => typeof k === 'string' && k.length > 0) : [];
    const agents = (Array.isArray(w.agents) ? w.agents : []).map((a: unknown, j: number) => {
      if (!isObj(a) || typeof a.id !== 'string' || !isObj(a.current_version))
        throw new SeedError(`${where}.agents[${j}]: "id" and "current_version" are required`);
      const v = a.current_version;
      return {
        ...a,
        current_version_number:
          typeof a.current_version_number === 'number'
            ? a.current_version_number
            : typeof v.number === 'number'
              ? v.number
              : 1,
        current_version: {
          ...v,
          number: typeof v.number === 'number' ? v.number : 1,
          is_published: v.is_published === true,
        },
      } as SeedAgent;
    });
    const phoneNumbers = (Array.isArray(w.phone_numbers) ? w.phone_numbers : []).map((p: unknown, j: number) => {
      if (!isObj(p) || typeof p.id !== 'string' || typeof p.phone_number !== 'string')
        throw new SeedError(`${where}.phone_numbers[${j}]: "id" and "phone_number" are required`);
      const status = p.status === 'pending' || p.status === 'unavailable' ? p.status : 'active';
      return {
        ...p,
        status,
        outbound_agent_id: typeof p.outbound_agent_id === 'string' ? p.outbound_agent_id : null,
      } as SeedPhoneNumber;
    });
    return {
      id: w.id,
      name: typeof w.name === 'string' ? w.name : w.id,
      isDefault: w.default === true,
      keys,
      plan,
      concurrencyLimit: limit,
      rateLimit,
      agents,
      phoneNumbers,
    };
  });
  const def = workspaces.find((w) => w.isDefault) ?? workspaces[0];
  def.isDefault = true;
  let generatedKey = false;
  if (key) def.keys = [key];
  else if (def.keys.length === 0) {
    def.keys = [`cf_dev_${randomBytes(12).toString('hex')}`];
    generatedKey = true;
  }
  for (const w of workspaces) {
    if (w !== def && key) w.keys = w.keys.filter((k) => k !== key);
    for (const k of w.keys) {
      if (seenKeys.has(k)) throw new SeedError(`workspace "${w.id}": key is used by another workspace`);
      seenKeys.add(k);
    }
  }
  return { workspaces, defaultKey: def.keys[0], generatedKey };
}

/** What core's online checks need to know about an agent. */
export function agentDefaultVariables(a: SeedAgent): string[] {
  const d = a.current_version.prompts?.default_dynamic_variables;
  if (Array.isArray(d)) return d.filter((x): x is string => typeof x === 'string');
  return d && typeof d === 'object' ? Object.keys(d) : [];
}
