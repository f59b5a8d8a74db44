export * from './errors.js';
export * from './config.js';
export * from './rest.js';
export * from './client.js';
export * from './apply.js';
export * from './wait.js';
