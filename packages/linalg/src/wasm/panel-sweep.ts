/** A tile kernel on the 2-row panel layout (popcount-kernels.ts, gram-f64-kernel.ts). */
export type PanelTile = (pA: number, pB: number, groups: number, P: number, pOut: number, outPitch: number) => void;

export interface PanelSweep {
  /** Row panels of A and B (byte offsets), their pitch P, B's 2-row groups, symmetric (B = A: j <= i only). */
  pA: number; pB: number; P: number; groupsB: number; symmetric: boolean;
  /** Output block (byte offset), its row pitch in bytes and bytes per entry (4 for i32, 8 for f64). */
  pOut: number; ld: number; elem: number;
}

/**
 * Rows i0..i1 (i0 even) of a panel product into the output block: column panels of about 512 KiB
 * so B stays in the core's L2 while the row pairs of the block sweep it; symmetric products stop at
 * the diagonal group (j <= i, plus the other half of the diagonal 2 x 2 tile).
 */
export function sweepPanels(tile: PanelTile, s: PanelSweep, i0: number, i1: number): void {
  const colGroups = Math.max(1, Math.floor((512 * 1024) / (2 * s.P)));
  const pairs = (i1 - i0 + 1) >> 1;
  for (let g0 = 0; g0 < s.groupsB; g0 += colGroups) {
    const g1 = Math.min(s.groupsB, g0 + colGroups);
    for (let q = 0; q < pairs; q++) {
      const pair = (i0 >> 1) + q;
      const last = s.symmetric ? Math.min(g1, pair + 1) : g1;
      if (last <= g0) continue;
      tile(s.pA + pair * 2 * s.P, s.pB + g0 * 2 * s.P, last - g0, s.P, s.pOut + 2 * q * s.ld + 2 * g0 * s.elem, s.ld);
    }
  }
}
