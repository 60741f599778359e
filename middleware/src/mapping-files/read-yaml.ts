// Reads a YAML file and validates it against a zod schema. Each problem names the file, the line and
// the path inside the document, so an integrator can go straight to it.
import { existsSync, readFileSync } from 'node:fs';
import { isNode, LineCounter, parseDocument } from 'yaml';
import type { z } from 'zod';

export interface MappingError {
  file: string;
  line?: number;
  path: string;
  message: string;
}

export function formatMappingError(error: MappingError): string {
  return `${error.file}${error.line !== undefined ? `:${error.line}` : ''} ${error.path || '(document)'}: ${error.message}`;
}

export class MappingFileError extends Error {
  constructor(readonly errors: MappingError[]) {
    super(errors.map(formatMappingError).join('\n'));
    this.name = 'MappingFileError';
  }
}

/** A place in a parsed file, for errors found after parsing (unknown references, bad FHIRPath). */
export interface Located<T> {
  value: T;
  lineOf(path: readonly (string | number)[]): number | undefined;
}

export function readYaml<S extends z.ZodType>(file: string, schema: S, displayName = file): Located<z.infer<S>> {
  if (!existsSync(file)) throw new MappingFileError([{ file: displayName, path: '', message: 'file not found' }]);
  const lineCounter = new LineCounter();
  const document = parseDocument(readFileSync(file, 'utf8'), { lineCounter, prettyErrors: false });
  const lineOf = (path: readonly (string | number)[]): number | undefined => {
    for (let depth = path.length; depth >= 0; depth--) {
      const node = document.getIn(path.slice(0, depth), true);
      if (isNode(node) && node.range) return lineCounter.linePos(node.range[0]).line;
    }
    return undefined;
  };
  if (document.errors.length > 0) {
    throw new MappingFileError(
      document.errors.map((error) => ({
        file: displayName,
        line: lineCounter.linePos(error.pos[0]).line,
        path: '',
        message: `not valid YAML: ${error.message.split('\n')[0]}`,
      })),
    );
  }
  const parsed = schema.safeParse(document.toJS());
  if (!parsed.success) {
    throw new MappingFileError(
      parsed.error.issues.map((issue) => {
        const path = issue.code === 'unrecognized_keys' ? [...issue.path, issue.keys[0] as string] : issue.path;
        const message = issue.code === 'unrecognized_keys' ? `unknown field "${issue.keys.join('", "')}"` : issue.message;
        return { file: displayName, line: lineOf(path as (string | number)[]), path: pathText(path), message };
      }),
    );
  }
  return { value: parsed.data, lineOf };
}

export function pathText(path: readonly PropertyKey[]): string {
  return path.map((segment) => (typeof segment === 'number' ? `[${segment}]` : `.${String(segment)}`)).join('').replace(/^\./, '');
}
