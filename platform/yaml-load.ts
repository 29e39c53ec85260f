// The YAML reader of the platform's own small files (the state file, callflow.config.yaml, the
// user's credentials file), loaded on first use. The CLI and the server bundle `yaml` anyway; the
// extension host reads these files only when a platform command or a status runs, so its bundle
// gets the library as a separate file (dist/yaml.js, scripts/build.mjs) that activation never
// parses. A synchronous `require` keeps the readers synchronous for every caller.
import type * as Yaml from 'yaml';

let yaml: typeof Yaml | undefined;

export function parseYaml(text: string): unknown {
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- loaded lazily, see above
  yaml ??= require('yaml') as typeof Yaml;
  return yaml.parse(text);
}
