// Every mapping target must exist in the metadata package the way the bridge posts to it (DESIGN.md §4):
// the data set (with the period type the rules use, open for the running period), the data element (in
// that data set, with the category combo the rule disaggregates by), every category option combo of that
// combo (with the same options), and the attribute option combo (in the data set's attribute combo).
// Everything is matched by code, as the DHIS2 client posts with idScheme=CODE.
import type { AggregateRule, Mappings } from '../mapping/load-mappings.js';
import { DEFAULT_UIDS, type MetadataPackage, type PackageObject } from './package-schema.js';

type Ref = { id?: string } | undefined;
const idOf = (ref: unknown) => (ref as Ref)?.id;

export function checkMappingTargets(pkg: MetadataPackage, mappings: Mappings): string[] {
  const problems: string[] = [];
  const seen = new Set<string>();
  const once = (key: string, message: string) => {
    if (!seen.has(key)) problems.push(message);
    seen.add(key);
  };
  const byCode = <T extends PackageObject>(list: readonly T[] | undefined) => new Map((list ?? []).filter((o) => typeof o.code === 'string').map((o) => [o.code as string, o]));
  const byId = <T extends PackageObject>(list: readonly T[] | undefined) => new Map((list ?? []).filter((o) => typeof o.id === 'string').map((o) => [o.id as string, o]));
  const dataSets = byCode(pkg.dataSets);
  const elements = byCode(pkg.dataElements);
  const cocs = byCode(pkg.categoryOptionCombos);
  const combosById = byId(pkg.categoryCombos);
  const optionsById = byId(pkg.categoryOptions);
  const comboName = (id: string) => (id === DEFAULT_UIDS.categoryCombo ? 'default' : `${(combosById.get(id)?.code as string | undefined) ?? 'no code'} (${id})`);
  const cocsOfCombo = (comboId: string) =>
    (pkg.categoryOptionCombos ?? []).filter((coc) => idOf(coc.categoryCombo) === comboId).map((coc) => coc.code ?? coc.id);
  const where = (rule: AggregateRule) => `mapping rule ${rule.id} (${rule.file}${rule.line !== undefined ? `:${rule.line}` : ''})`;

  for (const rule of mappings.rules) {
    const dataSet = dataSets.get(rule.dataSet);
    if (!dataSet) {
      once(`ds:${rule.dataSet}`, `${where(rule)}: data set ${rule.dataSet} is not in the package`);
    } else {
      if (dataSet.periodType !== rule.periodType) {
        once(`pt:${rule.dataSet}`, `${where(rule)}: data set ${rule.dataSet} has periodType ${String(dataSet.periodType)} in the package; the rule posts ${rule.periodType} periods`);
      }
      if ((dataSet.openFuturePeriods ?? 0) < 1) {
        once(`ofp:${rule.dataSet}`, `${where(rule)}: data set ${rule.dataSet} has openFuturePeriods ${dataSet.openFuturePeriods ?? 0}; the bridge posts the running period, which DHIS2 refuses (E7641) unless it is at least 1`);
      }
      const attributeCombo = idOf(dataSet.categoryCombo) ?? DEFAULT_UIDS.categoryCombo;
      const aoc = rule.attributeOptionCombo;
      if (aoc === 'default') {
        if (attributeCombo !== DEFAULT_UIDS.categoryCombo) {
          once(`aoc:${rule.dataSet}:${aoc}`, `${where(rule)}: attribute option combo default is not in the attribute combo ${comboName(attributeCombo)} of data set ${rule.dataSet} (use one of ${cocsOfCombo(attributeCombo).join(', ')})`);
        }
      } else {
        const coc = cocs.get(aoc);
        if (!coc) once(`aoc:${aoc}`, `${where(rule)}: attribute option combo ${aoc} is not in the package`);
        else if (idOf(coc.categoryCombo) !== attributeCombo) {
          once(`aoc:${rule.dataSet}:${aoc}`, `${where(rule)}: attribute option combo ${aoc} belongs to ${comboName(idOf(coc.categoryCombo) ?? '')}, not to the attribute combo ${comboName(attributeCombo)} of data set ${rule.dataSet}`);
        }
      }
    }

    const element = elements.get(rule.dataElement);
    if (!element) {
      problems.push(`${where(rule)}: data element ${rule.dataElement} is not in the package`);
      continue;
    }
    if (dataSet && !(dataSet.dataSetElements ?? []).some((dse) => idOf(dse.dataElement) === element.id)) {
      problems.push(`${where(rule)}: data element ${rule.dataElement} (${element.id}) is not in data set ${rule.dataSet}`);
    }
    const elementCombo = idOf(element.categoryCombo) ?? DEFAULT_UIDS.categoryCombo;
    const ruleCombo = rule.categoryCombo?.code ?? 'default';
    const elementComboCode = elementCombo === DEFAULT_UIDS.categoryCombo ? 'default' : (combosById.get(elementCombo)?.code as string | undefined);
    if (elementComboCode !== ruleCombo) {
      problems.push(`${where(rule)}: data element ${rule.dataElement} has category combo ${comboName(elementCombo)}; the rule disaggregates by ${ruleCombo}`);
      continue;
    }
    for (const [optionKey, cocCode] of rule.categoryCombo?.comboByOptions ?? []) {
      const key = `coc:${elementCombo}:${cocCode}`;
      const coc = cocs.get(cocCode);
      if (!coc) {
        once(key, `${where(rule)}: category option combo ${cocCode} (of ${ruleCombo}) is not in the package`);
        continue;
      }
      if (idOf(coc.categoryCombo) !== elementCombo) {
        once(key, `${where(rule)}: category option combo ${cocCode} (${coc.id}) is outside the combo ${comboName(elementCombo)} of data element ${rule.dataElement}; it belongs to ${comboName(idOf(coc.categoryCombo) ?? '')}`);
        continue;
      }
      const packageOptions = (coc.categoryOptions ?? []).map((ref) => (optionsById.get(idOf(ref) ?? '')?.code as string | undefined) ?? idOf(ref)).sort();
      const mappingOptions = optionKey.split('|').sort();
      if (packageOptions.join('|') !== mappingOptions.join('|')) {
        once(key, `${where(rule)}: category option combo ${cocCode} (${coc.id}) has options ${packageOptions.join(' + ')} in the package; mappings/categories.yaml gives it ${mappingOptions.join(' + ')}`);
      }
    }
  }
  return problems;
}
