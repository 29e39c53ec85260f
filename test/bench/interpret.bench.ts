// The interpreter's cost (core/interpret.ts), as the emulator and `callflow test` pay it: a whole lead
// run through the lead-nurture example, and one step with the state stored and read back as JSON
// between steps (the emulator keeps each lead's state between scheduling ticks). CPU time of this
// process, median of 7 rounds. Prints a markdown table.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { analyze } from '../../core/validate';
import { programFromModel, run, scriptedOutcomes, startLead, step, type LeadState } from '../../core/interpret';

const cpuMs = () => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
};
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

const text = readFileSync(path.join(__dirname, '../../examples/lead-nurture.workflow.yaml'), 'utf8');
const program = programFromModel(analyze(text).model!);
const lead = { customer_name: 'Asha', city: 'Pune', loan_amount: '700000' };
const outcomes = scriptedOutcomes({ first_call: ['DNP'], second_call: ['COMPLETED'] });
const N = 20_000;

function wholeRuns(): number {
  const t = cpuMs();
  for (let i = 0; i < N; i++) run(program, lead, outcomes);
  return ((cpuMs() - t) * 1000) / N;
}

function storedSteps(): { us: number; steps: number } {
  let steps = 0;
  const t = cpuMs();
  for (let i = 0; i < N; i++) {
    let s = startLead(program, lead) as LeadState;
    for (;;) {
      const r = step(program, s, outcomes);
      steps++;
      if (r.kind !== 'moved') break;
      s = JSON.parse(JSON.stringify(r.state)) as LeadState;
    }
  }
  return { us: ((cpuMs() - t) * 1000) / steps, steps: steps / N };
}

wholeRuns();
const runs: number[] = [];
const stepsUs: number[] = [];
let perLead = 0;
for (let i = 0; i < 7; i++) {
  runs.push(wholeRuns());
  const s = storedSteps();
  stepsUs.push(s.us);
  perLead = s.steps;
}
console.log('| measure | CPU µs (median of 7) |');
console.log('|---|---|');
console.log(`| one lead, whole run (${perLead} steps, a template rendered) | ${median(runs).toFixed(1)} |`);
console.log(`| one step, state through JSON between steps | ${median(stepsUs).toFixed(1)} |`);
