// @ts-check
// A free TCP port on 127.0.0.1, for tests that start their own servers.
export { freePort } from '../lib/free-port.mjs';
