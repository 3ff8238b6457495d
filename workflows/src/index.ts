// What clients and the worker import. The workflow implementation itself (workflows.ts) is loaded
// only by the worker's bundler, by path.
export * from './activities';
export * from './definitions';
export * from './engine-support';
