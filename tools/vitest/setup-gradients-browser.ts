// Browser counterpart of setup-gradients.ts: @pikt/trainer's ensureGradients imports its bundled
// registration of tfjs-core's gradients (the regularizer conformance suite differentiates).
import { ensureGradients } from '@pikt/trainer';

await ensureGradients();
