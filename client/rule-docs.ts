// Rule pages from the package itself: the .vsix ships docs/rules/*.md, and each diagnostic's rule
// link (codeDescription) opens the packaged page in the Markdown preview through a command link,
// so it works offline and always matches the installed version. A code with no packaged page
// falls back to the web address the server gave.
import { existsSync } from 'node:fs';
import path from 'node:path';
import * as vscode from 'vscode';
import type { Middleware } from 'vscode-languageclient/node';
import { register } from './commands/run';
import { UserError } from './user-error';

const COMMAND = 'callflow.openRuleDoc';
const CODE = /^WF\d{3}$/;

/** The packaged page of a rule, or undefined when the package has none. */
export function rulePage(extensionPath: string, code: string): vscode.Uri | undefined {
  if (!CODE.test(code)) return undefined;
  const file = path.join(extensionPath, 'docs', 'rules', `${code}.md`);
  return existsSync(file) ? vscode.Uri.file(file) : undefined;
}

/** A command link that opens the rule's packaged page. */
export function ruleLink(code: string): vscode.Uri {
  return vscode.Uri.parse(`command:${COMMAND}?${encodeURIComponent(JSON.stringify([code]))}`);
}

/** Points the diagnostics' rule links at the packaged pages; a code without a packaged page keeps its link. */
export function localRuleLinks(extensionPath: string, diagnostics: vscode.Diagnostic[]): vscode.Diagnostic[] {
  for (const d of diagnostics) {
    const code = typeof d.code === 'object' ? String(d.code.value) : undefined;
    if (code && rulePage(extensionPath, code)) d.code = { value: code, target: ruleLink(code) };
  }
  return diagnostics;
}

/** Reports of several documents (a pull result, a workspace chunk): each full report's items relinked. */
function relinkReports<T extends { items: unknown[] } | null | undefined>(extensionPath: string, r: T): T {
  for (const item of r?.items ?? []) {
    const report = item as { kind?: string; items?: vscode.Diagnostic[] };
    if (report.kind === 'full' && report.items) localRuleLinks(extensionPath, report.items);
  }
  return r;
}

/**
 * The language client's middleware that relinks every diagnostic it hands to VS Code, whichever
 * way they come (pushed, pulled per document, pulled for the workspace).
 */
export function ruleDocsMiddleware(extensionPath: string): Middleware {
  return {
    handleDiagnostics: (uri, diagnostics, next) => next(uri, localRuleLinks(extensionPath, diagnostics)),
    provideDiagnostics: async (doc, previousResultId, token, next) => {
      const r = await next(doc, previousResultId, token);
      if (r && r.kind === 'full') localRuleLinks(extensionPath, r.items);
      return r;
    },
    provideWorkspaceDiagnostics: async (resultIds, token, reporter, next) =>
      relinkReports(
        extensionPath,
        await next(resultIds, token, (chunk) => reporter(relinkReports(extensionPath, chunk))),
      ),
  };
}

export function registerRuleDocs(context: vscode.ExtensionContext): void {
  register(context, COMMAND, async (codeArg) => {
    const code = String(codeArg ?? '');
    const page = rulePage(context.extensionPath, code);
    if (!page) throw new UserError(`No rule page for "${code}" in this version of the extension.`);
    await vscode.commands.executeCommand('markdown.showPreview', page);
    return { page: page.toString() };
  });
}
