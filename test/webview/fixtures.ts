// The graphs the preview must draw well: every example (the broken showcase too), the walkthrough's
// skeleton (the "New workflow" snippet with its defaults filled in) and generated workflows of 50
// and 200 nodes. Shared by the pure label-geometry test and the screenshots in Chromium.
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { generateWorkflow } from '../support/generate';

const root = path.resolve(import.meta.dirname, '../..');

export interface PreviewFixture {
  name: string;
  text: string;
  /** A real file (the examples and the skeleton), shown in screenshots. */
  example: boolean;
}

/** The walkthrough's skeleton: the snippet whose prefix includes `workflow`, placeholders replaced by their defaults. */
export function skeletonText(): string {
  const snippets = JSON.parse(
    readFileSync(path.join(root, 'snippets/callflow-workflow.code-snippets'), 'utf8'),
  ) as Record<string, { prefix: string | string[]; body: string[] }>;
  const s = Object.values(snippets).find((x) => [x.prefix].flat().includes('workflow'));
  if (!s) throw new Error('no snippet with the prefix "workflow"');
  return s.body
    .join('\n')
    .replace(/\$\{\d+:([^}]*)\}/g, '$1')
    .replace(/\$\d+/g, '');
}

export function previewFixtures(): PreviewFixture[] {
  const ex = path.join(root, 'examples');
  const files = [
    ...readdirSync(ex)
      .filter((f) => f.endsWith('.workflow.yaml'))
      .map((f) => path.join(ex, f)),
    ...readdirSync(path.join(ex, 'broken'))
      .filter((f) => f.endsWith('.workflow.yaml'))
      .map((f) => path.join(ex, 'broken', f)),
  ].sort();
  return [
    ...files.map((f) => ({ name: path.basename(f, '.workflow.yaml'), text: readFileSync(f, 'utf8'), example: true })),
    { name: 'walkthrough-skeleton', text: skeletonText(), example: true },
    { name: 'generated-50', text: generateWorkflow(50), example: false },
    { name: 'generated-200', text: generateWorkflow(200), example: false },
  ];
}
