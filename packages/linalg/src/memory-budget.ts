import { InvalidOptionError, OutOfMemoryBudgetError } from '@pikt/core';

/**
 * Default ceiling for one dense n x n float64 matrix: 4 GiB (n ~ 23,000). Above it the analysis
 * refuses up front and points to the blockwise / Lanczos path, instead of dying in the allocator.
 */
export const DEFAULT_DENSE_BUDGET_BYTES = 4 * 1024 ** 3;

/**
 * Throw OutOfMemoryBudgetError when `count` elements of `bytesPerElement` bytes exceed the budget.
 * Called before every allocation of an n x n (or n x m) matrix, with the bytes it would need.
 */
export function assertFits(what: string, count: number, bytesPerElement: number, budgetBytes = DEFAULT_DENSE_BUDGET_BYTES): void {
  if (!(budgetBytes > 0)) throw new InvalidOptionError('memoryBudgetBytes', budgetBytes, 'a positive number of bytes');
  const bytes = count * bytesPerElement;
  if (bytes > budgetBytes) throw new OutOfMemoryBudgetError(what, bytes, budgetBytes);
}

/** Guard for a dense row-major n x n float64 matrix. */
export function assertDenseFits(what: string, n: number, budgetBytes = DEFAULT_DENSE_BUDGET_BYTES): void {
  assertFits(`${what} (dense ${n} x ${n} float64)`, n * n, 8, budgetBytes);
}
