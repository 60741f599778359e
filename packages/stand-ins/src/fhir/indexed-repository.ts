// Medplum's MemoryRepository answers every search by scanning every resource of the type, so a conditional
// create or PUT (a search on `identifier=system|value`) gets slower with each resource stored, and a demo of
// a few thousand encounters would crawl. This keeps an index from identifier to resource for exactly that
// search; any other search goes to the repository as before. The answers are the same, only faster.
import type { SearchRequest, WithId } from '@medplum/core';
import { MemoryRepository } from '@medplum/fhir-router';
import type { Bundle, Resource } from '@medplum/fhirtypes';

type Keys = string[];

function identifierKeys(resource: Resource): Keys {
  const identifiers = (resource as { identifier?: { system?: string; value?: string }[] }).identifier ?? [];
  return identifiers.filter((i) => i.system !== undefined && i.value !== undefined).map((i) => `${resource.resourceType}|${i.system}|${i.value}`);
}

export class IndexedMemoryRepository extends MemoryRepository {
  private readonly byIdentifier = new Map<string, Set<string>>();
  private readonly keysOf = new Map<string, Keys>();

  override clear(): void {
    super.clear();
    this.byIdentifier.clear();
    this.keysOf.clear();
  }

  private unindex(resourceType: string, id: string): void {
    const reference = `${resourceType}/${id}`;
    for (const key of this.keysOf.get(reference) ?? []) this.byIdentifier.get(key)?.delete(id);
    this.keysOf.delete(reference);
  }

  private index(resource: WithId<Resource>): void {
    this.unindex(resource.resourceType, resource.id);
    const keys = identifierKeys(resource);
    for (const key of keys) {
      let ids = this.byIdentifier.get(key);
      if (!ids) this.byIdentifier.set(key, (ids = new Set()));
      ids.add(resource.id);
    }
    this.keysOf.set(`${resource.resourceType}/${resource.id}`, keys);
  }

  override async createResource<T extends Resource>(resource: T): Promise<WithId<T>> {
    const created = await super.createResource(resource);
    this.index(created);
    return created;
  }

  override async updateResource<T extends Resource>(resource: T, options?: Parameters<MemoryRepository['updateResource']>[1]): Promise<WithId<T>> {
    const updated = await super.updateResource(resource, options);
    this.index(updated);
    return updated;
  }

  override async deleteResource(resourceType: string, id: string): Promise<void> {
    await super.deleteResource(resourceType, id);
    this.unindex(resourceType, id);
  }

  override async search<T extends Resource>(request: SearchRequest<T>): Promise<Bundle<WithId<T>>> {
    const [filter, ...others] = request.filters ?? [];
    const plain = filter?.code === 'identifier' && filter.operator === 'eq' && others.length === 0 && !request.sortRules?.length && !filter.value.includes('\\') && !filter.value.includes(',');
    const bar = plain ? filter.value.indexOf('|') : -1;
    if (!plain || bar <= 0 || !request.resourceType) return super.search(request);
    const ids = [...(this.byIdentifier.get(`${request.resourceType}|${filter.value}`) ?? [])];
    const resources = await Promise.all(ids.map((id) => super.readResource<WithId<T>>(request.resourceType, id)));
    const page = resources.slice(request.offset ?? 0, (request.offset ?? 0) + (request.count ?? 20));
    return { resourceType: 'Bundle', type: 'searchset', entry: page.map((resource) => ({ resource })), ...(request.total ? { total: resources.length } : {}) };
  }
}
