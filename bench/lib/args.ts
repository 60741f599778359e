// Command-line flags of the benchmarks: `--name N` after the positional arguments.

/** The whole number after `--name`, or `fallback` when the flag is absent; anything else stops the benchmark, naming the flag. */
export function numberFlag(name: string, fallback: number): number {
  const at = process.argv.indexOf(`--${name}`);
  if (at < 0) return fallback;
  const text = process.argv[at + 1];
  const value = Number(text);
  if (text === undefined || !Number.isInteger(value) || value < 1) throw new Error(`--${name} takes a whole number of at least 1, not ${text ?? 'nothing'}`);
  return value;
}
