import type { ExperimentDefinition } from '../types.js';
import { e1 } from './e1.js';
import { e2 } from './e2.js';
import { e3 } from './e3.js';
import { e4 } from './e4.js';
import { e5 } from './e5.js';
import { e6 } from './e6.js';
import { e7 } from './e7.js';

/** E1-E6 of SCIENCE.md section 6 and E7 (where the theory breaks), in report order. */
export const EXPERIMENTS: readonly ExperimentDefinition[] = [e1, e2, e3, e4, e5, e6, e7];
