// npm run gen: regenerate the CRD, the imported types and the metadata JSON Schema.
import { PROJECT_ROOT, renderAll, writeAll } from './render.js';

const files = await renderAll();
await writeAll(PROJECT_ROOT, files);
for (const path of files.keys()) console.log(`generated ${path}`);
