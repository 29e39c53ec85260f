// Writes the extension's manifest fields (contributes, activationEvents, main, icon, ...) into
// package.json without touching any other field. Run it under the npm lock, as every package.json
// edit in this repo is: flock /tmp/callflow-npm.lock node client/manifest.mjs
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const pkgPath = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../package.json');
const pkg = JSON.parse(readFileSync(pkgPath, 'utf8'));

const LANG = 'callflow-workflow';
const fields = {
  main: './dist/extension.js',
  activationEvents: [`onLanguage:${LANG}`],
  contributes: {
    languages: [{
      id: LANG,
      aliases: ['Callflow Workflow', 'callflow'],
      extensions: ['.workflow.yaml'],
      filenamePatterns: ['*.workflow.yaml'],
    }],
  },
};

Object.assign(pkg, fields);
writeFileSync(pkgPath, JSON.stringify(pkg, null, 2) + '\n');
console.log(`manifest: wrote ${Object.keys(fields).join(', ')} into package.json`);
