// Precision and recall of core on the QA corpus: `node --import tsx test/core/qa-corpus-score.ts`.
// Prints every diagnostic a file does not deserve (FP) and every deserved one missing (FN), then the totals.
import { compare, corpusFiles, readExpect, runFile } from './qa-corpus';

let tp = 0,
  fp = 0,
  fn = 0;
const files = corpusFiles();
for (const f of files) {
  const c = compare(runFile(f), readExpect(f).diagnostics);
  tp += c.truePositives;
  fp += c.falsePositives.length;
  fn += c.falseNegatives.length;
  for (const d of c.falsePositives)
    console.log(`FP ${f}: ${d.code} ${d.severity} line ${d.range.start.line + 1}: ${d.message}`);
  for (const e of c.falseNegatives) console.log(`FN ${f}: ${e.code} ${e.severity} line ${e.line}`);
}
const ratio = (a: number, b: number) => (b === 0 ? 1 : a / b).toFixed(3);
console.log(
  `files=${files.length} deserved-and-reported=${tp} not-deserved=${fp} missed=${fn} precision=${ratio(tp, tp + fp)} recall=${ratio(tp, tp + fn)}`,
);
