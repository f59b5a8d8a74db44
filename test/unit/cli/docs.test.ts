// docs/cli.md, `--help` and src/cli/exit-codes.ts must agree: the exit-code table of the docs
// and the EXIT CODES section of the help list exactly the module's codes, every command is
// documented, and every flag the docs name exists on the command they name it for.
import { execFile } from 'node:child_process';
import { readdir, readFile } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, it } from '@jest/globals';
import { EXIT_CODE_DESCRIPTIONS, ExitCode } from '../../../src/cli/exit-codes.js';
import { exitCodesSection } from '../../../src/cli/help.js';

const root = fileURLToPath(new URL('../../../', import.meta.url));
const moduleCodes = Object.values(ExitCode).sort((a, b) => a - b);

/** The lines of docs/cli.md under a heading, up to the next heading of the same or a higher level. */
function section(doc: string, heading: string): string[] {
  const lines = doc.split('\n');
  const start = lines.findIndex((l) => l === heading);
  if (start < 0) throw new Error(`docs/cli.md has no "${heading}"`);
  const level = heading.indexOf(' ');
  const end = lines.findIndex((l, i) => i > start && /^#+ /.test(l) && l.indexOf(' ') <= level);
  return lines.slice(start + 1, end < 0 ? undefined : end);
}

/** `EXIT CODES` lines (`  N  meaning`) of a help text: the codes. */
function helpCodes(help: string): number[] {
  const lines = help.split('\n');
  const start = lines.indexOf('EXIT CODES');
  expect(start).toBeGreaterThanOrEqual(0);
  const codes: number[] = [];
  for (const line of lines.slice(start + 1)) {
    const m = /^\s+(\d+)\s{2}\S/.exec(line);
    if (m === null) break;
    codes.push(Number(m[1]));
  }
  return codes;
}

async function commandIds(dir = join(root, 'src/commands')): Promise<string[]> {
  const ids: string[] = [];
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) ids.push(...(await commandIds(path)));
    else if (entry.name.endsWith('.ts')) ids.push(relative(join(root, 'src/commands'), path).replace(/\.ts$/, '').split('/').join(' '));
  }
  return ids.sort();
}

interface FlagDef {
  aliases?: string[];
  allowNo?: boolean;
  helpGroup?: string;
  deprecateAliases?: boolean;
}

async function flagsOf(id: string): Promise<Map<string, FlagDef>> {
  const { default: command } = (await import(pathToFileURL(join(root, 'src/commands', `${id.split(' ').join('/')}.ts`)).href)) as {
    default: { flags?: Record<string, FlagDef>; baseFlags?: Record<string, FlagDef>; enableJsonFlag?: boolean };
  };
  const flags = new Map<string, FlagDef>(Object.entries({ ...command.baseFlags, ...command.flags }));
  if (command.enableJsonFlag === true) flags.set('json', {});
  for (const [, f] of [...flags]) for (const alias of f.aliases ?? []) flags.set(alias, f);
  return flags;
}

const run = promisify(execFile);
const help = async (...argv: string[]): Promise<string> => (await run(join(root, 'bin/dev.js'), argv, { cwd: root })).stdout;

describe('docs/cli.md, --help and the exit-code module', () => {
  it('the docs exit-code table lists exactly the codes of src/cli/exit-codes.ts', async () => {
    const doc = await readFile(join(root, 'docs/cli.md'), 'utf8');
    const rows = section(doc, '### Exit codes')
      .map((l) => /^\| (\d+) \| (.+) \|$/.exec(l))
      .filter((m) => m !== null);
    expect(rows.map((m) => Number(m[1]))).toEqual(moduleCodes);
    for (const m of rows) expect(m[2]?.trim()).not.toBe('');
    expect(Object.keys(EXIT_CODE_DESCRIPTIONS).map(Number).sort((a, b) => a - b)).toEqual(moduleCodes);
  });

  it('the root help and a command help print the same codes, from the module', async () => {
    expect(helpCodes(exitCodesSection())).toEqual(moduleCodes);
    const [rootHelp, commandHelp] = await Promise.all([help('--help'), help('server', 'build', '-h')]);
    expect(helpCodes(rootHelp)).toEqual(moduleCodes);
    expect(helpCodes(commandHelp)).toEqual(moduleCodes);
    expect(commandHelp).toContain(exitCodesSection());
  }, 60_000);

  it('documents every command, and every flag it documents exists on that command', async () => {
    const doc = await readFile(join(root, 'docs/cli.md'), 'utf8');
    const other = section(doc, '## Other commands').join('\n');
    const undocumented: string[] = [];
    const unknownFlags: string[] = [];
    for (const id of await commandIds()) {
      const heading = `## ${id}`;
      const own = doc.split('\n').includes(heading);
      if (!own && !other.includes(`\`${id}`)) undocumented.push(id);
      if (!own) continue;
      const flags = await flagsOf(id);
      for (const row of section(doc, heading).filter((l) => l.startsWith('| `-'))) {
        const cell = row.split('|')[1] ?? '';
        for (const m of cell.matchAll(/--(\[no-\])?([a-z][a-z0-9-]*)/g)) {
          const flag = flags.get(m[2]!);
          if (flag === undefined || (m[1] !== undefined && flag.allowNo !== true)) unknownFlags.push(`${id}: --${m[1] ?? ''}${m[2]}`);
        }
      }
    }
    expect(undocumented).toEqual([]);
    expect(unknownFlags).toEqual([]);
  });

  it('--context, --kubeconfig and --request-timeout mean the kube flags in every command (kubectl\'s meaning)', async () => {
    const meanings: string[] = [];
    for (const id of await commandIds()) {
      const flags = await flagsOf(id);
      for (const name of ['context', 'kubeconfig', 'request-timeout']) {
        const flag = flags.get(name);
        if (flag !== undefined && flag.helpGroup !== 'CLUSTER' && !(id === 'cluster provision' && name === 'kubeconfig')) meanings.push(`${id} --${name}`);
      }
    }
    expect(meanings).toEqual([]);
    for (const id of ['server build', 'build push']) {
      const flags = await flagsOf(id);
      expect(flags.get('build-context')).toBeDefined();
      // The old name of the kube context still works, deprecated.
      expect(flags.get('kube-context')).toBe(flags.get('context'));
      expect(flags.get('context')?.deprecateAliases).toBe(true);
      expect(flags.get('request-timeout')).toBeDefined();
    }
  });

  it("--output/-o means the output format in every command (kubectl's meaning); folders are --output-dir", async () => {
    const meanings: string[] = [];
    for (const id of await commandIds()) {
      const flags = await flagsOf(id);
      const output = flags.get('output');
      if (output === undefined) continue;
      // Either the format flag, or a deprecated alias of --output-dir.
      const isFormat = output.helpGroup === 'OUTPUT';
      const isDeprecatedFolderAlias = output === flags.get('output-dir') && output.deprecateAliases === true;
      if (!isFormat && !isDeprecatedFolderAlias) meanings.push(`${id} --output`);
    }
    expect(meanings).toEqual([]);
    for (const id of ['synth', 'pipeline generate']) expect((await flagsOf(id)).get('output-dir')).toBeDefined();
  });
});
