// The "Callflow" output channel. Every line passes through platform/redact, so a key that reached a
// message (an echoed header, an error body) is masked before it is shown.
import * as vscode from 'vscode';
import { redact } from '../platform/redact';

let channel: vscode.LogOutputChannel | undefined;
/** Every line written this session, for the in-editor tests' "the key never appears" check. */
const written: string[] = [];

export function outputChannel(): vscode.LogOutputChannel {
  channel ??= vscode.window.createOutputChannel('Callflow', { log: true });
  return channel;
}

export function log(message: string): void {
  const line = redact(message);
  written.push(line);
  outputChannel().info(line);
}

export function logLines(): readonly string[] {
  return written;
}

export function disposeLog(): void {
  channel?.dispose();
  channel = undefined;
}
