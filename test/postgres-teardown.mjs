export { teardown as default } from './postgres-server.mjs';
