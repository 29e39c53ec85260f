// Parse linearity (issue 9 item 6): `validate` of a valid generated file next to a bare
// yaml.parseDocument of the same text (with and without the library's own quadratic duplicate-key
// check), and a file of many aliases. Prints a markdown table; wall-clock milliseconds.
import { parseDocument } from 'yaml';
import { validate } from '../../core/validate';
import { generateWorkflow } from '../support/generate';

const time = (f: () => unknown): number => {
  const t = performance.now();
  f();
  return performance.now() - t;
};

function aliasFile(n: number): string {
  const out = ['version: 1', 'title: aliases', 'x-defs: { cfg: &cfg { delay_hours: 1 } }', 'nodes:'];
  for (let i = 0; i < n; i++) out.push(`  n${i}: { type: TIME, config: *cfg, next: [{ to: n${i + 1} }] }`);
  out.push(`  n${n}: { type: CONVERTED }`, '');
  return out.join('\n');
}

console.log(
  '| input | bare parseDocument ms | bare, uniqueKeys off ms | callflow validate ms | validate / bare (keys off) |',
);
console.log('|---|---|---|---|---|');
for (const n of [10_000, 50_000]) {
  const text = generateWorkflow(n);
  const bare = time(() => parseDocument(text));
  const off = time(() => parseDocument(text, { uniqueKeys: false }));
  const ours = time(() => validate(text));
  console.log(
    `| ${n} nodes | ${bare.toFixed(0)} | ${off.toFixed(0)} | ${ours.toFixed(0)} | ${(ours / off).toFixed(1)} |`,
  );
}
const al = aliasFile(2000);
const ob = time(() => parseDocument(al, { uniqueKeys: false }));
const oa = time(() => validate(al));
console.log(`| 2,000 aliases | – | ${ob.toFixed(0)} | ${oa.toFixed(0)} | ${(oa / ob).toFixed(1)} |`);
