// Settings as the server uses them: read from the client (workspace/configuration when it
// supports it, else initializationOptions.settings), each value checked, defaults filled in.
import { DEFAULT_SETTINGS, type CallflowSettings } from '../protocol';

const SEVERITIES = new Set(['error', 'warning', 'info', 'off']);

export function normalizeSettings(raw: unknown): CallflowSettings {
  const r = (raw && typeof raw === 'object' ? raw : {}) as Record<string, any>;
  const v = r.validate ?? {};
  const run = v.run === 'onSave' ? 'onSave' : 'onType';
  const debounceMs =
    typeof v.debounceMs === 'number' && v.debounceMs >= 0 && v.debounceMs <= 10_000
      ? v.debounceMs
      : typeof v.debounce === 'number' && v.debounce >= 0
        ? v.debounce
        : DEFAULT_SETTINGS.validate.debounceMs;
  const severity: CallflowSettings['rules']['severity'] = {};
  const sev = r.rules?.severity;
  if (sev && typeof sev === 'object')
    for (const [code, s] of Object.entries(sev))
      if (/^WF\d{3}$/.test(code) && typeof s === 'string' && SEVERITIES.has(s)) severity[code] = s as 'error';
  const o = r.online ?? {};
  return {
    validate: { run, debounceMs },
    rules: { severity },
    workspaceLimit: typeof r.workspaceLimit === 'number' && r.workspaceLimit >= 1 ? r.workspaceLimit : undefined,
    online: {
      // Off unless the client says so (docs/language-server.md): a missing value never turns the network on.
      enabled: o.enabled === true,
      target: typeof o.target === 'string' && o.target ? o.target : undefined,
      refreshMinutes:
        typeof o.refreshMinutes === 'number' && o.refreshMinutes > 0
          ? o.refreshMinutes
          : DEFAULT_SETTINGS.online.refreshMinutes,
    },
    index: {
      maxFiles:
        typeof r.index?.maxFiles === 'number' && r.index.maxFiles >= 0
          ? r.index.maxFiles
          : DEFAULT_SETTINGS.index.maxFiles,
    },
  };
}
