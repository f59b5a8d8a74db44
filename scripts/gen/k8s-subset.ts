/**
 * imports/k8s-server.impl.ts: the few Kubernetes L1 classes a server's objects are built with
 * (KubeDeployment, KubeService, KubeIngress, KubeSecret and the value types they take), cut
 * from cdk8s-plus-28's generated imports/k8s.js together with every toJson_ function they
 * reach. The operator renders servers in-process, and loading all of k8s.js (2.7 MB of
 * generated code for every Kubernetes kind) costs it ~15 MB of RSS; the platform charts
 * (synth) keep importing cdk8s-plus-28 as a whole.
 *
 * Done with the TypeScript parser over the installed package (not by hand), so a
 * cdk8s-plus-28 upgrade regenerates it (`npm run gen`) and `npm run gen:check` notices drift.
 */
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import ts from 'typescript';

/** The runtime values charts-ts/server needs from `k8s` (types come from cdk8s-plus-28's .d.ts). */
export const K8S_SUBSET_EXPORTS = ['KubeDeployment', 'KubeService', 'KubeIngress', 'KubeSecret', 'KubeNetworkPolicy', 'IntOrString', 'Quantity'] as const;

/** Names a top-level statement declares or assigns to (`class X`, `function X`, `X.GVK = …`, `X[_u] = …`, `_u = …`). */
function ownersOf(statement: ts.Statement): string[] {
  if ((ts.isClassDeclaration(statement) || ts.isFunctionDeclaration(statement)) && statement.name !== undefined) return [statement.name.text];
  if (ts.isVariableStatement(statement)) return statement.declarationList.declarations.flatMap((d) => (ts.isIdentifier(d.name) ? [d.name.text] : []));
  if (!ts.isExpressionStatement(statement)) return [];
  let target: ts.Expression = statement.expression;
  if (ts.isCallExpression(target)) {
    // (function (E) { … })(E || (exports.E = E = {})): an enum's body belongs to E.
    const arg = target.arguments[0];
    return arg !== undefined && ts.isBinaryExpression(arg) && ts.isIdentifier(arg.left) ? [arg.left.text] : [];
  }
  if (ts.isBinaryExpression(target) && target.operatorToken.kind === ts.SyntaxKind.EqualsToken) target = target.left;
  while (ts.isPropertyAccessExpression(target) || ts.isElementAccessExpression(target)) target = target.expression;
  // `exports.X = …` only re-exports: not a definition.
  return ts.isIdentifier(target) && target.text !== 'exports' ? [target.text] : [];
}

function identifiersIn(node: ts.Node, out: Set<string>): void {
  if (ts.isIdentifier(node)) out.add(node.text);
  node.forEachChild((child) => identifiersIn(child, out));
}

export async function renderK8sSubset(notice: string): Promise<string> {
  const require = createRequire(import.meta.url);
  const path = require.resolve('cdk8s-plus-28/lib/imports/k8s.js');
  const source = ts.createSourceFile(path, await readFile(path, 'utf8'), ts.ScriptTarget.ES2022, true);

  const byOwner = new Map<string, ts.Statement[]>();
  for (const statement of source.statements) {
    const owners = ownersOf(statement);
    // `var _a, _b, …` declares every jsii temporary at once: it owns none of them.
    if (owners.length !== 1) continue;
    byOwner.set(owners[0] as string, [...(byOwner.get(owners[0] as string) ?? []), statement]);
  }
  const kept = new Set<string>();
  const pending: string[] = [...K8S_SUBSET_EXPORTS];
  while (pending.length > 0) {
    const name = pending.pop() as string;
    if (kept.has(name) || !byOwner.has(name)) continue;
    kept.add(name);
    const used = new Set<string>();
    for (const statement of byOwner.get(name) ?? []) identifiersIn(statement, used);
    for (const id of used) if (!kept.has(id) && byOwner.has(id)) pending.push(id);
  }

  const printer = ts.createPrinter({ removeComments: true });
  const temporaries = [...kept].filter((name) => /^_\w+$/.test(name));
  const body: string[] = [];
  for (const statement of source.statements) {
    const owners = ownersOf(statement);
    if (owners.length !== 1 || !kept.has(owners[0] as string) || owners[0] === 'cdk8s_1') continue;
    body.push(printer.printNode(ts.EmitHint.Unspecified, statement, source).replace(/\bexports\.(\w+) = /g, ''));
  }
  return [
    `// ${notice}`,
    '// @ts-nocheck: generated JavaScript; imports/k8s-server.ts gives it cdk8s-plus-28\'s types.',
    '/* eslint-disable */',
    "import cdk8s_1 from 'cdk8s';",
    ...(temporaries.length > 0 ? [`var ${temporaries.join(', ')};`] : []),
    ...body,
    `export { ${K8S_SUBSET_EXPORTS.join(', ')} };`,
    '',
  ].join('\n');
}
