// The one workflow generator of the tests and benchmarks: valid, realistic files of any size (every
// node type, templates, labels), in two shapes: a chain of steps, or rounds with retry loops.

const TYPES = ['VOICE_CALL', 'TIME', 'CONDITIONAL', 'APPLICATION'] as const;

export type WorkflowShape = 'chain' | 'retry-loops';

/**
 * A valid workflow of about `n` nodes. 'chain' (n ≥ 3): a chain of steps of the four kinds ending in
 * converted/dropped terminals. 'retry-loops': rounds of call → wait → application with a retry loop
 * through a TIME node in every round (what the graph rules work hardest on).
 */
export function generateWorkflow(n: number, shape: WorkflowShape = 'chain'): string {
  return shape === 'chain' ? chain(n) : retryLoops(n);
}

function chain(n: number): string {
  const out: string[] = [
    'version: 1',
    `title: Generated workflow of ${n} nodes`,
    'description: Benchmark and test input, valid by construction.',
    'variables: [customer_name, loan_amount, city]',
    'settings:',
    '  max_concurrent_calls: 10',
    'entry: step_0',
    'nodes:',
  ];
  const steps = Math.max(1, n - 2);
  for (let i = 0; i < steps; i++) {
    const key = `step_${i}`;
    const next = i + 1 < steps ? `step_${i + 1}` : 'converted';
    const type = TYPES[i % TYPES.length];
    out.push(`  ${key}:`, `    type: ${type}`, `    label: Step ${i}`);
    switch (type) {
      case 'VOICE_CALL':
        out.push(
          '    config: { agent_id: agt_abc123, from_phone_number: "+912234567890" }',
          '    next:',
          `      - { on: COMPLETED, to: ${next} }`,
          '      - to: dropped',
        );
        break;
      case 'TIME':
        out.push('    config: { delay_hours: 48 }', '    next:', `      - to: ${next}`);
        break;
      case 'CONDITIONAL':
        out.push(
          '    config:',
          '      logic: AND',
          '      conditions: [{ field: loan_amount, operator: greater_than, value: 500000 }]',
          '    next:',
          `      - { on: "true", to: ${next} }`,
          '      - { on: "false", to: dropped }',
        );
        break;
      case 'APPLICATION':
        out.push(
          '    config: { provider_key: resend, adapter_key: email, action_key: send_email,',
          '      action_config: { subject: "Lead {{customer_name}} in {{city}}" } }',
          '    next:',
          `      - { on: success, to: ${next} }`,
          '      - { on: failure, to: dropped }',
        );
        break;
    }
    out.push('');
  }
  out.push('  converted: { type: CONVERTED }', '  dropped: { type: DROPPED }', '');
  return out.join('\n');
}

/** Offset of a character inside the label of the node at about the middle of the file. */
export function middleLabelOffset(text: string, n: number): number {
  const key = `  step_${Math.floor(Math.max(1, n - 2) / 2)}:`;
  const at = text.indexOf(key);
  return text.indexOf('label: Step', at) + 'label: Step'.length;
}

/**
 * A valid workflow of about `n` nodes: rounds of call → wait → call, each round's second call
 * converting or moving on, a retry loop through a TIME node in every round, terminals at the end.
 */
function retryLoops(n: number): string {
  const rounds = Math.max(1, Math.floor((n - 2) / 3));
  const out: string[] = [
    'version: 1',
    `title: Big workflow (${n} nodes)`,
    'variables: [customer_name]',
    'entry: call_0',
    'nodes:',
  ];
  for (let r = 0; r < rounds; r++) {
    const next = r + 1 < rounds ? `call_${r + 1}` : 'dropped';
    out.push(
      `  call_${r}:`,
      '    type: VOICE_CALL',
      '    config:',
      '      agent_id: agt_abc123',
      '      from_phone_number: "+912234567890"',
      '    next:',
      '      - on: COMPLETED',
      '        to: converted',
      '      - on: DNP',
      `        to: wait_${r}`,
      `      - to: ${next}`,
      `  wait_${r}:`,
      '    type: TIME',
      '    config: { delay_hours: 24 }',
      '    next:',
      `      - to: retry_${r}`,
      `  retry_${r}:`,
      '    type: APPLICATION',
      '    config:',
      '      provider_key: resend',
      '      adapter_key: email',
      '      action_key: send_email',
      '      action_config: { subject: "Hello {{customer_name}}" }',
      '    next:',
      '      - on: success',
      `        to: ${next}`,
      '      - on: failure',
      `        to: call_${r}`,
    );
  }
  out.push('  converted: { type: CONVERTED }', '  dropped: { type: DROPPED }', '');
  return out.join('\n');
}
