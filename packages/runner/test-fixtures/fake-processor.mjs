// Sandboxed BullMQ processor for the runner's tests (built runner, plain JavaScript).
import { createQueueProcessor } from '../dist/index.js';
import { fakeRun } from './fake-run.mjs';

export default createQueueProcessor(async () => fakeRun);
