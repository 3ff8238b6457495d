import { TextDecoder, TextEncoder } from 'node:util';

// jsdom lacks what react-router reads at import time; import this first in a component spec.
Object.assign(globalThis, { TextEncoder: globalThis.TextEncoder ?? TextEncoder, TextDecoder: globalThis.TextDecoder ?? TextDecoder });
