export { createCpuBackend } from './cpu-backend.js';
