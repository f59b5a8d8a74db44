/**
 * Reads every `*.yaml` / `*.yml` in a metadata folder (`.mcp/` by convention), validates each
 * document against the metadata schema, normalizes it, and reports every problem at once as
 * `file:LINE:COL field.path: message`. Used by `pipeline generate` and `server build`.
 */
import { join } from 'node:path';
import type { z } from 'zod';
import { MetadataFileEnvelopeSchema, MetadataServerSchema, type MetadataServer } from './schema.js';
import { friendlyIssueMessage } from './issue-messages.js';
import { positionOf, type Position } from './yaml-positions.js';
import { issueProblems, listYamlFiles, parseYamlDocuments } from './yaml-files.js';
import { documentValue, readInputFile } from './input-files.js';
import { ProblemsError, type Problem } from './problem.js';

export interface LoadedServer {
  /** The server with defaults applied and `route` normalized (leading '/', default /<name>/mcp). */
  readonly server: MetadataServer & { route: string };
  /** The file it came from and its index in that file's `servers` list (for write-back). */
  readonly file: string;
  readonly document: number;
  readonly index: number;
  /** Where the server's name is written (duplicate-name reports point here). */
  readonly position: Position;
}

export function defaultRoute(name: string): string {
  return `/${name}/mcp`;
}

const EMPTY_FILE = 'file is empty: expected `version: v1` and a `servers:` list';

/**
 * Validates the text of one metadata file. Never throws on bad input: problems are returned.
 * Servers are validated one by one so that a valid server is still known (for duplicate-name
 * checks across files) when its neighbour is broken.
 */
export function parseMetadataText(
  file: string,
  text: string,
): { servers: LoadedServer[]; names: NameSite[]; problems: Problem[] } {
  const names: NameSite[] = [];
  const parsed = parseYamlDocuments(file, text);
  const { counter } = parsed;
  const problems: Problem[] = [...parsed.problems];
  const servers: LoadedServer[] = [];
  if (parsed.count === 0) problems.push({ file, line: 1, col: 1, path: [], message: EMPTY_FILE });
  parsed.documents.forEach(({ doc, index: documentIndex }) => {
    if (doc.contents === null) {
      problems.push({ file, line: 1, col: 1, path: [], message: EMPTY_FILE });
      return;
    }
    const report = (issues: readonly z.core.$ZodIssue[], prefix: readonly (string | number)[] = []) => {
      for (const issue of issues) {
        problems.push(...issueProblems(file, doc, counter, issue, prefix));
      }
    };
    const value = documentValue(file, doc);
    if ('problem' in value) {
      problems.push(value.problem);
      return;
    }
    const top = MetadataFileEnvelopeSchema.safeParse(value.value, { error: friendlyIssueMessage });
    if (!top.success) {
      report(top.error.issues);
      return;
    }
    top.data.servers.forEach((raw, index) => {
      const rawName = (raw as { name?: unknown } | null)?.name;
      if (typeof rawName === 'string') {
        const namePath = ['servers', index, 'name'];
        names.push({ name: rawName, file, path: namePath, position: positionOf(doc, counter, namePath) });
      }
      const parsed = MetadataServerSchema.safeParse(raw, { error: friendlyIssueMessage });
      if (!parsed.success) {
        report(parsed.error.issues, ['servers', index]);
        return;
      }
      const server = parsed.data;
      servers.push({
        server: { ...server, route: server.route ?? defaultRoute(server.name) },
        file,
        document: documentIndex,
        index,
        position: positionOf(doc, counter, ['servers', index, 'name']),
      });
    });
  });
  return { servers, names, problems };
}

/** Where a server name is written, valid server or not (duplicates are reported either way). */
interface NameSite {
  readonly name: string;
  readonly file: string;
  readonly path: readonly (string | number)[];
  readonly position: Position;
}

function duplicateProblems(sites: readonly NameSite[]): Problem[] {
  const first = new Map<string, NameSite>();
  const problems: Problem[] = [];
  for (const site of sites) {
    const seen = first.get(site.name);
    if (seen === undefined) {
      first.set(site.name, site);
      continue;
    }
    problems.push({
      file: site.file,
      ...site.position,
      path: site.path,
      message: `duplicate server name "${site.name}" (first defined at ${seen.file}:${seen.position.line}:${seen.position.col}); names must be unique because each one owns the URL path /<name>/mcp`,
    });
  }
  return problems;
}

/**
 * Loads a metadata folder (or a single file). Throws a ProblemsError listing every problem in
 * every file; returns the servers in file order otherwise.
 */
export async function loadMetadata(dirOrFile: string): Promise<LoadedServer[]> {
  const files = await listYamlFiles(dirOrFile, 'Metadata folder');
  if (files.length === 0) {
    throw new ProblemsError(`No *.yaml or *.yml files in ${dirOrFile}: expected a metadata file such as ${join(dirOrFile, 'metadata.yaml')}.`, []);
  }
  const servers: LoadedServer[] = [];
  const names: NameSite[] = [];
  const problems: Problem[] = [];
  for (const file of files) {
    const input = await readInputFile(file);
    if ('problem' in input) {
      problems.push(input.problem);
      continue;
    }
    const parsed = parseMetadataText(file, input.text);
    servers.push(...parsed.servers);
    names.push(...parsed.names);
    problems.push(...parsed.problems);
  }
  problems.push(...duplicateProblems(names));
  if (problems.length > 0) {
    throw new ProblemsError(`Invalid metadata in ${dirOrFile} (${problems.length} problem${problems.length === 1 ? '' : 's'}):`, problems);
  }
  return servers;
}
