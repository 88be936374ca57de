import { inflateSync } from 'node:zlib';

export interface DecodedImage {
  width: number;
  height: number;
  /** Row-major RGBA, 8 bits per channel. */
  rgba: Uint8Array;
}

/**
 * Decode an 8-bit, non-interlaced RGB or RGBA PNG (what resvg and Chromium's screenshots write),
 * so tests and `pikt` can check that a figure is not blank without an image library.
 * PNG spec: chunks after an 8-byte signature; IDAT is zlib data; each row starts with a filter byte
 * (0 none, 1 sub, 2 up, 3 average, 4 Paeth).
 */
export function decodePng(data: Uint8Array): DecodedImage {
  const buf = Buffer.from(data.buffer, data.byteOffset, data.byteLength);
  const signature = [137, 80, 78, 71, 13, 10, 26, 10];
  if (buf.length < 8 || signature.some((b, i) => buf[i] !== b)) throw new Error('not a PNG file (bad signature).');
  let pos = 8;
  let width = 0;
  let height = 0;
  let colorType = -1;
  const idat: Buffer[] = [];
  while (pos + 8 <= buf.length) {
    const len = buf.readUInt32BE(pos);
    const type = buf.toString('latin1', pos + 4, pos + 8);
    const body = buf.subarray(pos + 8, pos + 8 + len);
    if (type === 'IHDR') {
      width = body.readUInt32BE(0);
      height = body.readUInt32BE(4);
      const depth = body[8];
      colorType = body[9];
      if (depth !== 8 || (colorType !== 2 && colorType !== 6) || body[12] !== 0) {
        throw new Error(`unsupported PNG: bit depth ${depth}, colour type ${colorType}, interlace ${body[12]} (only 8-bit RGB/RGBA, non-interlaced).`);
      }
    } else if (type === 'IDAT') {
      idat.push(body);
    } else if (type === 'IEND') {
      break;
    }
    pos += 12 + len;
  }
  if (colorType < 0) throw new Error('PNG has no IHDR chunk.');
  const channels = colorType === 6 ? 4 : 3;
  const raw = inflateSync(Buffer.concat(idat));
  const stride = width * channels;
  if (raw.length < height * (stride + 1)) throw new Error('PNG image data is truncated.');
  const pixels = new Uint8Array(height * stride);
  for (let y = 0; y < height; y++) {
    const filter = raw[y * (stride + 1)];
    const src = y * (stride + 1) + 1;
    const row = y * stride;
    for (let i = 0; i < stride; i++) {
      const a = i >= channels ? pixels[row + i - channels] : 0;
      const b = y > 0 ? pixels[row - stride + i] : 0;
      const c = y > 0 && i >= channels ? pixels[row - stride + i - channels] : 0;
      let pred = 0;
      if (filter === 1) pred = a;
      else if (filter === 2) pred = b;
      else if (filter === 3) pred = (a + b) >> 1;
      else if (filter === 4) {
        const p = a + b - c;
        const pa = Math.abs(p - a);
        const pb = Math.abs(p - b);
        const pc = Math.abs(p - c);
        pred = pa <= pb && pa <= pc ? a : pb <= pc ? b : c;
      } else if (filter !== 0) throw new Error(`PNG row ${y} has unknown filter ${filter}.`);
      pixels[row + i] = (raw[src + i] + pred) & 0xff;
    }
  }
  if (channels === 4) return { width, height, rgba: pixels };
  const rgba = new Uint8Array(width * height * 4);
  for (let p = 0; p < width * height; p++) {
    rgba[p * 4] = pixels[p * 3];
    rgba[p * 4 + 1] = pixels[p * 3 + 1];
    rgba[p * 4 + 2] = pixels[p * 3 + 2];
    rgba[p * 4 + 3] = 255;
  }
  return { width, height, rgba };
}

/** Count pixels inside [x0, x1) x [y0, y1) that differ from white by more than `threshold` in any channel. */
export function countNonWhite(img: DecodedImage, box?: { x0: number; y0: number; x1: number; y1: number }, threshold = 24): number {
  const { x0 = 0, y0 = 0, x1 = img.width, y1 = img.height } = box ?? {};
  let count = 0;
  for (let y = Math.max(0, y0); y < Math.min(img.height, y1); y++) {
    for (let x = Math.max(0, x0); x < Math.min(img.width, x1); x++) {
      const o = (y * img.width + x) * 4;
      if (img.rgba[o + 3] > 0 && (255 - img.rgba[o] > threshold || 255 - img.rgba[o + 1] > threshold || 255 - img.rgba[o + 2] > threshold)) count++;
    }
  }
  return count;
}
