export * from './chat';
export * from './delivery';
export * from './http-client';
export * from './in-app';
export * from './webhook';
