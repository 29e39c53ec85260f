// Server-assigned ids: a prefix and 12 lowercase alphanumerics, as the platform's (`wfl_m3v7zb9rk2px`).
import { randomBytes } from 'node:crypto';

const ALPHABET = 'abcdefghijklmnopqrstuvwxyz0123456789';

export type IdPrefix = 'wfl' | 'node' | 'edge' | 'wlead';

export function newId(prefix: IdPrefix): string {
  // Rejection sampling keeps every character equally likely (256 is not a multiple of 36).
  let out = '';
  while (out.length < 12) {
    for (const b of randomBytes(16)) {
      if (b < 252 && out.length < 12) out += ALPHABET[b % 36];
    }
  }
  return `${prefix}_${out}`;
}

export const ID_PATTERN = /^(wfl|node|edge|wlead)_[a-z0-9]{12}$/;
