// GitHub Actions workflow commands: each diagnostic becomes an annotation on the pull request.
// https://docs.github.com/actions/reference/workflow-commands-for-github-actions
import { escapeControls } from '../../core/strings';
import type { FileReport } from './types';

const LEVEL = { error: 'error', warning: 'warning', info: 'notice' } as const;

/**
 * Message text: %, CR and LF must be escaped (GitHub's rules), so nothing in a message can end the
 * command and start another (`::add-mask::`, `::stop-commands::`). Other control characters (ESC)
 * are shown as escapes too, so the log cannot be repainted.
 */
export function escapeData(s: string): string {
  return escapeControls(s.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A'));
}

/** Property values also lose their meaning with : and , in them. */
export function escapeProperty(s: string): string {
  return escapeData(s).replace(/:/g, '%3A').replace(/,/g, '%2C');
}

export function formatGithub(reports: readonly FileReport[]): string {
  const out: string[] = [];
  for (const r of reports)
    for (const d of r.diagnostics) {
      const s = d.range.start,
        e = d.range.end;
      const props = [
        `file=${escapeProperty(r.file)}`,
        `line=${s.line + 1}`,
        `col=${s.character + 1}`,
        `endLine=${e.line + 1}`,
        `endColumn=${e.character + 1}`,
        `title=${escapeProperty(d.code)}`,
      ];
      out.push(`::${LEVEL[d.severity]} ${props.join(',')}::${escapeData(`${d.code} ${d.message}`)}`);
    }
  return out.length ? out.join('\n') + '\n' : '';
}
