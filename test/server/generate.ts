// Generated workflow files of any size, valid and realistic (every node type, templates, labels),
// shared by the language-server tests and the benchmark.

const TYPES = ['VOICE_CALL', 'TIME', 'CONDITIONAL', 'APPLICATION'] as const;

/** A workflow of `n` nodes (n ≥ 3): a chain of steps ending in converted/dropped terminals. */
export function generateWorkflow(n: number): string {
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
