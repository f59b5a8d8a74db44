/**
 * Entry point of `npx cdk8s synth` (cdk8s.yaml): the platform with default options, written to
 * cdk8s.out/. `mcp-runtime synth` is the same charts with flags for every option and a
 * kustomization.yaml; prefer it in scripts.
 */
import { App } from 'cdk8s';
import { addPlatformCharts } from './platform/index.js';

const app = new App({ outdir: 'cdk8s.out' });
addPlatformCharts(app);
app.synth();
