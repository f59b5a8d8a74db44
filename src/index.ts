// Library entry point: the API types and the pieces other tools may embed.
export * from './api/v1alpha1/index.js';
