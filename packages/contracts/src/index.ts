export * from './accounts';
export * from './approvals';
export * from './common';
export * from './emails';
export * from './playbooks';
export * from './runs';
export * from './users';
