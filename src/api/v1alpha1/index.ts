export * from './group.js';
export * from './formats.js';
export * from './mcpserver.js';
export * from './cross-field.js';
export * from './crd.js';
export * from './quantity.js';
