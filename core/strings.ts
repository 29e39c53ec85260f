// String helpers for messages. Every string that comes from a file (a key, a `to:`, a phone
// number, a CSV header) goes into a message through `quote`, so a value holding a line break,
// an escape character or a GitHub workflow command (`::error::`) is shown, never obeyed.

/** Control characters, DEL, C1 controls and the Unicode line/paragraph separators and bidi overrides. */
const UNSAFE = /[\u0000-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;

/** A file-derived string as message text: double-quoted, with control characters escaped (JSON style). */
export function quote(s: string): string {
  return `"${escapeControls(s.replace(/\\/g, '\\\\').replace(/"/g, '\\"'))}"`;
}

/** Control characters (line breaks, ESC, …) as visible escapes; everything else unchanged. */
export function escapeControls(s: string): string {
  return s.replace(UNSAFE, (c) => {
    switch (c) {
      case '\n':
        return '\\n';
      case '\r':
        return '\\r';
      case '\t':
        return '\\t';
      default:
        return `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`;
    }
  });
}

/** Up to `max` quoted strings, then "and N more". */
export function quoteList(xs: readonly string[], max = 6): string {
  const q = xs.slice(0, max).map(quote);
  if (xs.length > max) q.push(`and ${xs.length - max} more`);
  return q.join(', ');
}

export function plural(n: number, one: string, many = `${one}s`): string {
  return `${n} ${n === 1 ? one : many}`;
}
