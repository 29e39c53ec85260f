// What the server announces in its initialize result. Kept light (no engine module): it is answered
// before the engine loads (server/start-gate.ts).
import {
  CodeActionKind,
  TextDocumentSyncKind,
  type InitializeParams,
  type InitializeResult,
  type ServerCapabilities,
} from 'vscode-languageserver/node';
import { SEMANTIC_TOKEN_MODIFIERS, SEMANTIC_TOKEN_TYPES } from '../core/semantic-legend';
import { FIX_ALL_KIND } from '../protocol';

export function serverCapabilities(pull: boolean): ServerCapabilities {
  return {
    textDocumentSync: { openClose: true, change: TextDocumentSyncKind.Incremental, save: { includeText: false } },
    ...(pull
      ? { diagnosticProvider: { identifier: 'callflow', interFileDependencies: false, workspaceDiagnostics: true } }
      : {}),
    completionProvider: { triggerCharacters: ['{', ':', ' ', '"'], resolveProvider: false },
    hoverProvider: true,
    definitionProvider: true,
    referencesProvider: true,
    documentHighlightProvider: true,
    renameProvider: { prepareProvider: true },
    documentSymbolProvider: { label: 'Callflow' },
    foldingRangeProvider: true,
    selectionRangeProvider: true,
    semanticTokensProvider: {
      legend: { tokenTypes: [...SEMANTIC_TOKEN_TYPES], tokenModifiers: [...SEMANTIC_TOKEN_MODIFIERS] },
      full: true,
      range: false,
    },
    documentLinkProvider: { resolveProvider: false },
    codeActionProvider: { codeActionKinds: [CodeActionKind.QuickFix, FIX_ALL_KIND], resolveProvider: false },
    documentFormattingProvider: true,
    documentRangeFormattingProvider: true,
    workspace: { workspaceFolders: { supported: true, changeNotifications: true } },
  };
}

export const SERVER_VERSION = '0.1.0';

/** The answer to `initialize` (both entries): pull diagnostics when the client supports them. */
export function initializeResult(p: InitializeParams): InitializeResult {
  return {
    capabilities: serverCapabilities(!!p.capabilities.textDocument?.diagnostic),
    serverInfo: { name: 'callflow-language-server', version: SERVER_VERSION },
  };
}
