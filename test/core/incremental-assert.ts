// The oracle of the incremental tests: an incremental analysis must equal a fresh full one, in
// its diagnostics (byte for byte), its data, its model and, for a spliced tree, its shape.
import assert from 'node:assert/strict';
import { isMap, isPair, isScalar, isSeq, type Document } from 'yaml';
import { analyze } from '../../core/validate';
import type { IncrementalAnalysis } from '../../core/incremental';

/**
 * Every YAML node in document order with its kind, start/value-end offsets and scalar value.
 * The third range entry (node end including trailing comments) is left out: a comment closing a
 * block belongs to the next key in context but to the block alone, and core never reads it.
 */
export function shape(doc: Document | null): unknown[] {
  const out: unknown[] = [];
  const r2 = (r: unknown) => (Array.isArray(r) ? r.slice(0, 2) : r);
  const walk = (n: unknown): void => {
    if (isPair(n)) {
      walk(n.key);
      walk(n.value);
      return;
    }
    if (n === null || n === undefined) {
      out.push(null);
      return;
    }
    if (isScalar(n)) out.push(['s', r2(n.range), n.value, n.type]);
    else if (isMap(n)) {
      out.push(['m', r2(n.range), n.flow ?? false]);
      n.items.forEach(walk);
    } else if (isSeq(n)) {
      out.push(['q', r2(n.range), n.flow ?? false]);
      n.items.forEach(walk);
    } else out.push(['?']);
  };
  if (doc) {
    out.push(r2(doc.range));
    walk(doc.contents);
  }
  return out;
}

/** The model as plain data, YAML node references left out. */
export function modelData(a: { model?: unknown }): string {
  return JSON.stringify(a.model ?? null, (k, v) => (k === 'node' ? undefined : v instanceof Map ? [...v.keys()] : v));
}

/** Deep equality through JSON first (fast on a 5,000-node file), the readable diff only on a mismatch. */
function same(actual: unknown, expected: unknown, message: string): void {
  if (JSON.stringify(actual) !== JSON.stringify(expected)) assert.deepEqual(actual, expected, message);
  // deepEqual ignores key order, which the schema check and the rules iterate in.
  assert.equal(JSON.stringify(actual), JSON.stringify(expected), message);
}

export function assertSame(inc: IncrementalAnalysis, text: string, label: string): void {
  const full = analyze(text);
  same(inc.diagnostics, full.diagnostics, `${label}: diagnostics differ (${inc.mode})`);
  same(inc.parsed.data, full.parsed.data, `${label}: data differs (${inc.mode})`);
  const [mi, mf] = [modelData(inc), modelData(full)];
  if (mi !== mf) {
    let i = 0;
    while (mi[i] === mf[i]) i++;
    assert.equal(mi.slice(i - 200, i + 200), mf.slice(i - 200, i + 200), `${label}: model differs (${inc.mode})`);
  }
  if (inc.mode === 'incremental') {
    same(shape(inc.parsed.doc), shape(full.parsed.doc), `${label}: tree differs`);
    same(inc.parsed.lines.starts, full.parsed.lines.starts, `${label}: line index differs`);
  }
}
