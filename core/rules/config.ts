// WF121 (from_phone_number in E.164 form) and WF122 (a TIME node's wait is one well-formed kind).
import type { Diagnostic } from '../diagnostic';
import { deletePair, innerSpan, insertPairs, replaceSpan } from '../fixes';
import type { RuleContext } from './context';
import { E164 } from './preactivation';
import { configMap, keySpanOf, nodePair, valueSpanOf } from '../yaml-access';
import { fix, report, src } from './report';
import { hasNearMissKey, duplicatedNodeKeys, configMisplaced } from './skip';
import { knownType } from '../vocabulary';
import { duplicateDeps, eachNode, NodeCheck } from './memo';

/** A number written with separators or a 00 prefix, in E.164; undefined when no safe reading exists. */
export function normaliseE164(raw: string): string | undefined {
  let s = raw.trim().replace(/[\s\-()./]/g, '');
  if (s.startsWith('00')) s = `+${s.slice(2)}`;
  else if (/^[1-9]/.test(s) && s.length >= 10) s = `+${s}`;
  return E164.test(s) && s !== raw ? s : undefined;
}

function wf121(ctx: RuleContext, out: Diagnostic[]): void {
  const dups = duplicatedNodeKeys(ctx);
  eachNode(ctx.model.nodes, NodeCheck.Wf121, out, duplicateDeps(dups), (n) => {
    if (dups.has(n.key)) return;
    if (knownType(n) !== 'VOICE_CALL') return;
    const cfg = configMap(ctx.doc, n);
    const v = n.config?.value.from_phone_number;
    if (!cfg || typeof v !== 'string' || v.trim() === '' || E164.test(v)) return;
    const vs = valueSpanOf(
      cfg.items.find((p) => (p.key as { value?: unknown } | null)?.value === 'from_phone_number') as never,
    );
    if (!vs) return;
    const span = innerSpan(ctx.text, vs);
    const fixed = normaliseE164(v);
    out.push(
      report(
        ctx,
        'WF121',
        `from_phone_number "${v}" is not in E.164 form: "+", the country code and number, 8 to 15 digits, no spaces (e.g. "+912234567890")`,
        span,
        {
          fixes: fixed ? [fix(`Change to "${fixed}"`, [replaceSpan(src(ctx), vs, JSON.stringify(fixed))], true)] : [],
          data: { node: n.key, value: v, suggestion: fixed },
        },
      ),
    );
  });
}

function wf122(ctx: RuleContext, out: Diagnostic[]): void {
  const dups = duplicatedNodeKeys(ctx);
  const s = src(ctx);
  eachNode(ctx.model.nodes, NodeCheck.Wf122, out, duplicateDeps(dups), (n) => {
    if (dups.has(n.key)) return;
    if (knownType(n) !== 'TIME') return;
    const cfgPair = nodePair(n, 'config');
    const cfg = configMap(ctx.doc, n);
    if (cfgPair && !cfg) return; // not a mapping: WF002
    if (!cfgPair && configMisplaced(n)) return;
    if (['delay_hours', 'time_source', 'pca_field'].some((k) => hasNearMissKey(cfg, k))) return;
    const c = n.config?.value ?? {};
    const d = c.delay_hours,
      ts = c.time_source,
      pf = c.pca_field;
    // Wrong types and enum values are WF002's; this rule judges only well-typed values.
    if (
      (d !== undefined && typeof d !== 'number') ||
      (ts !== undefined && ts !== 'postcall_analysis') ||
      (pf !== undefined && typeof pf !== 'string')
    )
      return;
    const pair = (k: string) => cfg?.items.find((p) => (p.key as { value?: unknown } | null)?.value === k) as never;
    const hasDelay = d !== undefined,
      hasPca = ts !== undefined || pf !== undefined;
    const data = { node: n.key };
    if (hasDelay && hasPca) {
      out.push(
        report(
          ctx,
          'WF122',
          `TIME node "${n.key}" has both delay_hours and a post-call-analysis time; keep one: a fixed wait, or a wait until the time the call's analysis gives`,
          keySpanOf(pair('delay_hours'))!,
          {
            fixes: [fix('Remove delay_hours', [cfg ? deletePair(s, cfg, 'delay_hours') : undefined])],
            data,
          },
        ),
      );
    } else if (hasDelay) {
      if (typeof d === 'number' && Number.isFinite(d) && d > 0) return;
      out.push(
        report(
          ctx,
          'WF122',
          `delay_hours must be a positive number of hours (it is ${d}); fractions such as 0.5 are allowed`,
          valueSpanOf(pair('delay_hours')) ?? keySpanOf(pair('delay_hours'))!,
          { data },
        ),
      );
    } else if (hasPca) {
      if (ts === undefined) {
        out.push(
          report(
            ctx,
            'WF122',
            `pca_field needs time_source: postcall_analysis beside it in TIME node "${n.key}"`,
            keySpanOf(pair('pca_field'))!,
            {
              fixes: [
                fix(
                  'Add time_source: postcall_analysis',
                  [
                    cfg
                      ? insertPairs(s, cfg, [{ key: 'time_source', flow: 'postcall_analysis' }], ['pca_field'])
                      : undefined,
                  ],
                  true,
                ),
              ],
              data,
            },
          ),
        );
      } else if (typeof pf !== 'string' || pf.trim() === '') {
        const at =
          pf === undefined
            ? (valueSpanOf(pair('time_source')) ?? keySpanOf(pair('time_source'))!)
            : innerSpan(ctx.text, valueSpanOf(pair('pca_field')) ?? keySpanOf(pair('pca_field'))!);
        out.push(
          report(
            ctx,
            'WF122',
            `time_source: postcall_analysis needs a pca_field in TIME node "${n.key}": the post-call-analysis field holding the date and time to wait for`,
            at,
            { data },
          ),
        );
      }
    } else {
      out.push(
        report(
          ctx,
          'WF122',
          `TIME node "${n.key}" has no wait: set config.delay_hours to a positive number of hours, or time_source: postcall_analysis with a pca_field`,
          cfgPair ? keySpanOf(cfgPair)! : n.keySpan,
          { data },
        ),
      );
    }
  });
}

export function configRules(ctx: RuleContext): Diagnostic[] {
  const out: Diagnostic[] = [];
  wf121(ctx, out);
  wf122(ctx, out);
  return out;
}
