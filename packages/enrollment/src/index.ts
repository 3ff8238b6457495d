export * from './enroll';
export * from './errors';
export * from './version-cache';
