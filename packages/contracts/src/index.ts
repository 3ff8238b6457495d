export * from './accounts';
export * from './approvals';
export * from './common';
export * from './emails';
export * from './events';
export * from './playbooks';
export * from './runs';
export * from './users';
