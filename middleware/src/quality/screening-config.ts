// The data-quality configuration the screening reads: `data-quality.yaml` of the mappings folder (logical
// relations, signals, groups of related elements, thresholds, the scorecard's related indicators), parsed
// by the data-quality package's own parser so that a bad file names its line. Without the file, the
// package's defaults and no relations.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseDataQualityConfig, type DataQualityConfig } from '@smc-bridge/data-quality/config';

export const DATA_QUALITY_FILE = 'data-quality.yaml';

export function loadScreeningConfig(mappingsDir: string): DataQualityConfig {
  const path = join(mappingsDir, DATA_QUALITY_FILE);
  return parseDataQualityConfig(existsSync(path) ? readFileSync(path, 'utf8') : '', path);
}
