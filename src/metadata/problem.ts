/** A problem found in a user's file, reported as `file:LINE:COL field.path: message`. */
export interface Problem {
  readonly file: string;
  /** 1-based line and column of the offending node (or of its nearest existing parent). */
  readonly line: number;
  readonly col: number;
  /** Path inside the document, e.g. ['servers', 2, 'port']. Empty for file-level problems. */
  readonly path: readonly (string | number)[];
  readonly message: string;
}

const IDENTIFIER = /^[A-Za-z_$][A-Za-z0-9_$-]*$/;

/** servers[2].port, ingressAnnotations["example.com/x"] */
export function formatFieldPath(path: readonly (string | number)[]): string {
  let out = '';
  for (const part of path) {
    if (typeof part === 'number') out += `[${part}]`;
    else if (IDENTIFIER.test(part)) out += out === '' ? part : `.${part}`;
    else out += `[${JSON.stringify(part)}]`;
  }
  return out;
}

export function formatProblem(problem: Problem): string {
  const where = `${problem.file}:${problem.line}:${problem.col}`;
  const field = formatFieldPath(problem.path);
  return field === '' ? `${where} ${problem.message}` : `${where} ${field}: ${problem.message}`;
}

/** Thrown when input files are invalid; carries every problem, not just the first. */
export class ProblemsError extends Error {
  readonly problems: readonly Problem[];

  constructor(summary: string, problems: readonly Problem[]) {
    super([summary, ...problems.map((p) => `  ${formatProblem(p)}`)].join('\n'));
    this.name = 'ProblemsError';
    this.problems = problems;
  }
}
