/**
 * A symmetric matrix as a heat map: one pixel per entry on a small canvas, scaled up by CSS
 * (image-rendering: pixelated), colours from white (min) to dark blue (max) over [lo, hi].
 */
export function drawHeat(canvas: HTMLCanvasElement, values: ArrayLike<number>, side: number, lo: number, hi: number): void {
  canvas.width = side;
  canvas.height = side;
  const ctx = canvas.getContext('2d');
  if (!ctx) return;
  const img = ctx.createImageData(side, side);
  const span = hi - lo || 1;
  for (let i = 0; i < side * side; i++) {
    const t = Math.min(1, Math.max(0, (values[i] - lo) / span));
    img.data[4 * i] = Math.round(255 - 230 * t);
    img.data[4 * i + 1] = Math.round(255 - 190 * t);
    img.data[4 * i + 2] = Math.round(255 - 80 * t);
    img.data[4 * i + 3] = 255;
  }
  ctx.putImageData(img, 0, 0);
}

export function range(values: ArrayLike<number>): [number, number] {
  let lo = Infinity, hi = -Infinity;
  for (let i = 0; i < values.length; i++) { lo = Math.min(lo, values[i]); hi = Math.max(hi, values[i]); }
  return [lo, hi];
}

/**
 * Decision regions: sign and confidence of f on a side x side grid (row 0 at the top), blue for
 * f > 0 (class +1), orange for f < 0, with the training points drawn over them.
 */
export function drawRegions(canvas: HTMLCanvasElement, f: ArrayLike<number>, side: number, box: [number, number, number, number],
  points: ArrayLike<number>, labels: ArrayLike<number>): void {
  const px = 192;
  canvas.width = px;
  canvas.height = px;
  const ctx = canvas.getContext('2d');
  if (!ctx) return;
  const small = document.createElement('canvas');
  small.width = side; small.height = side;
  const sctx = small.getContext('2d');
  if (!sctx) return;
  const img = sctx.createImageData(side, side);
  for (let i = 0; i < side * side; i++) {
    const t = Math.max(-1, Math.min(1, f[i]));
    const a = Math.abs(t);
    const [r, g, b] = t >= 0 ? [70, 120, 220] : [235, 140, 50];
    img.data[4 * i] = Math.round(255 - (255 - r) * (0.25 + 0.6 * a));
    img.data[4 * i + 1] = Math.round(255 - (255 - g) * (0.25 + 0.6 * a));
    img.data[4 * i + 2] = Math.round(255 - (255 - b) * (0.25 + 0.6 * a));
    img.data[4 * i + 3] = 255;
  }
  sctx.putImageData(img, 0, 0);
  ctx.imageSmoothingEnabled = true;
  ctx.drawImage(small, 0, 0, px, px);
  const [x0, x1, y0, y1] = box;
  for (let i = 0; i < labels.length; i++) {
    const cx = ((points[2 * i] - x0) / (x1 - x0)) * px;
    const cy = ((y1 - points[2 * i + 1]) / (y1 - y0)) * px;
    ctx.beginPath();
    ctx.arc(cx, cy, 2.5, 0, 2 * Math.PI);
    ctx.fillStyle = labels[i] > 0 ? '#1f3f99' : '#a3500b';
    ctx.fill();
  }
}
