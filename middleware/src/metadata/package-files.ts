// Where the metadata package lives, and reading it: metadata/smc-metadata.json (the package, generated) and
// metadata/source/smc-metadata.yaml (what people edit).
import { readFileSync } from 'node:fs';

export const DEFAULT_PACKAGE_FILE = new URL('../../../metadata/smc-metadata.json', import.meta.url).pathname;
export const DEFAULT_PACKAGE_SOURCE = new URL('../../../metadata/source/smc-metadata.yaml', import.meta.url).pathname;

export class PackageFileError extends Error {}

/** The file's JSON, unchecked (see checkPackage). */
export function readPackageJson(path: string = DEFAULT_PACKAGE_FILE): unknown {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    throw new PackageFileError(`${path}: cannot be read (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`);
  }
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new PackageFileError(`${path}: is not JSON (${(error as Error).message})`);
  }
}
