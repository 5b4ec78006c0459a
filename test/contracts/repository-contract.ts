import { describe, expect, it } from 'bun:test';
import type { Page, PageRequest } from '../../core/pagination';
import { Store } from '../../storage/database';

/** A repository opened on a fresh store, seen through the three calls the contract needs. */
export interface RepositoryUnderTest {
  /** Makes the i-th row through the repository's own API; resolves to its id once written. */
  create(i: number): Promise<string>;
  /** One page of the repository's keyset-paginated list. */
  list(page: PageRequest): Page<{ id: string }>;
  /** Reads one row by id, where the repository has such a lookup. */
  get?(id: string): unknown;
}

/** What one repository brings to the contract. */
export interface RepositoryHarness {
  /** Opens the repository (and any parent rows its rows need) on a fresh in-memory store. */
  open(store: Store): Promise<RepositoryUnderTest>;
  /** Why the repository has no lookup by id, when it has none. */
  noGet?: string;
}

/**
 * Sort keys of the i-th row: ten distinct values, each shared by several rows so that the id must
 * break ties, and rows made while paging land anywhere in the order, not only at its end.
 */
export function sortRankOf(i: number): number {
  return (i * 7) % 10;
}

/** An RFC 3339 time for the i-th row, from its sort rank. */
export function rowTimeOf(i: number): string {
  return new Date(Date.UTC(2026, 11, 1, 0, 0, sortRankOf(i))).toISOString();
}

const ROWS = 23;
const PAGE = 5;
/** The largest page the API allows; more than every row of these tests. */
const ALL = 250;

/**
 * The repository contract: every keyset-paginated repository pages, orders and reads the same
 * way, on a fresh in-memory store per test.
 */
export function describeRepositoryContract(name: string, harness: RepositoryHarness): void {
  const open = async () => harness.open(await Store.open());

  const createRows = async (repository: RepositoryUnderTest, from: number, count: number) => {
    const ids: string[] = [];
    for (let i = from; i < from + count; i += 1) ids.push(await repository.create(i));
    return ids;
  };

  /** Every page from the start, with `between` run after each page that has a next one. */
  const pageThrough = async (
    repository: RepositoryUnderTest,
    limit: number,
    between: () => Promise<void> = async () => {},
  ) => {
    const pages: Array<Page<{ id: string }>> = [];
    let after: PageRequest['after'];
    do {
      const page = repository.list({ limit, ...(after ? { after } : {}) });
      pages.push(page);
      after = page.next;
      if (after) await between();
    } while (after && pages.length <= ROWS * 4);
    return pages;
  };

  const idsOf = (pages: Array<Page<{ id: string }>>) =>
    pages.flatMap((page) => page.items.map((item) => item.id));

  describe(`${name} repository contract`, () => {
    it('pages through every row exactly once, in the order of one whole page', async () => {
      const repository = await open();
      const created = await createRows(repository, 0, ROWS);
      const pages = await pageThrough(repository, PAGE);
      const paged = idsOf(pages);
      expect(new Set(paged).size).toBe(paged.length);
      expect([...paged].sort()).toEqual([...created].sort());
      expect(paged).toEqual(repository.list({ limit: ALL }).items.map((item) => item.id));
      expect(idsOf(await pageThrough(repository, PAGE))).toEqual(paged);
    });

    it('neither repeats nor skips existing rows when rows are added while paging', async () => {
      const repository = await open();
      const existing = await createRows(repository, 0, ROWS);
      let next = ROWS;
      const added: string[] = [];
      const pages = await pageThrough(repository, 4, async () => {
        added.push(...(await createRows(repository, next, 2)));
        next += 2;
      });
      expect(added.length).toBeGreaterThan(0);
      const seen = idsOf(pages);
      expect(new Set(seen).size).toBe(seen.length);
      for (const id of existing) expect(seen.filter((one) => one === id)).toEqual([id]);
      const known = new Set([...existing, ...added]);
      expect(seen.every((id) => known.has(id))).toBe(true);
    });

    it('honours the limit and says where the next page starts', async () => {
      const repository = await open();
      await createRows(repository, 0, 10);
      for (const limit of [1, 3, 7]) {
        const pages = await pageThrough(repository, limit);
        expect(pages.length).toBe(Math.ceil(10 / limit));
        for (const page of pages.slice(0, -1)) {
          expect(page.items.length).toBe(limit);
          expect(page.next).toBeDefined();
        }
        expect(pages.at(-1)?.next).toBeUndefined();
      }
      const whole = repository.list({ limit: 10 });
      expect(whole.items.length).toBe(10);
      expect(whole.next).toBeUndefined();
    });

    it('gives an empty page with no next for an empty table', async () => {
      const repository = await open();
      expect(repository.list({ limit: PAGE })).toEqual({ items: [] });
    });

    it('resolves a write, after which the row is listed', async () => {
      const repository = await open();
      const id = await repository.create(0);
      expect(typeof id).toBe('string');
      expect(repository.list({ limit: PAGE }).items.map((item) => item.id)).toEqual([id]);
    });

    if (harness.noGet) {
      it.skip(`reads rows by id (not applicable: ${harness.noGet})`, () => {});
    } else {
      it('reads a row by id and answers undefined for an unknown id', async () => {
        const repository = await open();
        const id = await repository.create(0);
        const get = repository.get as (id: string) => unknown;
        expect(get(id)).toMatchObject({ id });
        expect(get('unknown_0000000000000')).toBeUndefined();
      });
    }
  });
}
