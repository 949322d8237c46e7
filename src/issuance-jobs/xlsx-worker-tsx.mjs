// Worker entry when the service runs from its TypeScript sources (tsx, ts-jest); see
// src/credentials/signing-worker-tsx.mjs. The compiled service loads xlsx-worker.js directly.
import { register } from 'tsx/esm/api';

register();
await import('./xlsx-worker.ts');
