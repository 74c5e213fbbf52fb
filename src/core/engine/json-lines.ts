import { createInterface } from 'node:readline';
import type { Readable, Writable } from 'node:stream';

/**
 * JSON lines in, one JSON line out per input line, in order (DESIGN.md §8).
 * A line that is not JSON or that the handler rejects gets {"error": "..."}
 * and the stream goes on. Blank lines are skipped.
 */
export async function mapJsonLines(input: Readable, output: Writable, handle: (value: unknown) => unknown | Promise<unknown>): Promise<{ lines: number; errors: number }> {
  const rl = createInterface({ input, crlfDelay: Infinity });
  let lines = 0;
  let errors = 0;
  for await (const line of rl) {
    if (!line.trim()) continue;
    lines++;
    let out: unknown;
    try {
      out = await handle(JSON.parse(line));
    } catch (err) {
      errors++;
      out = { error: err instanceof SyntaxError ? `invalid JSON: ${err.message}` : err instanceof Error ? err.message : String(err) };
    }
    if (!output.write(`${JSON.stringify(out)}\n`)) await new Promise((r) => output.once('drain', r));
  }
  return { lines, errors };
}
