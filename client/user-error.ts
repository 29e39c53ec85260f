// An error the user can act on: its message is shown as is (one sentence), with the action that
// fixes it as a button when there is one. Commands throw it; commands/run.ts shows it.
export class UserError extends Error {
  constructor(
    message: string,
    readonly action?: { title: string; command: string; args?: unknown[] },
  ) {
    super(message);
  }
}
