// Thread-pool entry for the runner's tests (built runner, plain JavaScript).
import { serveRuns } from '../dist/index.js';
import { fakeRun } from './fake-run.mjs';

serveRuns(async () => fakeRun);
