#!/usr/bin/env -S node --import tsx
// Runs the commands straight from src/ (TypeScript) for development.
import { execute } from '@oclif/core';

await execute({ development: true, dir: import.meta.url });
