// Call outcomes for the emulator's scheduler: `--outcomes FILE` (JSON) or a seeded default mix.
//   { "seed": 7,
//     "default": { "COMPLETED": 0.5, "DNP": 0.5 },            weights for every VOICE_CALL not named below
//     "agents": { "agt_abc123": ["DNP", "COMPLETED"] },      per agent id: a fixed sequence or weights
//     "nodes":  { "first_call": { "COMPLETED": 1 } } }       per node id or label: wins over agents
// A fixed sequence gives the outcome of a lead's 1st, 2nd, ... visit of the node (the last repeats).
// Weights draw from a hash of (seed, lead id, node id, visit): the same ids draw the same outcomes (a
// restarted emulator goes on as before), but ids are made up at random, so a fresh database draws
// differently; a fixed path needs sequences. A node named
// under `nodes` is scripted whatever its type (a CONDITIONAL or APPLICATION too); other CONDITIONAL and
// APPLICATION nodes follow the interpreter.
import { readFileSync } from 'node:fs';
import type { Outcomes } from './scheduler';

export type Rule = string[] | Record<string, number>;

export interface OutcomesSpec {
  seed: number;
  default: Record<string, number>;
  agents: Record<string, Rule>;
  nodes: Record<string, Rule>;
}

export const DEFAULT_MIX: Record<string, number> = {
  COMPLETED: 0.45,
  DNP: 0.3,
  NO_ANSWER: 0.1,
  FAILED: 0.1,
  BUSY: 0.05,
};

export class OutcomesError extends Error {}

const MAX_FILE_BYTES = 1024 * 1024;

export function readOutcomesFile(file: string): OutcomesSpec {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    throw new OutcomesError(`cannot read --outcomes ${file}: ${(e as NodeJS.ErrnoException).code ?? 'error'}`);
  }
  if (text.length > MAX_FILE_BYTES) throw new OutcomesError(`--outcomes ${file} is larger than 1 MB`);
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (e) {
    throw new OutcomesError(`--outcomes ${file} is not valid JSON: ${(e as Error).message}`);
  }
  return parseOutcomes(data, `--outcomes ${file}`);
}

const isObj = (v: unknown): v is Record<string, unknown> => !!v && typeof v === 'object' && !Array.isArray(v);

export function parseOutcomes(data: unknown, where = 'outcomes'): OutcomesSpec {
  if (!isObj(data)) throw new OutcomesError(`${where}: must be a JSON object`);
  for (const k of Object.keys(data))
    if (!['seed', 'default', 'agents', 'nodes'].includes(k))
      throw new OutcomesError(`${where}: unknown key "${k}" (seed, default, agents, nodes)`);
  const seed = data.seed === undefined ? 1 : data.seed;
  if (typeof seed !== 'number' || !Number.isInteger(seed)) throw new OutcomesError(`${where}: seed must be an integer`);
  const weights = (v: unknown, at: string): Record<string, number> => {
    if (!isObj(v)) throw new OutcomesError(`${at}: must be an object of outcome weights`);
    const out: Record<string, number> = Object.create(null);
    let total = 0;
    for (const [k, w] of Object.entries(v)) {
      if (typeof w !== 'number' || !(w >= 0) || !Number.isFinite(w))
        throw new OutcomesError(`${at}.${k}: a weight must be a number ≥ 0`);
      out[k] = w;
      total += w;
    }
    if (!(total > 0)) throw new OutcomesError(`${at}: the weights add up to 0`);
    return out;
  };
  const rules = (v: unknown, at: string): Record<string, Rule> => {
    if (v === undefined) return Object.create(null);
    if (!isObj(v)) throw new OutcomesError(`${at}: must be an object`);
    const out: Record<string, Rule> = Object.create(null);
    for (const [k, r] of Object.entries(v)) {
      if (Array.isArray(r)) {
        if (r.length === 0 || !r.every((x) => typeof x === 'string' && x.length > 0))
          throw new OutcomesError(`${at}.${k}: a sequence must be a non-empty list of outcome labels`);
        out[k] = r as string[];
      } else out[k] = weights(r, `${at}.${k}`);
    }
    return out;
  };
  return {
    seed,
    default: data.default === undefined ? DEFAULT_MIX : weights(data.default, `${where}.default`),
    agents: rules(data.agents, `${where}.agents`),
    nodes: rules(data.nodes, `${where}.nodes`),
  };
}

/** FNV-1a over the text, then a 32-bit mix: a number in [0, 1). */
function unit(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  return (h >>> 0) / 2 ** 32;
}

function apply(rule: Rule, seed: number, leadId: string, nodeId: string, visit: number): string {
  if (Array.isArray(rule)) return rule[Math.min(visit, rule.length - 1)];
  const entries = Object.entries(rule);
  const total = entries.reduce((s, [, w]) => s + w, 0);
  let x = unit(`${seed}|${leadId}|${nodeId}|${visit}`) * total;
  for (const [k, w] of entries) {
    if (x < w) return k;
    x -= w;
  }
  return entries[entries.length - 1][0];
}

export function outcomesFrom(spec: OutcomesSpec): Outcomes {
  return (r) => {
    const byNode = Object.hasOwn(spec.nodes, r.nodeId)
      ? spec.nodes[r.nodeId]
      : r.label && Object.hasOwn(spec.nodes, r.label)
        ? spec.nodes[r.label]
        : undefined;
    if (byNode) return apply(byNode, spec.seed, r.leadId, r.nodeId, r.visit);
    if (r.type !== 'VOICE_CALL') return undefined;
    const byAgent = r.agentId && Object.hasOwn(spec.agents, r.agentId) ? spec.agents[r.agentId] : undefined;
    return apply(byAgent ?? spec.default, spec.seed, r.leadId, r.nodeId, r.visit);
  };
}
