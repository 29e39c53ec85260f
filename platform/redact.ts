// The one redaction path: keeps API keys and URL credentials out of every message, log line and
// file. Registered keys are replaced first, whole, whatever they contain (spaces, quotes); then
// any `Bearer <token>` left is masked even when the key was never registered; then the user and
// password of any URL (`https://user:pw@host` → `https://***@host`). A key shorter than 6
// characters is replaced only where it stands alone (not inside longer words), so masking it
// does not garble ordinary text.
const secrets = new Set<string>();
let ordered: string[] = [];

export function registerSecret(key: string | undefined): void {
  if (!key || secrets.has(key)) return;
  secrets.add(key);
  // Longest first, so a key that contains another is replaced whole.
  ordered = [...secrets].sort((a, b) => b.length - a.length);
}

const escapeRe = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

export function redact(text: string): string {
  let out = text;
  for (const s of ordered) {
    if (!out.includes(s)) continue;
    out =
      s.length >= 6
        ? out.split(s).join('***')
        : out.replace(new RegExp(`(?<![A-Za-z0-9_\\-])${escapeRe(s)}(?![A-Za-z0-9_\\-])`, 'g'), '***');
  }
  out = out.replace(/\b(Bearer)\s+(?!\*\*\*)[^\s"',;)]+/gi, '$1 ***');
  out = out.replace(/\b([a-z][a-z0-9+.-]*:\/\/)[^\s/?#@"'<>]*@/gi, '$1***@');
  return out;
}
