/**
 * The equity curve as a PNG without native dependencies: a tiny RGB rasterizer (Bresenham lines)
 * and a PNG encoder on node:zlib (filter 0 per row, one IDAT chunk, CRC-32 per chunk).
 */
import { deflateSync } from 'node:zlib';
import type { EquityCurve } from './types.ts';

type Rgb = readonly [number, number, number];

export class Raster {
  readonly pixels: Uint8Array;
  constructor(
    readonly width: number,
    readonly height: number,
    background: Rgb = [255, 255, 255],
  ) {
    this.pixels = new Uint8Array(width * height * 3);
    for (let i = 0; i < width * height; i++) this.pixels.set(background, i * 3);
  }

  set(x: number, y: number, c: Rgb): void {
    if (x < 0 || y < 0 || x >= this.width || y >= this.height) return;
    this.pixels.set(c, (y * this.width + x) * 3);
  }

  get(x: number, y: number): Rgb {
    const i = (y * this.width + x) * 3;
    return [this.pixels[i] ?? 0, this.pixels[i + 1] ?? 0, this.pixels[i + 2] ?? 0];
  }

  /** Bresenham line, `thick` pixels wide (vertically). */
  line(x0: number, y0: number, x1: number, y1: number, c: Rgb, thick = 1): void {
    [x0, y0, x1, y1] = [Math.round(x0), Math.round(y0), Math.round(x1), Math.round(y1)];
    const dx = Math.abs(x1 - x0);
    const dy = -Math.abs(y1 - y0);
    const sx = x0 < x1 ? 1 : -1;
    const sy = y0 < y1 ? 1 : -1;
    let err = dx + dy;
    for (;;) {
      for (let t = 0; t < thick; t++) this.set(x0, y0 + t, c);
      if (x0 === x1 && y0 === y1) break;
      const e2 = 2 * err;
      if (e2 >= dy) {
        err += dy;
        x0 += sx;
      }
      if (e2 <= dx) {
        err += dx;
        y0 += sy;
      }
    }
  }
}

const CRC_TABLE = (() => {
  const t = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    t[n] = c >>> 0;
  }
  return t;
})();

export function crc32(buf: Uint8Array): number {
  let c = 0xffffffff;
  for (const b of buf) c = (CRC_TABLE[(c ^ b) & 0xff] as number) ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

function chunk(type: string, data: Uint8Array): Buffer {
  const out = Buffer.alloc(12 + data.length);
  out.writeUInt32BE(data.length, 0);
  out.write(type, 4, 'ascii');
  Buffer.from(data).copy(out, 8);
  out.writeUInt32BE(crc32(out.subarray(4, 8 + data.length)), 8 + data.length);
  return out;
}

export function encodePng(r: Raster): Buffer {
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(r.width, 0);
  ihdr.writeUInt32BE(r.height, 4);
  ihdr[8] = 8; // bit depth
  ihdr[9] = 2; // colour type: truecolour RGB
  const stride = r.width * 3;
  const raw = Buffer.alloc((stride + 1) * r.height);
  for (let y = 0; y < r.height; y++) {
    raw[y * (stride + 1)] = 0; // filter: none
    Buffer.from(r.pixels.buffer, r.pixels.byteOffset + y * stride, stride).copy(raw, y * (stride + 1) + 1);
  }
  const signature = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
  return Buffer.concat([
    signature,
    chunk('IHDR', ihdr),
    chunk('IDAT', deflateSync(raw)),
    chunk('IEND', new Uint8Array(0)),
  ]);
}

/** Equity line (blue) over a dashed starting-capital line (grey) and a light frame. */
export function equityPng(curve: EquityCurve, capital: number, width = 900, height = 360): Buffer {
  const points = curve.values;
  const r = new Raster(width, height);
  const pad = 20;
  const frame: Rgb = [220, 220, 220];
  r.line(pad, pad, width - pad, pad, frame);
  r.line(pad, height - pad, width - pad, height - pad, frame);
  r.line(pad, pad, pad, height - pad, frame);
  r.line(width - pad, pad, width - pad, height - pad, frame);
  if (points.length === 0) return encodePng(r);
  let lo = capital;
  let hi = capital;
  for (let i = 0; i < points.length; i++) {
    const e = points[i] as number;
    if (e < lo) lo = e;
    if (e > hi) hi = e;
  }
  if (hi === lo) hi = lo + 1;
  const n = points.length;
  const x = (i: number) => pad + (n === 1 ? 0 : (i / (n - 1)) * (width - 2 * pad));
  const y = (e: number) => height - pad - ((e - lo) / (hi - lo)) * (height - 2 * pad);
  const yc = Math.round(y(capital));
  for (let px = pad; px < width - pad; px += 8) r.line(px, yc, px + 3, yc, [170, 170, 170]);
  for (let i = 1; i < n; i++)
    r.line(x(i - 1), y(points[i - 1] as number), x(i), y(points[i] as number), [31, 111, 235], 2);
  return encodePng(r);
}
