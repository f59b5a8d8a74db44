export * from './schema.js';
export * from './loader.js';
export * from './problem.js';
export * from './json-schema.js';
export * from './to-manifest.js';
