/**
 * The notes MCP server. Each session gets its own McpServer and its own notes, so a client sees
 * only what it wrote: the state lives in this process's memory, which is exactly why requests
 * of a session must reach the replica that holds it.
 */
import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { z } from 'zod';

export const SERVER_NAME = 'notes';
export const SERVER_VERSION = '0.1.0';
/** Bounds the memory one session can hold. */
export const MAX_NOTES = 100;
export const NOTES_URI = 'notes://session';

interface Note {
  id: number;
  text: string;
}

const noteShape = { id: z.number().int(), text: z.string() };

export function createNotesServer(): McpServer {
  const notes: Note[] = [];
  let nextId = 1;
  const server = new McpServer({ name: SERVER_NAME, version: SERVER_VERSION });

  server.registerTool(
    'add_note',
    {
      title: 'Add note',
      description: `Store a short note in this session (at most ${MAX_NOTES}). Notes end with the session.`,
      inputSchema: { text: z.string().min(1).max(1000).describe('The note text') },
      outputSchema: { ...noteShape, count: z.number().int() },
    },
    async ({ text }) => {
      if (notes.length >= MAX_NOTES) {
        return { isError: true, content: [{ type: 'text', text: `This session already holds ${MAX_NOTES} notes.` }] };
      }
      const note = { id: nextId++, text };
      notes.push(note);
      return {
        content: [{ type: 'text', text: `Saved note ${note.id} (${notes.length} in this session).` }],
        structuredContent: { ...note, count: notes.length },
      };
    },
  );

  server.registerTool(
    'list_notes',
    {
      title: 'List notes',
      description: 'List the notes stored in this session, oldest first.',
      inputSchema: {},
      outputSchema: { notes: z.array(z.object(noteShape)) },
      annotations: { readOnlyHint: true },
    },
    async () => ({
      content: [{ type: 'text', text: notes.length ? notes.map((n) => `${n.id}. ${n.text}`).join('\n') : 'No notes yet.' }],
      structuredContent: { notes: [...notes] },
    }),
  );

  server.registerResource(
    'session-notes',
    NOTES_URI,
    { title: 'Notes of this session', description: 'All notes of this session as JSON.', mimeType: 'application/json' },
    async (uri) => ({ contents: [{ uri: uri.href, mimeType: 'application/json', text: JSON.stringify(notes) }] }),
  );

  return server;
}
