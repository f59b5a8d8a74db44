import { readFileSync } from 'node:fs';
import { describe, expect, it } from '@jest/globals';
import { dockerfileBaseImages } from '../../../src/local-cluster/platform-image.js';

describe('dockerfileBaseImages', () => {
  it("names the project Dockerfile's base once, not its build stage", () => {
    expect(dockerfileBaseImages(readFileSync('Dockerfile', 'utf8'))).toEqual(['node:20-bookworm-slim']);
  });

  it('skips earlier stages (any case) and scratch, keeps every distinct image, and reads --platform', () => {
    const text = ['FROM golang:1.26 AS Build', 'FROM --platform=linux/amd64 debian:12 as tools', 'FROM build', 'FROM TOOLS', 'FROM debian:12', 'FROM scratch'].join('\n');
    expect(dockerfileBaseImages(text)).toEqual(['golang:1.26', 'debian:12']);
  });
});
