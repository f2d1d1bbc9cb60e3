export * from './version.js';
export * from './errors.js';
export * from './model.js';
export * from './visitor.js';
export * from './operator.js';
export * from './rest.js';
export * from './admin.js';
