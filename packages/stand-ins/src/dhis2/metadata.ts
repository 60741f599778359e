// The metadata the stand-in validates data values against, loaded from `POST /api/metadata`-shaped JSON
// (reference/dhis2-web-api.md §5.2) and always holding DHIS2's default category model (§5.5). It answers
// the questions the import asks: find an object by an id scheme, which data sets hold a data element,
// which option combos belong to it, whether an org unit sits under another.
import { isPeriodTypeName, type PeriodTypeName } from './periods.js';
import type {
  AttributeValue,
  Dhis2DataInputPeriod,
  Dhis2MetadataPayload,
  IdentifiableFields,
  Ref,
} from './types.js';

export const DEFAULT_CATEGORY_OPTION = 'xYerKDKCefk';
export const DEFAULT_CATEGORY = 'GLevLNI9wkl';
export const DEFAULT_CATEGORY_COMBO = 'bjDvmb4bfuf';
export const DEFAULT_CATEGORY_OPTION_COMBO = 'HllvX50cXC0';

/** An identifier scheme (`uid`, `code`, `name`, `attribute:ID`), §1.2. */
export type IdScheme = { type: 'UID' } | { type: 'CODE' } | { type: 'NAME' } | { type: 'ATTRIBUTE'; attribute: string };

export const UID_SCHEME: IdScheme = { type: 'UID' };

/** `IdScheme.from`: case-insensitive; null when the text is not a scheme. */
export function parseIdScheme(text: string | undefined | null): IdScheme | null {
  if (text === undefined || text === null || text.trim() === '') return null;
  const upper = text.trim().toUpperCase();
  if (upper === 'UID' || upper === 'ID') return { type: 'UID' };
  if (upper === 'CODE') return { type: 'CODE' };
  if (upper === 'NAME') return { type: 'NAME' };
  if (upper.startsWith('ATTRIBUTE:')) return { type: 'ATTRIBUTE', attribute: text.trim().slice('attribute:'.length) };
  return null;
}

export interface Identifiable {
  id: string;
  code?: string;
  name?: string;
  attributeValues: AttributeValue[];
}

export interface DataElement extends Identifiable {
  valueType: string;
  aggregationType: string;
  zeroIsSignificant: boolean;
  categoryCombo: string;
}

export interface CategoryCombo extends Identifiable {
  categories: string[];
}

export interface Category extends Identifiable {
  categoryOptions: string[];
}

export interface CategoryOptionCombo extends Identifiable {
  categoryCombo: string;
  categoryOptions: string[];
}

export interface DataSet extends Identifiable {
  periodType: PeriodTypeName;
  categoryCombo: string;
  /** Data element UID → the category combo override of its data set element, if any. */
  dataSetElements: Map<string, string | undefined>;
  organisationUnits: Set<string>;
  openFuturePeriods: number;
  expiryDays: number;
  dataInputPeriods: { period: string; openingDate?: string; closingDate?: string }[];
}

export interface OrganisationUnit extends Identifiable {
  parent?: string;
  shortName?: string;
  openingDate?: string;
  closedDate?: string;
}

export type IdentifiableKind = 'dataElement' | 'organisationUnit' | 'categoryOptionCombo' | 'dataSet';

function identifiable(source: IdentifiableFields, kind: string): Identifiable {
  if (typeof source.id !== 'string' || source.id === '') {
    throw new Error(`every ${kind} in the metadata needs an id (the stand-in does not generate UIDs)`);
  }
  return { id: source.id, code: source.code, name: source.name, attributeValues: source.attributeValues ?? [] };
}

function ids(refs: Ref[] | undefined): string[] {
  return (refs ?? []).map((ref) => ref.id);
}

export class Metadata {
  readonly dataElements = new Map<string, DataElement>();
  readonly categoryCombos = new Map<string, CategoryCombo>();
  readonly categories = new Map<string, Category>();
  readonly categoryOptionCombos = new Map<string, CategoryOptionCombo>();
  readonly dataSets = new Map<string, DataSet>();
  readonly organisationUnits = new Map<string, OrganisationUnit>();
  /** Assignments declared on the org unit side (`organisationUnit.dataSets`). */
  private readonly orgUnitDataSets = new Map<string, Set<string>>();
  private readonly indexes = new Map<string, Map<string, Identifiable>>();
  private dataSetsByElement?: Map<string, DataSet[]>;
  private rootIds?: string[];
  private childIds?: Map<string, string[]>;
  /** The uid of every object loaded, per plural type name, the types the stand-in does not model included. */
  private readonly objectIds = new Map<string, Set<string>>();

  constructor() {
    this.load({
      categories: [{ id: DEFAULT_CATEGORY, name: 'default', code: 'default', categoryOptions: [{ id: DEFAULT_CATEGORY_OPTION }] }],
      categoryCombos: [{ id: DEFAULT_CATEGORY_COMBO, name: 'default', code: 'default', categories: [{ id: DEFAULT_CATEGORY }] }],
      categoryOptionCombos: [
        {
          id: DEFAULT_CATEGORY_OPTION_COMBO,
          name: 'default',
          code: 'default',
          categoryCombo: { id: DEFAULT_CATEGORY_COMBO },
          categoryOptions: [{ id: DEFAULT_CATEGORY_OPTION }],
        },
      ],
    });
  }

  /** Creates or replaces every object in the payload (import strategy CREATE_AND_UPDATE). */
  load(payload: Dhis2MetadataPayload): void {
    for (const [type, list] of Object.entries(payload)) {
      if (!Array.isArray(list)) continue;
      const ids = this.objectIds.get(type) ?? new Set<string>();
      this.objectIds.set(type, ids);
      for (const object of list as { id?: unknown }[]) if (typeof object?.id === 'string') ids.add(object.id);
    }
    for (const source of payload.categories ?? []) {
      this.categories.set(source.id, { ...identifiable(source, 'category'), categoryOptions: ids(source.categoryOptions) });
    }
    for (const source of payload.categoryCombos ?? []) {
      this.categoryCombos.set(source.id, { ...identifiable(source, 'categoryCombo'), categories: ids(source.categories) });
    }
    for (const source of payload.categoryOptionCombos ?? []) {
      this.categoryOptionCombos.set(source.id, {
        ...identifiable(source, 'categoryOptionCombo'),
        categoryCombo: source.categoryCombo?.id ?? DEFAULT_CATEGORY_COMBO,
        categoryOptions: ids(source.categoryOptions),
      });
    }
    for (const source of payload.dataElements ?? []) {
      this.dataElements.set(source.id, {
        ...identifiable(source, 'dataElement'),
        valueType: source.valueType ?? 'TEXT',
        aggregationType: source.aggregationType ?? 'SUM',
        zeroIsSignificant: source.zeroIsSignificant ?? false,
        categoryCombo: source.categoryCombo?.id ?? DEFAULT_CATEGORY_COMBO,
      });
    }
    for (const source of payload.organisationUnits ?? []) {
      this.organisationUnits.set(source.id, {
        ...identifiable(source, 'organisationUnit'),
        parent: source.parent?.id,
        shortName: source.shortName,
        openingDate: source.openingDate,
        closedDate: source.closedDate,
      });
      if (source.dataSets) this.orgUnitDataSets.set(source.id, new Set(ids(source.dataSets)));
    }
    for (const source of payload.dataSets ?? []) {
      const periodType = source.periodType;
      if (!isPeriodTypeName(periodType)) throw new Error(`data set ${source.id}: unknown periodType ${String(periodType)}`);
      this.dataSets.set(source.id, {
        ...identifiable(source, 'dataSet'),
        periodType,
        categoryCombo: source.categoryCombo?.id ?? DEFAULT_CATEGORY_COMBO,
        dataSetElements: new Map((source.dataSetElements ?? []).map((dse) => [dse.dataElement.id, dse.categoryCombo?.id])),
        organisationUnits: new Set(ids(source.organisationUnits)),
        openFuturePeriods: source.openFuturePeriods ?? 0,
        expiryDays: source.expiryDays ?? 0,
        dataInputPeriods: (source.dataInputPeriods ?? []).map((dip: Dhis2DataInputPeriod) => ({
          period: dip.period.id,
          openingDate: dip.openingDate,
          closingDate: dip.closingDate,
        })),
      });
    }
    this.generateMissingOptionCombos();
    this.indexes.clear();
    this.dataSetsByElement = undefined;
    this.rootIds = undefined;
    this.childIds = undefined;
  }

  /** Whether an object of this type (plural schema name, e.g. `indicators`) with this uid is stored. */
  hasObject(type: string, id: string): boolean {
    return this.objectIds.get(type)?.has(id) === true;
  }

  /** DHIS2 generates the option combos of a combo itself (§5.2); do the same when a payload leaves them out. */
  private generateMissingOptionCombos(): void {
    for (const combo of this.categoryCombos.values()) {
      if ([...this.categoryOptionCombos.values()].some((coc) => coc.categoryCombo === combo.id)) continue;
      let product: string[][] = [[]];
      for (const categoryId of combo.categories) {
        const options = this.categories.get(categoryId)?.categoryOptions ?? [];
        product = product.flatMap((prefix) => options.map((option) => [...prefix, option]));
      }
      for (const options of product) {
        if (options.length === 0) continue;
        const id = generatedUid(`${combo.id}:${options.join(',')}`);
        this.categoryOptionCombos.set(id, { id, attributeValues: [], categoryCombo: combo.id, categoryOptions: options });
      }
    }
  }

  private collection(kind: IdentifiableKind): Map<string, Identifiable> {
    switch (kind) {
      case 'dataElement':
        return this.dataElements;
      case 'organisationUnit':
        return this.organisationUnits;
      case 'categoryOptionCombo':
        return this.categoryOptionCombos;
      case 'dataSet':
        return this.dataSets;
    }
  }

  /** The object whose identifier under `scheme` is `identifier` (`IdentifiableObjectManager.getObject`). */
  find<K extends IdentifiableKind>(kind: K, identifier: string | null | undefined, scheme: IdScheme): KindMap[K] | undefined {
    if (identifier === null || identifier === undefined) return undefined;
    const collection = this.collection(kind);
    if (scheme.type === 'UID') return collection.get(identifier) as KindMap[K] | undefined;
    const indexKey = `${kind}|${scheme.type}|${scheme.type === 'ATTRIBUTE' ? scheme.attribute : ''}`;
    let index = this.indexes.get(indexKey);
    if (!index) {
      index = new Map();
      for (const object of collection.values()) {
        const key = identifierUnder(object, scheme);
        if (key !== undefined && !index.has(key)) index.set(key, object);
      }
      this.indexes.set(indexKey, index);
    }
    return index.get(identifier) as KindMap[K] | undefined;
  }

  dataSetsOf(dataElementId: string): DataSet[] {
    if (!this.dataSetsByElement) {
      this.dataSetsByElement = new Map();
      for (const dataSet of this.dataSets.values()) {
        for (const id of dataSet.dataSetElements.keys()) {
          const list = this.dataSetsByElement.get(id) ?? [];
          list.push(dataSet);
          this.dataSetsByElement.set(id, list);
        }
      }
    }
    return this.dataSetsByElement.get(dataElementId) ?? [];
  }

  isAssigned(dataSet: DataSet, orgUnitId: string): boolean {
    return dataSet.organisationUnits.has(orgUnitId) || (this.orgUnitDataSets.get(orgUnitId)?.has(dataSet.id) ?? false);
  }

  /** `DataElement.getCategoryOptionCombos`: the combos of its own category combo and of data set overrides. */
  optionCombosOfDataElement(dataElement: DataElement): Set<string> {
    const combos = new Set([dataElement.categoryCombo]);
    for (const dataSet of this.dataSetsOf(dataElement.id)) {
      const override = dataSet.dataSetElements.get(dataElement.id);
      if (override) combos.add(override);
    }
    return this.optionCombosOfCombos(combos);
  }

  /** `DataElement.getDataSetCategoryOptionCombos`: the attribute option combos its data sets allow. */
  attributeOptionCombosOfDataElement(dataElement: DataElement): Set<string> {
    return this.optionCombosOfCombos(new Set(this.dataSetsOf(dataElement.id).map((dataSet) => dataSet.categoryCombo)));
  }

  private optionCombosOfCombos(combos: Set<string>): Set<string> {
    const result = new Set<string>();
    for (const coc of this.categoryOptionCombos.values()) if (combos.has(coc.categoryCombo)) result.add(coc.id);
    return result;
  }

  /** `OrganisationUnit.hasDataElement`: some data set assigned to the org unit holds the element. */
  orgUnitHasDataElement(orgUnitId: string, dataElementId: string): boolean {
    return this.dataSetsOf(dataElementId).some((dataSet) => this.isAssigned(dataSet, orgUnitId));
  }

  /** True when the org unit is one of `ancestors` or lies below one of them. */
  isDescendant(orgUnitId: string, ancestors: ReadonlySet<string>): boolean {
    const seen = new Set<string>();
    for (let current: string | undefined = orgUnitId; current !== undefined && !seen.has(current); ) {
      if (ancestors.has(current)) return true;
      seen.add(current);
      current = this.organisationUnits.get(current)?.parent;
    }
    return false;
  }

  /** The org unit's ancestors, root first (a parent missing from the store ends the chain). */
  ancestorsOf(orgUnitId: string): string[] {
    const chain: string[] = [];
    const seen = new Set([orgUnitId]);
    for (let parent = this.organisationUnits.get(orgUnitId)?.parent; parent !== undefined && this.organisationUnits.has(parent) && !seen.has(parent); ) {
      chain.unshift(parent);
      seen.add(parent);
      parent = this.organisationUnits.get(parent)?.parent;
    }
    return chain;
  }

  /** `OrganisationUnit.getPath`: `/rootUid/…/uid`, as DHIS2 stores it (OrganisationUnit.updatePath). */
  pathOf(orgUnitId: string): string {
    return `/${[...this.ancestorsOf(orgUnitId), orgUnitId].join('/')}`;
  }

  /** `OrganisationUnit.getLevel`: 1 for a root, one more per step down (the path's segment count). */
  levelOf(orgUnitId: string): number {
    return this.ancestorsOf(orgUnitId).length + 1;
  }

  /** The org units whose parent this is, in load order. */
  childrenOf(orgUnitId: string): string[] {
    if (!this.childIds) {
      this.childIds = new Map();
      for (const unit of this.organisationUnits.values()) {
        if (unit.parent === undefined) continue;
        const list = this.childIds.get(unit.parent) ?? [];
        list.push(unit.id);
        this.childIds.set(unit.parent, list);
      }
    }
    return this.childIds.get(orgUnitId) ?? [];
  }

  /** The org unit and every org unit below it (`getOrganisationUnitWithChildren`). */
  withDescendants(orgUnitId: string): string[] {
    const out: string[] = [];
    const visit = (id: string, seen: Set<string>): void => {
      if (seen.has(id)) return;
      seen.add(id);
      out.push(id);
      for (const child of this.childrenOf(id)) visit(child, seen);
    };
    visit(orgUnitId, new Set());
    return out;
  }

  /** Org units without a parent: the whole hierarchy hangs below them. */
  roots(): string[] {
    this.rootIds ??= [...this.organisationUnits.values()].filter((ou) => ou.parent === undefined).map((ou) => ou.id);
    return this.rootIds;
  }
}

interface KindMap {
  dataElement: DataElement;
  organisationUnit: OrganisationUnit;
  categoryOptionCombo: CategoryOptionCombo;
  dataSet: DataSet;
}

/** How an object is named under a scheme; used both to find objects and to write them out. */
export function identifierUnder(object: Identifiable, scheme: IdScheme): string | undefined {
  switch (scheme.type) {
    case 'UID':
      return object.id;
    case 'CODE':
      return object.code;
    case 'NAME':
      return object.name;
    case 'ATTRIBUTE':
      return object.attributeValues.find((av) => av.attribute.id === scheme.attribute)?.value;
  }
}

const UID_ALPHABET = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789';

/** A stable 11-character UID (`^[a-zA-Z][a-zA-Z0-9]{10}$`, §5.4) derived from a text. */
function generatedUid(seed: string): string {
  let hash = 2166136261;
  let uid = '';
  for (let position = 0; position < 11; position++) {
    for (const char of `${seed}#${position}`) hash = Math.imul(hash ^ char.charCodeAt(0), 16777619) >>> 0;
    uid += UID_ALPHABET[hash % (position === 0 ? 52 : 62)];
  }
  return uid;
}
