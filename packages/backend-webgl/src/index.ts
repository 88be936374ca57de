export { createWebglBackend } from './webgl-backend.js';
export type { WebglBackendOptions } from './webgl-backend.js';
export { probeWebgl, NO_WEBGL_IN_NODE } from './webgl-probe.js';
export type { WebglCapabilities, WebglProbe } from './webgl-probe.js';
