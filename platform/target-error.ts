// Bad configuration or credentials: the command cannot run (the CLI exits 2). Its own module so
// targets.ts and credentials.ts both throw it without importing each other.
export class TargetError extends Error {}
