/** Input problems of `synth --servers`, each naming the file, the line and the field. */
export interface ManifestProblem {
  readonly file: string;
  /** 1-based line, when the field (or its parent) could be located. */
  readonly line?: number;
  /** Dotted field path, e.g. `spec.envVars[0].name`; empty for whole-document problems. */
  readonly field: string;
  readonly message: string;
}

export function formatProblem(p: ManifestProblem): string {
  const where = p.line === undefined ? p.file : `${p.file}:${p.line}`;
  return p.field === '' ? `${where}: ${p.message}` : `${where}: ${p.field}: ${p.message}`;
}

export class ManifestError extends Error {
  constructor(readonly problems: readonly ManifestProblem[]) {
    super(`${problems.length} problem${problems.length === 1 ? '' : 's'} in the server manifests:\n${problems.map((p) => `  ${formatProblem(p)}`).join('\n')}`);
    this.name = 'ManifestError';
  }
}

export function fieldPath(path: readonly PropertyKey[]): string {
  let out = '';
  for (const part of path) {
    if (typeof part === 'number') out += `[${part}]`;
    else out += out === '' ? String(part) : `.${String(part)}`;
  }
  return out;
}

/** By file, then line (problems without a line first), keeping the order of equal ones. */
export function sortProblems(problems: readonly ManifestProblem[]): ManifestProblem[] {
  return [...problems].sort((a, b) => (a.file === b.file ? (a.line ?? 0) - (b.line ?? 0) : a.file < b.file ? -1 : 1));
}
