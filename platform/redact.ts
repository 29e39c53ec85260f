// Keeps API keys out of every message, log line and file. Keys registered here are replaced
// wherever they appear; `Bearer <anything>` is masked even when the key was never registered.
const secrets = new Set<string>();

export function registerSecret(key: string | undefined): void {
  // Very short strings would mask ordinary words; real keys are long.
  if (key && key.length >= 6) secrets.add(key);
}

export function redact(text: string): string {
  let out = text.replace(/Bearer\s+[^\s"',;)]+/gi, 'Bearer ***');
  for (const s of secrets) if (out.includes(s)) out = out.split(s).join('***');
  return out;
}
