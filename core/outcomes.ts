// Which outcome labels each node type emits, and so which edge labels can ever fire out of it.
// Shared by the rules (WF113, WF114, WF115), the language server's completion and hover, and the preview.
import { closestName } from './typo';
import { TERMINAL_TYPES } from './vocabulary';

/** The outcomes a VOICE_CALL is checked for (WF114): every call ends in one of these. */
export const VOICE_CALL_OUTCOMES = ['COMPLETED', 'FAILED', 'DNP'] as const;
/** Labels the API pages also name for calls; valid on an edge (no WF115), never required. */
export const VOICE_CALL_EXTRA_LABELS = ['NO_ANSWER', 'BUSY', 'VOICEMAIL'] as const;
export const APPLICATION_OUTCOMES = ['success', 'failure'] as const;
export const CONDITION_OUTCOMES = ['true', 'false'] as const;

export interface OutcomeSpec {
  /** Outcomes the node can emit, each needing a matching edge (WF114). */
  readonly outcomes: readonly string[];
  /** Every label an edge out of this node may carry (outcomes plus accepted extras). */
  readonly labels: readonly string[];
  /** TIME: a single unlabelled edge; any label is WF115. */
  unlabelledOnly: boolean;
  /** CONDITIONAL: every edge needs a label (WF113). */
  labelRequired: boolean;
  terminal: boolean;
}

/** Human text for each label, for hover and completion details. */
export const OUTCOME_DESCRIPTIONS: Readonly<Record<string, string>> = {
  COMPLETED: 'the call connected and ended normally',
  FAILED: 'the call could not be placed or failed',
  DNP: 'did not pick up',
  NO_ANSWER: 'nobody answered (API label; most platforms report it as DNP)',
  BUSY: 'the line was busy (API label)',
  VOICEMAIL: 'the call reached voicemail (API label)',
  success: 'the integration action succeeded',
  failure: 'the integration action failed or a required field was missing',
  true: 'the conditions hold',
  false: 'the conditions do not hold',
};

const base = { unlabelledOnly: false, labelRequired: false, terminal: false };
// Shared, frozen: rules ask for a node's spec many times per validation.
const VOICE_CALL_SPEC: OutcomeSpec = Object.freeze({
  ...base,
  outcomes: [...VOICE_CALL_OUTCOMES],
  labels: [...VOICE_CALL_OUTCOMES, ...VOICE_CALL_EXTRA_LABELS],
});
const APPLICATION_SPEC: OutcomeSpec = Object.freeze({
  ...base,
  outcomes: [...APPLICATION_OUTCOMES],
  labels: [...APPLICATION_OUTCOMES],
});
const TIME_SPEC: OutcomeSpec = Object.freeze({ ...base, outcomes: [], labels: [], unlabelledOnly: true });
const CONDITION_SPEC: OutcomeSpec = Object.freeze({
  ...base,
  outcomes: [...CONDITION_OUTCOMES],
  labels: [...CONDITION_OUTCOMES],
  labelRequired: true,
});
const TERMINAL_SPEC: OutcomeSpec = Object.freeze({ ...base, outcomes: [], labels: [], terminal: true });

function branchLabels(v: unknown): string[] | undefined {
  if (!Array.isArray(v)) return undefined;
  const out: string[] = [];
  for (const b of v) {
    if (typeof b === 'string' || typeof b === 'number' || typeof b === 'boolean') {
      const s = String(b);
      if (!out.includes(s)) out.push(s);
    }
  }
  return out;
}

/**
 * What a node of this type (with this config) emits; undefined when it cannot be known: an unknown
 * or missing type (WF002 reports it), or a CONDITIONAL whose config shows neither form.
 */
export function outcomesOf(type: string | undefined, config?: Record<string, unknown>): OutcomeSpec | undefined {
  switch (type) {
    case 'VOICE_CALL':
      return VOICE_CALL_SPEC;
    case 'APPLICATION':
      return APPLICATION_SPEC;
    case 'TIME':
      return TIME_SPEC;
    case 'CONDITIONAL': {
      const branches = config ? branchLabels(config.branches) : undefined;
      if (config && config.branches !== undefined) {
        if (!branches || branches.length === 0) return undefined;
        return { ...base, outcomes: branches, labels: branches, labelRequired: true };
      }
      if (config && config.conditions !== undefined) return CONDITION_SPEC;
      return undefined;
    }
    default:
      return type !== undefined && TERMINAL_TYPES.has(type) ? TERMINAL_SPEC : undefined;
  }
}

/** Edge labels worth offering in completion for a node type, with or without its config. */
export function labelsFor(type: string | undefined, config?: Record<string, unknown>): readonly string[] {
  const spec = outcomesOf(type, config);
  if (spec) return spec.labels;
  return type === 'CONDITIONAL' ? [...CONDITION_OUTCOMES] : [];
}

/** The label a misspelled one was meant to be (case-insensitive, swaps count once), if one is close. */
export function closestLabel(label: string, labels: readonly string[]): string | undefined {
  return closestName(label, labels);
}
