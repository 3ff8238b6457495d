export * from './enroll';
export * from './enroll-many';
export * from './errors';
export * from './temporal-errors';
export * from './version-cache';
