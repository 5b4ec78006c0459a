import * as v from 'valibot';
import type { Handler } from '../context';
import { json } from '../http';

/** The SMTP settings; the password is write-only, so only `has_password` says whether one is set. */
export const SmtpSettingsResponse = v.object({
  configured: v.boolean(),
  host: v.nullable(v.string()),
  port: v.number(),
  secure: v.boolean(),
  user: v.nullable(v.string()),
  from: v.nullable(v.string()),
  has_password: v.boolean(),
  updated_at: v.nullable(v.string()),
});

/** Returns the SMTP settings report e-mails and e-mail channels use. */
export const getSmtpSettings: Handler = (_request, { services }) => {
  return json(services.smtp.view());
};
