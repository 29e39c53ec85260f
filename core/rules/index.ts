// Every rule family, in the order their diagnostics are produced. A family never sees a document
// the YAML parser could not read (WF001): its partial tree would yield errors the file does not have.
import type { Diagnostic } from '../diagnostic';
import { reportCrash } from '../crash';
import type { Rule, RuleContext } from './context';
import { configRules } from './config';
import { edgeRules } from './edges';
import { onlineRules } from './online';
import { outcomeRules } from './outcomes';
import { preactivationRules } from './preactivation';
import { reachabilityRules } from './reachability';
import { referenceRules } from './references';
import { variableRules } from './variables';

function syntaxBroken(ctx: RuleContext): boolean {
  return ctx.doc.errors.some((e) => e.code !== 'DUPLICATE_KEY');
}

/** A family run so that a throw becomes a crash report (core/crash.ts) and no diagnostics. */
export function guarded(name: string, rule: Rule): Rule {
  return (ctx: RuleContext): Diagnostic[] => {
    if (syntaxBroken(ctx)) return [];
    try {
      return rule(ctx);
    } catch (error) {
      // A throwing family never takes validation down; the crash goes to the injected sink.
      reportCrash(`rule family "${name}"`, error);
      return [];
    }
  };
}

export const FAMILIES: Record<string, Rule> = {
  preactivation: preactivationRules, // WF101 WF102 WF103 WF105
  references: referenceRules, // WF110 WF117
  edges: edgeRules, // WF111 WF112 WF113 WF115 WF118
  outcomes: outcomeRules, // WF114
  reachability: reachabilityRules, // WF116 WF119 WF120
  config: configRules, // WF121 WF122
  variables: variableRules, // WF104 WF123 WF124 WF125
  online: onlineRules, // WF201 WF202 WF203 WF204
};

export const RULES: Rule[] = Object.entries(FAMILIES).map(([name, rule]) => guarded(name, rule));
