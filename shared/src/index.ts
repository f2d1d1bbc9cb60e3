export * from './admin.js';
export * from './console.js';
export type * from './dashboard.js';
export * from './errors.js';
export * from './model.js';
export * from './operator.js';
export * from './rest.js';
export * from './version.js';
export * from './visitor.js';
