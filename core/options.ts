// What a caller may tell the rules beyond the text. Core does no I/O: whoever can read files or
// call the API gathers these facts and passes them in.
import type { Severity } from './diagnostic';

/**
 * Why a leads file was not read (platform/workspace-files.ts decides; WF125 words it, so the CLI and
 * the editor say the same thing).
 */
export type LeadsProblem =
  | 'not-found'
  | 'absolute'
  | 'outside-root'
  | 'folder'
  | 'not-regular'
  | 'permission-denied'
  | 'not-text'
  | 'header-too-long'
  | 'unreadable';

export interface LeadsInfo {
  /** The path as written in the file. */
  path: string;
  /** The CSV header's columns when the file could be read. */
  columns?: string[];
  /** Why the file could not be used. */
  problem?: LeadsProblem;
}

export interface AgentInfo {
  id: string;
  name?: string;
  /** False when the agent has no published version. */
  published: boolean;
  /** Text of the prompt and welcome message (templates in them are checked by WF203). */
  prompt?: string;
  welcomeMessage?: string;
  defaultVariables: string[];
}

export interface OnlineData {
  agents: Map<string, AgentInfo>;
  /** E.164 number → status (`active`, `pending`, `unavailable`). */
  phoneNumbers: Map<string, string>;
  /** Variable keys of the remote workflow's uploaded leads. */
  remoteVariableKeys?: string[];
  /** Set when the remote changed since the last push from this file (WF204). */
  drift?: { message: string };
}

export interface ValidateOptions {
  /** The workspace's concurrency limit (from config or the API); WF105 runs only when set. */
  workspaceLimit?: number;
  leads?: LeadsInfo;
  online?: OnlineData;
  /** Per-code severity override, or 'off' to silence a rule. */
  severityOverrides?: Record<string, Severity | 'off'>;
  /** Run only these codes (e.g. the emulator's pre-activation subset). */
  only?: ReadonlySet<string>;
}

export const BUILTIN_VARIABLES: readonly string[] = ['caller_number', 'call_id', 'agent_id', 'agent_name'];
