import * as v from 'valibot';
import { listErrorCatalogue } from '../../core/errors';
import type { Handler } from '../context';
import { json } from '../http';

/** One catalogue entry. */
export const ErrorCatalogueEntry = v.object({
  code: v.string(),
  http_status: v.number(),
  title: v.string(),
  remedy: v.string(),
});

/** The whole catalogue. */
export const ErrorCatalogueResponse = v.array(ErrorCatalogueEntry);

/** Lists every error code the API answers with, its status and what to do about it. */
export const listErrors: Handler = () => {
  return json(listErrorCatalogue());
};
