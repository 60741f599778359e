// The stand-in's datavalue table: one row per (dataElement, period, orgUnit, categoryOptionCombo,
// attributeOptionCombo), all UIDs, with soft delete as DHIS2 keeps it (reference/dhis2-web-api.md §1.7),
// plus the completedatasetregistration table: one row per (dataSet, period, orgUnit, attributeOptionCombo),
// written by a data value import with `completeDate` and by POST /api/completeDataSetRegistrations.
import type { DataValueKey, StoredDataValue } from './types.js';

export function keyOf(key: DataValueKey): string {
  return [key.dataElement, key.period, key.orgUnit, key.categoryOptionCombo, key.attributeOptionCombo].join('|');
}

export interface CompleteRegistration {
  dataSet: string;
  period: string;
  orgUnit: string;
  attributeOptionCombo: string;
  /** The registration's date as a day, `yyyy-MM-dd`. */
  completeDate: string;
  /** The same date as an instant (ISO); DHIS2 keeps a timestamp. */
  date: string;
  storedBy: string | null;
  lastUpdatedBy: string | null;
  lastUpdated: string;
  /** False for a registration posted with `completed: false` (kept, but not complete). */
  completed: boolean;
}

export class DataValueStore {
  private readonly rows = new Map<string, StoredDataValue>();
  private readonly registrations = new Map<string, CompleteRegistration>();

  /** The row for the key, soft-deleted or not (`DataValueBatchHandler.findObject`). */
  find(key: DataValueKey): StoredDataValue | undefined {
    return this.rows.get(keyOf(key));
  }

  put(row: StoredDataValue): void {
    this.rows.set(keyOf(row), { ...row });
  }

  rowsIncludingDeleted(): StoredDataValue[] {
    return [...this.rows.values()].map((row) => ({ ...row }));
  }

  clear(): void {
    this.rows.clear();
    this.registrations.clear();
  }

  register(registration: CompleteRegistration): void {
    this.registrations.set(
      [registration.dataSet, registration.period, registration.orgUnit, registration.attributeOptionCombo].join('|'),
      { ...registration },
    );
  }

  unregister(dataSet: string, period: string, orgUnit: string, attributeOptionCombo: string): boolean {
    return this.registrations.delete([dataSet, period, orgUnit, attributeOptionCombo].join('|'));
  }

  registration(dataSet: string, period: string, orgUnit: string, attributeOptionCombo: string): CompleteRegistration | undefined {
    return this.registrations.get([dataSet, period, orgUnit, attributeOptionCombo].join('|'));
  }

  allRegistrations(): CompleteRegistration[] {
    return [...this.registrations.values()].map((registration) => ({ ...registration }));
  }
}
