// Worker entry when the service runs from its TypeScript sources (tsx, ts-jest): Node 20 does not
// apply `--import` loaders to worker threads, so tsx is registered here before the worker module
// loads. The compiled service loads cpu-worker.js directly.
import { register } from 'tsx/esm/api';

register();
const worker = await import('./cpu-worker.ts');

export const { signedStatements, signature, schema, readInput } = worker;
