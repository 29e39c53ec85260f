// API keys per target, in VS Code's SecretStorage (the OS keychain on desktop). Never in settings,
// files, logs or messages; registered with platform/redact as soon as they are read.
import type * as vscode from 'vscode';
import { registerSecret } from '../platform/redact';

const id = (target: string) => `callflow.apiKey.${target}`;

export class KeyStore {
  constructor(private readonly secrets: vscode.SecretStorage) {}

  async get(target: string): Promise<string | undefined> {
    const key = await this.secrets.get(id(target));
    registerSecret(key);
    return key || undefined;
  }

  async set(target: string, key: string): Promise<void> {
    registerSecret(key);
    await this.secrets.store(id(target), key);
  }

  async delete(target: string): Promise<void> {
    await this.secrets.delete(id(target));
  }

  async has(target: string): Promise<boolean> {
    return (await this.secrets.get(id(target))) !== undefined;
  }
}
