import * as v from 'valibot';
import { isSenderAddress } from '../../core/notify/smtp-settings';
import type { Handler } from '../context';
import { json, readJsonBody, validate } from '../http';
import { boundedInteger, nonEmptyPatch } from '../schemas';

const Text = (max: number) =>
  v.pipe(
    v.string('must be a string'),
    v.trim(),
    v.minLength(1, 'must not be empty'),
    v.maxLength(max, `must be at most ${max} characters`),
    v.regex(/^[^\r\n]*$/, 'must be one line'),
  );

/** PATCH body: any subset; `user` and `password` take null (or '') to clear them. */
export const SmtpSettingsPatch = nonEmptyPatch(
  v.strictObject(
    {
      host: v.optional(
        v.pipe(Text(253), v.regex(/^[A-Za-z0-9.:[\]_-]+$/, 'must be a host name or an IP address')),
      ),
      port: v.optional(boundedInteger(1, 65535)),
      secure: v.optional(v.boolean('must be true or false')),
      user: v.optional(v.nullable(v.pipe(v.string('must be a string'), v.maxLength(256)))),
      password: v.optional(v.nullable(v.pipe(v.string('must be a string'), v.maxLength(1024)))),
      from: v.optional(
        v.pipe(
          Text(320),
          v.check(isSenderAddress, 'must be an e-mail address, optionally as "Name <address>"'),
        ),
      ),
    },
    'is not an SMTP setting',
  ),
);

/** Changes the SMTP settings; the answer never carries the password. */
export const updateSmtpSettings: Handler = async (request, { services }) => {
  const body = await readJsonBody(request);

  const patch = validate(SmtpSettingsPatch, body);

  const view = await services.smtp.update(patch, services.clock());
  await services.audit.record({
    action: 'settings.updated',
    target: 'settings/smtp',
    details: { fields: Object.keys(patch) },
  });

  return json(view);
};
