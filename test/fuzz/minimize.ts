// Shrinks a failing input to a small one that still fails, so a fuzz failure is reported as a
// few lines rather than a random file: whole lines first, then single characters, each removal
// kept only when the failure stays the same. Bounded: at most `budget` checks.
export function minimize(input: string, fails: (s: string) => boolean, budget = 2000): string {
  let best = input;
  let checks = 0;
  const tryIt = (s: string): boolean => {
    if (checks >= budget || s === best) return false;
    checks++;
    if (!fails(s)) return false;
    best = s;
    return true;
  };
  // Lines, in chunks of halving size (ddmin-style), then characters one at a time.
  for (let changed = true; changed && checks < budget; ) {
    changed = false;
    const lines = best.split('\n');
    for (let size = Math.max(1, lines.length >> 1); size >= 1; size >>= 1) {
      for (let i = 0; i + size <= best.split('\n').length; ) {
        const ls = best.split('\n');
        if (tryIt([...ls.slice(0, i), ...ls.slice(i + size)].join('\n'))) changed = true;
        else i += size;
      }
    }
    for (let i = 0; i < best.length; ) {
      if (tryIt(best.slice(0, i) + best.slice(i + 1))) changed = true;
      else i++;
    }
  }
  return best;
}
