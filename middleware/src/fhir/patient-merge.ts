// What this source owns on a shared Patient, and how its view is merged into the copy the FHIR server holds
// (a client registry or another source may have added identifiers, telecom, addresses, links…). Pure.
//
// The Patient is a shared record: the bridge updates only what it owns and never touches anything else.
// It owns a value it put there itself, per slot:
// - an identifier, by system|value: added when the server lacks it; one this source added and no longer
//   sends is removed; an identifier someone else holds (a national identifier the encounter also carries) is
//   never owned, so never removed;
// - a name by its `use`, a telecom by `system`+`use`, an address by `use`: this source's value is added when
//   the server has none for that slot, and replaced (or removed, when no longer sent) only while the server
//   still holds exactly what this source put there; a value another source put in the slot is left as it is;
// - gender, birthDate (with its estimated-date extension): set when the server has none, replaced only while
//   the server still holds this source's value.
// Everything else (other identifiers, names, telecoms and addresses, links, contacts, extensions, managing
// organisation, generalPractitioner, `active` once set) is never touched. What it owns is kept per patient by
// the delivery (delivery/fhir/sent-records.ts) and comes back here as `owned`.
import type { Address, ContactPoint, HumanName, Identifier, Patient } from '@medplum/fhirtypes';

/** What this source put on the Patient, slot by slot (JSON-safe, stored per patient). */
export interface OwnedPatientSlots {
  /** `system|value` of the identifiers this source added. */
  identifiers: string[];
  /** name by use → the name this source put there. */
  names: Record<string, HumanName>;
  /** `system|use` → the telecom this source put there. */
  telecom: Record<string, ContactPoint>;
  /** address by use → the address this source put there. */
  addresses: Record<string, Address>;
  gender?: string;
  /** birthDate and its `_birthDate` element, as this source put them. */
  birthDate?: { birthDate: string; _birthDate?: unknown };
}

export const NOTHING_OWNED: OwnedPatientSlots = { identifiers: [], names: {}, telecom: {}, addresses: {} };

const identifierKey = (identifier: Identifier) => `${identifier.system ?? ''}|${identifier.value ?? ''}`;
const nameKey = (name: HumanName) => name.use ?? '';
const telecomKey = (contact: ContactPoint) => `${contact.system ?? ''}|${contact.use ?? ''}`;
const addressKey = (address: Address) => address.use ?? '';

/** Deep equality of JSON values, ignoring key order. */
function same(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  const keysA = Object.keys(a as object).filter((key) => (a as Record<string, unknown>)[key] !== undefined);
  const keysB = Object.keys(b as object).filter((key) => (b as Record<string, unknown>)[key] !== undefined);
  return keysA.length === keysB.length && keysA.every((key) => same((a as Record<string, unknown>)[key], (b as Record<string, unknown>)[key]));
}

/** The slots this source owns when it creates the Patient itself: everything it sends. */
export function slotsOf(ours: Patient): OwnedPatientSlots {
  return {
    identifiers: (ours.identifier ?? []).map(identifierKey),
    names: Object.fromEntries((ours.name ?? []).map((name) => [nameKey(name), name])),
    telecom: Object.fromEntries((ours.telecom ?? []).map((contact) => [telecomKey(contact), contact])),
    addresses: Object.fromEntries((ours.address ?? []).map((address) => [addressKey(address), address])),
    ...(ours.gender !== undefined ? { gender: ours.gender } : {}),
    ...(ours.birthDate !== undefined ? { birthDate: { birthDate: ours.birthDate, ...((ours as { _birthDate?: unknown })._birthDate ? { _birthDate: (ours as { _birthDate?: unknown })._birthDate } : {}) } } : {}),
  };
}

/** Merges one multi-valued element slot by slot (see the header): returns the new list and what is owned. */
function mergeSlots<T>(server: readonly T[], ours: readonly T[], owned: Record<string, T>, keyOf: (value: T) => string): { values: T[]; owned: Record<string, T> } {
  const oursByKey = new Map(ours.map((value) => [keyOf(value), value]));
  const nowOwned: Record<string, T> = {};
  const values: T[] = [];
  const handled = new Set<string>();
  for (const value of server) {
    const key = keyOf(value);
    const mine = owned[key] !== undefined && same(owned[key], value);
    if (!mine) {
      values.push(value); // someone else's: never touched
      if (oursByKey.has(key)) handled.add(key); // the slot is taken by another source: ours stands aside
      continue;
    }
    if (handled.has(key)) continue;
    handled.add(key);
    const replacement = oursByKey.get(key);
    if (replacement !== undefined) {
      values.push(replacement);
      nowOwned[key] = replacement;
    } // no longer sent: removed, this source having put it there
  }
  for (const [key, value] of oursByKey) {
    if (handled.has(key)) continue;
    values.push(value);
    nowOwned[key] = value;
  }
  return { values, owned: nowOwned };
}

export interface PatientMerge {
  patient: Patient;
  owned: OwnedPatientSlots;
  /** False when the merge leaves the server's copy as it was: nothing to send. */
  changed: boolean;
}

/**
 * This source's view (`ours`, as the encounter Bundle builds it) merged into the server's copy, given what
 * this source owned before. The result keeps the server's id; meta is left for the server to set.
 */
export function mergePatient(server: Patient, ours: Patient, owned: OwnedPatientSlots = NOTHING_OWNED): PatientMerge {
  const { meta: _meta, ...kept } = server;
  const merged: Patient = { ...kept };

  // Identifiers: every one the server holds stays unless this source added it and no longer sends it.
  const ourIdentifiers = new Map((ours.identifier ?? []).map((identifier) => [identifierKey(identifier), identifier]));
  const ownedIdentifiers = new Set(owned.identifiers);
  const identifiers: Identifier[] = [];
  const nowOwnedIdentifiers: string[] = [];
  const present = new Set<string>();
  for (const identifier of server.identifier ?? []) {
    const key = identifierKey(identifier);
    if (ownedIdentifiers.has(key) && !ourIdentifiers.has(key)) continue;
    identifiers.push(identifier);
    present.add(key);
    if (ownedIdentifiers.has(key)) nowOwnedIdentifiers.push(key);
  }
  for (const [key, identifier] of ourIdentifiers) {
    if (present.has(key)) continue;
    identifiers.push(identifier);
    present.add(key);
    nowOwnedIdentifiers.push(key);
  }
  if (identifiers.length > 0) merged.identifier = identifiers;
  else delete merged.identifier;

  const names = mergeSlots(server.name ?? [], ours.name ?? [], owned.names, nameKey);
  const telecom = mergeSlots(server.telecom ?? [], ours.telecom ?? [], owned.telecom, telecomKey);
  const addresses = mergeSlots(server.address ?? [], ours.address ?? [], owned.addresses, addressKey);
  const put = <K extends 'name' | 'telecom' | 'address'>(key: K, values: NonNullable<Patient[K]>) => {
    if (values.length > 0) merged[key] = values;
    else delete merged[key];
  };
  put('name', names.values);
  put('telecom', telecom.values);
  put('address', addresses.values);

  const nowOwned: OwnedPatientSlots = { identifiers: nowOwnedIdentifiers, names: names.owned, telecom: telecom.owned, addresses: addresses.owned };

  // Single values: set when absent, replaced or removed only while the server holds this source's value.
  const serverGender = server.gender;
  if (serverGender === undefined || serverGender === owned.gender) {
    if (ours.gender !== undefined) {
      merged.gender = ours.gender;
      nowOwned.gender = ours.gender;
    } else if (serverGender !== undefined) delete merged.gender;
  }
  const serverBirth = server.birthDate === undefined ? undefined : { birthDate: server.birthDate, ...((server as { _birthDate?: unknown })._birthDate ? { _birthDate: (server as { _birthDate?: unknown })._birthDate } : {}) };
  const ourBirth = slotsOf(ours).birthDate;
  if (serverBirth === undefined || (owned.birthDate !== undefined && same(serverBirth, owned.birthDate))) {
    const target = merged as Patient & { _birthDate?: unknown };
    delete target.birthDate;
    delete target._birthDate;
    if (ourBirth !== undefined) {
      target.birthDate = ourBirth.birthDate;
      if (ourBirth._birthDate !== undefined) target._birthDate = ourBirth._birthDate;
      nowOwned.birthDate = ourBirth;
    }
  }
  if (merged.active === undefined && ours.active !== undefined) merged.active = ours.active;

  return { patient: merged, owned: nowOwned, changed: !same(merged, kept) };
}
