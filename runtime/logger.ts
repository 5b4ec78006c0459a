/** A log line's fields; never a token, password, secret, credential or kubeconfig content. */
export type LogFields = Record<string, string | number | boolean | null | undefined>;

/** The process logger (STYLE.md 13): JSON lines off a TTY, readable text on one. */
export interface Logger {
  info(message: string, fields?: LogFields): void;
  warn(message: string, fields?: LogFields): void;
  error(message: string, fields?: LogFields): void;
}

/**
 * Builds a logger writing to a stream (stdout by default). Lines logged in the same turn of the
 * event loop go out in one write: under load that is one system call per burst instead of one per
 * request. `flush` writes what is pending at once (before exit).
 */
export function createLogger(
  format: 'json' | 'text',
  write: (text: string) => void = (text) => process.stdout.write(text),
): Logger & { flush(): void } {
  let pending: string[] = [];
  const flush = () => {
    if (!pending.length) return;
    const text = pending.join('');
    pending = [];
    write(text);
  };
  const queue = (line: string) => {
    if (!pending.length) setImmediate(flush);
    pending.push(line);
  };
  const emit = (level: string, message: string, fields: LogFields = {}) => {
    const time = new Date().toISOString();
    if (format === 'json') {
      queue(`${JSON.stringify({ time, level, msg: message, ...fields })}\n`);
      return;
    }
    const rest = Object.entries(fields)
      .filter(([, value]) => value !== undefined)
      .map(([key, value]) => `${key}=${value}`)
      .join(' ');
    queue(`${time} ${level.toUpperCase().padEnd(5)} ${message}${rest ? ` ${rest}` : ''}\n`);
  };
  return {
    info: (message, fields) => emit('info', message, fields),
    warn: (message, fields) => emit('warn', message, fields),
    error: (message, fields) => emit('error', message, fields),
    flush,
  };
}

/** A logger that drops everything (tests). */
export const silentLogger: Logger = { info() {}, warn() {}, error() {} };
