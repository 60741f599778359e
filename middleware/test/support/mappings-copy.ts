// A throw-away copy of the shipped mappings/ folder for tests that break one file and check the loader's
// answer: file, line and path of each problem.
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect } from '@jest/globals';
import { MappingFileError, type MappingError } from '../../src/mapping-files/read-yaml.js';

export const SHIPPED_MAPPINGS = fileURLToPath(new URL('../../../mappings', import.meta.url));

export class MappingsCopy {
  readonly dir: string;

  constructor(label: string) {
    this.dir = mkdtempSync(join(tmpdir(), `${label}-`));
    cpSync(SHIPPED_MAPPINGS, this.dir, { recursive: true });
  }

  /** Replaces text in a file of the copy; the replacement must change something. */
  edit(file: string, from: string | RegExp, to: string): void {
    const path = join(this.dir, file);
    const text = readFileSync(path, 'utf8');
    const changed = text.replace(from, to);
    expect(changed).not.toBe(text);
    writeFileSync(path, changed);
  }

  /** The 1-based line of the first (or last) line of a file holding `text`. */
  lineOf(file: string, text: string, which: 'first' | 'last' = 'first'): number {
    const lines = readFileSync(join(this.dir, file), 'utf8').split('\n');
    return (which === 'first' ? lines.findIndex((line) => line.includes(text)) : lines.findLastIndex((line) => line.includes(text))) + 1;
  }

  remove(): void {
    rmSync(this.dir, { recursive: true, force: true });
  }
}

/** The errors `load` refuses the files with; fails the test when it accepts them. */
export function refusalsOf(load: () => unknown): MappingError[] {
  try {
    load();
  } catch (error) {
    expect(error).toBeInstanceOf(MappingFileError);
    return (error as MappingFileError).errors;
  }
  throw new Error('expected the files to be refused');
}
