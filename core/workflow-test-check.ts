// What a workflow test file says about its workflow, checked against it: node keys in outcomes and
// expected paths (WT004), outcome labels a node can emit (WT005), rendered paths that an APPLICATION
// node's action_config holds (WT006). Each diagnostic sits on the exact key or item. Pure.
import type { Diagnostic, Range, Span } from './diagnostic';
import { makeSuggester } from './typo';
import { renderAll, type Program } from './interpret';
import { outcomesOf } from './outcomes';
import type { ParsedTestFile } from './workflow-test';

/** `node.action_config.parameters.0` and `…parameters[0]` name the same string: the second is canonical. */
export function normalizeRenderedKey(key: string): string {
  return key.replace(/\.(\d+)(?=\.|\[|$)/g, '[$1]');
}

export function checkWorkflowTest(file: ParsedTestFile, program: Program, at: (s: Span) => Range): Diagnostic[] {
  const out: Diagnostic[] = [];
  const keys = [...program.nodes.keys()];
  const suggest = makeSuggester(keys);
  const diag = (code: string, message: string, span: Span, severity: Diagnostic['severity'] = 'error') =>
    out.push({ code, severity, message, range: at(span) });
  const unknownNode = (key: string, span: Span, where: string) => {
    const meant = suggest(key);
    diag('WT004', `unknown node "${key}" in ${where}${meant ? ` (did you mean "${meant}"?)` : ''}`, span);
  };
  const renderedPaths = new Map<string, Set<string>>();
  for (const n of program.nodes.values())
    if (n.type === 'APPLICATION')
      renderedPaths.set(n.key, new Set(renderAll(n.config.action_config, {}, 'action_config').map((r) => r.path)));

  for (const c of file.model.cases) {
    for (const s of c.outcomes) {
      const node = program.nodes.get(s.node);
      if (!node) {
        unknownNode(s.node, s.keySpan, 'outcomes');
        continue;
      }
      if (node.type === 'TIME' || node.type === 'CONVERTED' || node.type === 'DROPPED') {
        diag(
          'WT005',
          `"${s.node}" is a ${node.type} node: it has no outcome to script${node.type === 'TIME' ? ' (it waits, then follows its edge)' : ' (the lead ends there)'}`,
          s.keySpan,
        );
        continue;
      }
      const spec = outcomesOf(node.type, node.config);
      const labels = [...(spec?.labels ?? []), ...node.edges.flatMap((e) => (e.on === undefined ? [] : [e.on]))];
      for (const item of s.items) {
        const label = item.value.outcome;
        if (spec && !labels.includes(label)) {
          const meant = makeSuggester(labels)(label);
          diag(
            'WT005',
            `"${label}" is not an outcome of ${node.type} node "${s.node}"; it emits ${[...new Set(labels)].join(', ')}` +
              (meant ? ` (did you mean "${meant}"?)` : ''),
            item.span,
          );
        }
        if (item.value.analysis && node.type !== 'VOICE_CALL')
          diag(
            'WT005',
            `only a call has a post-call analysis: "analysis" is ignored on ${node.type} node "${s.node}"`,
            item.span,
            'warning',
          );
      }
    }
    for (const p of c.expect?.path?.value ?? [])
      if (!program.nodes.has(p.value)) unknownNode(p.value, p.span, 'the expected path');
    for (const r of c.expect?.rendered ?? []) {
      const key = normalizeRenderedKey(r.key);
      const dot = key.indexOf('.');
      const nodeKey = dot < 0 ? key : key.slice(0, dot);
      const node = program.nodes.get(nodeKey);
      if (!node) {
        const meant = suggest(nodeKey);
        diag(
          'WT006',
          `"${r.key}" names no node: a rendered key is <node>.action_config.<field>` +
            (meant ? ` (did you mean "${meant}"?)` : ''),
          r.keySpan,
        );
        continue;
      }
      const paths = renderedPaths.get(nodeKey);
      if (!paths) {
        diag('WT006', `"${nodeKey}" is a ${node.type} node: only APPLICATION nodes render templates`, r.keySpan);
        continue;
      }
      const path = key.slice(dot + 1);
      if (!paths.has(path)) {
        const meant = makeSuggester([...paths])(path);
        diag(
          'WT006',
          `"${nodeKey}" has no text at ${path}` +
            (meant ? ` (did you mean "${nodeKey}.${meant}"?)` : paths.size ? `; it has ${[...paths].join(', ')}` : ''),
          r.keySpan,
        );
      }
    }
  }
  return out;
}
