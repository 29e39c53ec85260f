// Test-only hooks (initializationOptions.testHooks): server state made observable, so a test of a
// race (a request and its $/cancelRequest) waits for the state it needs instead of a lucky timing.
// With hooks off every method is a no-op and costs nothing.
import type { CancellationToken, Connection } from 'vscode-languageserver/node';
import { TestHold, TestParked } from '../protocol';
import { onRequest, sendNotification } from './messages';

export class TestHooks {
  private readonly held = new Set<string>();

  constructor(
    private readonly connection: Connection,
    readonly enabled: boolean,
  ) {
    if (enabled)
      onRequest(connection, TestHold.type, (p) => {
        this.held.add(p.uri);
        return null;
      });
  }

  /**
   * When a hold was placed for `uri`: tells the client the request is parked here, then waits until
   * the client cancels it (the hold is used up). Otherwise returns at once.
   */
  async park(method: string, uri: string, token: CancellationToken): Promise<void> {
    if (!this.enabled || !this.held.delete(uri)) return;
    if (token.isCancellationRequested) return;
    await new Promise<void>((resolve) => {
      const sub = token.onCancellationRequested(() => {
        sub.dispose();
        resolve();
      });
      void sendNotification(this.connection, TestParked.type, { uri, method });
    });
  }
}
