import type { Handler } from '../context';

/** Sends the report's bytes as an attachment under its file name. */
export const downloadReport: Handler = async (_request, { params, services }) => {
  const id = params.id as string;

  const { report, bytes } = await services.reports.open(id);

  return new Response(bytes, {
    headers: {
      'content-type': report.content_type,
      'content-length': String(bytes.byteLength),
      'content-disposition': `attachment; filename="${report.filename}"`,
      // An HTML report opened from the API must stay a document: no sniffing, no script.
      'x-content-type-options': 'nosniff',
      'content-security-policy': "default-src 'none'; style-src 'unsafe-inline'",
      'cache-control': 'no-store',
    },
  });
};
