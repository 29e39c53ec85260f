// The rule catalogue: the one place each diagnostic code's facts are written down (spec rules.md).
// The severity table, hover summaries, which codes can be suppressed, the tests' list of codes and
// the tables of docs/rules/README.md all derive from it (test/core/rule-catalogue.test.ts checks
// the docs, the spec and the families against it). Adding a rule to an existing family: an entry
// here, the check in the family's file, docs/rules/<code>.md, and fixtures under
// test/fixtures/rules/<code>/.
import type { Severity } from '../diagnostic';

/** The table of spec rules.md (and docs/rules/README.md) a code is listed under. */
export type RuleSection = 'syntax' | 'preactivation' | 'graph' | 'online';

/**
 * What produces the code: the YAML parse (core/parse.ts), the schema check (core/schema-check.ts),
 * or a rule family (core/rules/<family>.ts, registered in core/rules/index.ts).
 */
export type RuleFamily =
  | 'parse'
  | 'schema'
  | 'preactivation'
  | 'references'
  | 'edges'
  | 'outcomes'
  | 'reachability'
  | 'config'
  | 'variables'
  | 'online';

export interface RuleEntry {
  code: string;
  family: RuleFamily;
  section: RuleSection;
  /** The default severity (a user's `callflow.rules.severity` may override it). */
  severity: Severity;
  /** Where the severity depends on the case, how the docs say it (WF114). */
  severityNote?: string;
  /** The heading of the rule's docs page and its line in the docs index. */
  title: string;
  /** One line shown when hovering a diagnostic of this code. */
  summary: string;
  /** False for codes a `# callflow-disable` comment cannot silence (the file would not mean what it says). */
  suppressible: boolean;
  /** The rule's page under docs/rules/ (without `.md`). */
  docs: string;
}

export const SECTION_TITLES: Readonly<Record<RuleSection, string>> = {
  syntax: 'Syntax and schema',
  preactivation: "Pre-activation checks (what the platform's activate verifies)",
  graph: 'Graph',
  online: 'Online checks (only with a configured API target)',
};

type Entry = Omit<RuleEntry, 'docs' | 'suppressible'> & { suppressible?: false };

const ENTRIES: readonly Entry[] = [
  {
    code: 'WF001',
    family: 'parse',
    section: 'syntax',
    severity: 'error',
    title: 'The YAML does not parse',
    summary: 'the YAML does not parse',
    suppressible: false,
  },
  {
    code: 'WF002',
    family: 'schema',
    section: 'syntax',
    severity: 'error',
    title: 'A value breaks the workflow schema',
    summary: 'a value breaks the JSON Schema',
  },
  {
    code: 'WF003',
    family: 'parse',
    section: 'syntax',
    severity: 'error',
    title: 'A key appears twice in one mapping',
    summary: 'a key appears twice in one mapping',
  },
  {
    code: 'WF004',
    family: 'parse',
    section: 'syntax',
    severity: 'error',
    title: 'The file is not one workflow',
    summary: 'the file is not one workflow',
    suppressible: false,
  },
  {
    code: 'WF101',
    family: 'preactivation',
    section: 'preactivation',
    severity: 'error',
    title: 'A non-terminal node has no outgoing edge',
    summary: 'a non-terminal node has no outgoing edge',
  },
  {
    code: 'WF102',
    family: 'preactivation',
    section: 'preactivation',
    severity: 'error',
    title: 'A VOICE_CALL node has no agent',
    summary: 'a VOICE_CALL node has no config.agent_id',
  },
  {
    code: 'WF103',
    family: 'preactivation',
    section: 'preactivation',
    severity: 'error',
    title: 'A VOICE_CALL node has no caller number',
    summary: 'a VOICE_CALL node has no config.from_phone_number',
  },
  {
    code: 'WF104',
    family: 'variables',
    section: 'preactivation',
    severity: 'error',
    title: 'A template uses an unknown variable',
    summary: 'a template uses a variable that is not known',
  },
  {
    code: 'WF105',
    family: 'preactivation',
    section: 'preactivation',
    severity: 'error',
    title: 'Concurrency above the workspace limit',
    summary: 'settings.max_concurrent_calls exceeds the workspace limit',
  },
  {
    code: 'WF110',
    family: 'references',
    section: 'graph',
    severity: 'error',
    title: 'An edge or the entry names a node that does not exist',
    summary: 'to: or entry: names a node key that does not exist',
  },
  {
    code: 'WF111',
    family: 'edges',
    section: 'graph',
    severity: 'error',
    title: 'Two edges with the same target and label',
    summary: 'two edges from one node have the same target and label',
  },
  {
    code: 'WF112',
    family: 'edges',
    section: 'graph',
    severity: 'error',
    title: 'A terminal node has outgoing edges',
    summary: 'a terminal node has outgoing edges',
  },
  {
    code: 'WF113',
    family: 'edges',
    section: 'graph',
    severity: 'error',
    title: 'An unlabelled edge out of a CONDITIONAL',
    summary: 'an edge out of a CONDITIONAL node has no label',
  },
  {
    code: 'WF114',
    family: 'outcomes',
    section: 'graph',
    severity: 'error',
    severityNote: 'error (CONDITIONAL) / warning (VOICE_CALL, APPLICATION)',
    title: 'An outcome has no route',
    summary: 'an outcome the node can emit has no matching edge',
  },
  {
    code: 'WF115',
    family: 'edges',
    section: 'graph',
    severity: 'warning',
    title: 'An edge label the node never emits',
    summary: 'an edge label is not an outcome its node can emit',
  },
  {
    code: 'WF116',
    family: 'reachability',
    section: 'graph',
    severity: 'warning',
    title: 'A node cannot be reached',
    summary: 'a node cannot be reached from the entry node',
  },
  {
    code: 'WF117',
    family: 'references',
    section: 'graph',
    severity: 'error',
    title: 'No entry node can be determined',
    summary: 'no entry node can be determined',
  },
  {
    code: 'WF118',
    family: 'edges',
    section: 'graph',
    severity: 'warning',
    title: 'An edge that can never fire',
    summary: 'an edge can never fire (it follows a catch-all or a same-label edge)',
  },
  {
    code: 'WF119',
    family: 'reachability',
    section: 'graph',
    severity: 'warning',
    title: 'Leads that get here never finish',
    summary: 'no terminal node can be reached from this node',
  },
  {
    code: 'WF120',
    family: 'reachability',
    section: 'graph',
    severity: 'warning',
    title: 'A call loop without a wait',
    summary: 'a cycle re-dials a lead with no TIME node in between',
  },
  {
    code: 'WF121',
    family: 'config',
    section: 'graph',
    severity: 'error',
    title: 'Caller number not in E.164 form',
    summary: 'from_phone_number is not in E.164 form',
  },
  {
    code: 'WF122',
    family: 'config',
    section: 'graph',
    severity: 'error',
    title: 'A TIME node without a valid wait',
    summary: 'a TIME node has no valid delay',
  },
  {
    code: 'WF123',
    family: 'variables',
    section: 'graph',
    severity: 'error',
    title: 'phone_number used as a variable',
    summary: 'phone_number is the dial target, never a variable',
  },
  {
    code: 'WF124',
    family: 'variables',
    section: 'graph',
    severity: 'info',
    title: 'A declared variable is never used',
    summary: 'a declared variable is used by no template',
  },
  {
    code: 'WF125',
    family: 'variables',
    section: 'graph',
    severity: 'warning',
    title: 'The leads file cannot be used',
    summary: 'the leads file is missing, unreadable or has no phone_number column',
  },
  {
    code: 'WF201',
    family: 'online',
    section: 'online',
    severity: 'error',
    title: 'Unknown or unpublished agent',
    summary: 'the agent does not exist or has no published version',
  },
  {
    code: 'WF202',
    family: 'online',
    section: 'online',
    severity: 'error',
    title: 'Caller number not active in the workspace',
    summary: 'the caller-ID number is not an active number of the workspace',
  },
  {
    code: 'WF203',
    family: 'online',
    section: 'online',
    severity: 'error',
    title: "The agent's prompt uses an unknown variable",
    summary: "the agent's prompt uses an unknown variable",
  },
  {
    code: 'WF204',
    family: 'online',
    section: 'online',
    severity: 'warning',
    title: 'The remote workflow changed since the last push',
    summary: 'the remote workflow changed since the last push from this file',
  },
];

/** Every code, in catalogue order (the order of spec rules.md). */
export const CATALOGUE: readonly RuleEntry[] = ENTRIES.map((e) => ({
  ...e,
  suppressible: e.suppressible ?? true,
  docs: e.code,
}));

const BY_CODE: ReadonlyMap<string, RuleEntry> = new Map(CATALOGUE.map((e) => [e.code, e]));

/** The catalogue entry of a code, or undefined for a code no rule has. */
export function ruleInfo(code: string): RuleEntry | undefined {
  return BY_CODE.get(code);
}

/** Every code, in catalogue order. */
export const ALL_CODES: readonly string[] = CATALOGUE.map((e) => e.code);

/** The codes rule families produce (beyond syntax and schema): each has failing and passing fixtures. */
export const RULE_CODES: readonly string[] = CATALOGUE.filter((e) => e.family !== 'parse' && e.family !== 'schema').map(
  (e) => e.code,
);

/** Default severity per code. */
export const SEVERITY: Readonly<Record<string, Severity>> = Object.fromEntries(
  CATALOGUE.map((e) => [e.code, e.severity]),
);

/** Codes no suppression comment silences. */
export const UNSUPPRESSIBLE: ReadonlySet<string> = new Set(CATALOGUE.filter((e) => !e.suppressible).map((e) => e.code));

/** The codes one family produces. */
export function codesOf(family: RuleFamily): string[] {
  return CATALOGUE.filter((e) => e.family === family).map((e) => e.code);
}
