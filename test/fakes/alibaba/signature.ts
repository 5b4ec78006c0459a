import { createHmac } from 'node:crypto';

/**
 * RFC 3986 percent-encoding as the RPC signature (version 1.0) defines it: everything but
 * `A-Z a-z 0-9 - _ . ~` is encoded, spaces as `%20`.
 */
export function percentEncode(value: string): string {
  return encodeURIComponent(value).replace(
    /[!'()*]/g,
    (char) => `%${char.charCodeAt(0).toString(16).toUpperCase()}`,
  );
}

/**
 * The HMAC-SHA1 signature of an RPC request: the parameters except `Signature`, sorted by name,
 * encoded and joined into the canonical query; then `METHOD&%2F&<encoded canonical query>` signed
 * with `<AccessKeySecret>&`, base64.
 */
export function signRpcRequest(
  method: string,
  params: Record<string, string>,
  accessKeySecret: string,
): string {
  const canonical = Object.keys(params)
    .filter((name) => name !== 'Signature')
    .sort()
    .map((name) => `${percentEncode(name)}=${percentEncode(params[name] as string)}`)
    .join('&');
  const stringToSign = `${method.toUpperCase()}&${percentEncode('/')}&${percentEncode(canonical)}`;
  return createHmac('sha1', `${accessKeySecret}&`).update(stringToSign).digest('base64');
}
