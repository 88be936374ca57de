import { describeBackendConformance } from '@pikt/testkit';
import { createCpuBackend } from './cpu-backend.js';

describeBackendConformance(() => createCpuBackend());
