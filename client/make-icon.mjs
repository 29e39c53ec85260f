// Draws media/icon.png (128×128, the Marketplace icon): three linked call nodes on a dark tile.
// Pure Node (zlib for the PNG stream), so it needs no image tool: node client/make-icon.mjs
import { writeFileSync } from 'node:fs';
import { deflateSync } from 'node:zlib';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const S = 128,
  px = new Float32Array(S * S * 4);
const bg = [22, 33, 62],
  line = [160, 174, 210],
  colors = [
    [26, 115, 232],
    [147, 52, 230],
    [30, 142, 62],
  ];
// Coverage-based anti-aliasing: 4×4 samples per pixel.
function paint(inside, rgb) {
  for (let y = 0; y < S; y++)
    for (let x = 0; x < S; x++) {
      let c = 0;
      for (let sy = 0; sy < 4; sy++)
        for (let sx = 0; sx < 4; sx++) if (inside(x + (sx + 0.5) / 4, y + (sy + 0.5) / 4)) c++;
      if (!c) continue;
      const a = c / 16,
        i = (y * S + x) * 4;
      for (let k = 0; k < 3; k++) px[i + k] = px[i + k] * (1 - a) + rgb[k] * a;
      px[i + 3] = Math.max(px[i + 3], a * 255);
    }
}
const roundRect = (x0, y0, x1, y1, r) => (x, y) => {
  const cx = Math.min(Math.max(x, x0 + r), x1 - r),
    cy = Math.min(Math.max(y, y0 + r), y1 - r);
  return x >= x0 && x <= x1 && y >= y0 && y <= y1 && (x - cx) ** 2 + (y - cy) ** 2 <= r * r;
};
const segment = (ax, ay, bx, by, w) => (x, y) => {
  const dx = bx - ax,
    dy = by - ay,
    t = Math.max(0, Math.min(1, ((x - ax) * dx + (y - ay) * dy) / (dx * dx + dy * dy)));
  return (x - ax - t * dx) ** 2 + (y - ay - t * dy) ** 2 <= (w / 2) ** 2;
};
paint(roundRect(4, 4, 124, 124, 24), bg);
paint(segment(64, 38, 36, 88, 6), line);
paint(segment(64, 38, 92, 88, 6), line);
paint(segment(44, 96, 84, 96, 6), line);
paint(roundRect(42, 22, 86, 50, 8), colors[0]);
paint(roundRect(14, 80, 58, 108, 8), colors[1]);
paint((x, y) => (x - 96) ** 2 + (y - 94) ** 2 <= 16 * 16, colors[2]);

const raw = Buffer.alloc(S * (S * 4 + 1));
for (let y = 0; y < S; y++)
  for (let x = 0; x < S * 4; x++) raw[y * (S * 4 + 1) + 1 + x] = Math.round(px[y * S * 4 + x]);
const crcTable = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});
const crc = (b) => {
  let c = 0xffffffff;
  for (const v of b) c = crcTable[(c ^ v) & 255] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
};
const chunk = (type, data) => {
  const len = Buffer.alloc(4);
  len.writeUInt32BE(data.length);
  const td = Buffer.concat([Buffer.from(type), data]);
  const c = Buffer.alloc(4);
  c.writeUInt32BE(crc(td));
  return Buffer.concat([len, td, c]);
};
const ihdr = Buffer.alloc(13);
ihdr.writeUInt32BE(S, 0);
ihdr.writeUInt32BE(S, 4);
ihdr[8] = 8;
ihdr[9] = 6;
const png = Buffer.concat([
  Buffer.from([137, 80, 78, 71, 13, 10, 26, 10]),
  chunk('IHDR', ihdr),
  chunk('IDAT', deflateSync(raw)),
  chunk('IEND', Buffer.alloc(0)),
]);
const out = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', 'media', 'icon.png');
writeFileSync(out, png);
console.log(`wrote ${out} (${png.length} bytes)`);
