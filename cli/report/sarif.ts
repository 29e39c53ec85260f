// SARIF 2.1.0 (the format code-scanning services ingest). Regions are 1-based with UTF-16 columns
// like the LSP ranges they come from; endColumn is exclusive. URIs are the paths as given,
// `/`-separated and relative (absolute paths become file: URIs).
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { ruleDocUrl, type Severity } from '../../core/diagnostic';
import type { FileReport, ReportOptions } from './types';

const LEVEL: Record<Severity, 'error' | 'warning' | 'note'> = { error: 'error', warning: 'warning', info: 'note' };

export const SARIF_SCHEMA_URI = 'https://json.schemastore.org/sarif-2.1.0.json';

function artifactUri(file: string): string {
  if (path.isAbsolute(file)) return pathToFileURL(file).href;
  return file.split(path.sep).join('/').split('/').map(encodeURIComponent).join('/');
}

export function formatSarif(reports: readonly FileReport[], opts: Pick<ReportOptions, 'version'>): string {
  const codes = [...new Set(reports.flatMap((r) => r.diagnostics.map((d) => d.code)))].sort();
  const ruleIndex = new Map(codes.map((c, i) => [c, i]));
  const results = reports.flatMap((r) =>
    r.diagnostics.map((d) => ({
      ruleId: d.code,
      ruleIndex: ruleIndex.get(d.code)!,
      level: LEVEL[d.severity],
      message: { text: d.message },
      locations: [
        {
          physicalLocation: {
            artifactLocation: { uri: artifactUri(r.file) },
            region: {
              startLine: d.range.start.line + 1,
              startColumn: d.range.start.character + 1,
              endLine: d.range.end.line + 1,
              endColumn: d.range.end.character + 1,
            },
          },
        },
      ],
    })),
  );
  const log = {
    $schema: SARIF_SCHEMA_URI,
    version: '2.1.0',
    runs: [
      {
        tool: {
          driver: {
            name: 'callflow',
            version: opts.version,
            informationUri: 'https://github.com/callflow/callflow',
            rules: codes.map((c) => ({ id: c, name: c, helpUri: ruleDocUrl(c) })),
          },
        },
        columnKind: 'utf16CodeUnits',
        artifacts: reports.map((r) => ({ location: { uri: artifactUri(r.file) } })),
        results,
      },
    ],
  };
  return JSON.stringify(log, null, 2) + '\n';
}
