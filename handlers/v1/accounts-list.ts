import * as v from 'valibot';
import type { Handler } from '../context';
import { json } from '../http';

/** One scannable account; never any credential. */
export const AccountSchema = v.object({
  id: v.string(),
  provider: v.string(),
  name: v.string(),
  source: v.string(),
  regions: v.optional(v.array(v.string())),
});

/** Lists every scannable account as a plain array. */
export const listAccounts: Handler = async (_request, { services }) => {
  const accounts = await services.listAccounts();

  return json(
    accounts.map(({ id, provider, name, source, regions }) => ({
      id,
      provider,
      name,
      source,
      ...(regions.length ? { regions } : {}),
    })),
  );
};
