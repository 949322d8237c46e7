// Worker entry when the service runs from its TypeScript sources (tsx, ts-jest); see
// src/verify/cpu-worker-tsx.mjs. The compiled service loads signing-worker.js directly.
import { register } from 'tsx/esm/api';

register();
const worker = await import('./signing-worker.ts');

export const { secure, signJwts } = worker;
