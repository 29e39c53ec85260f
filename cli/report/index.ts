// The report formats `callflow validate --format` offers.
import { formatGithub } from './github';
import { formatJson } from './json';
import { formatSarif } from './sarif';
import { formatText } from './text';
import type { FileReport, ReportOptions } from './types';

export const REPORT_FORMATS = ['text', 'json', 'sarif', 'github'] as const;
export type ReportFormat = (typeof REPORT_FORMATS)[number];

export function renderReport(format: ReportFormat, reports: readonly FileReport[], opts: ReportOptions): string {
  switch (format) {
    case 'text':
      return formatText(reports, opts);
    case 'json':
      return formatJson(reports);
    case 'sarif':
      return formatSarif(reports, opts);
    case 'github':
      return formatGithub(reports);
  }
}

export { countSeverities, summaryLine, type FileReport, type ReportOptions } from './types';
