/** A log line's fields; never a token, password, secret, credential or kubeconfig content. */
export type LogFields = Record<string, string | number | boolean | null | undefined>;

/** The process logger (STYLE.md 13): JSON lines off a TTY, readable text on one. */
export interface Logger {
  info(message: string, fields?: LogFields): void;
  warn(message: string, fields?: LogFields): void;
  error(message: string, fields?: LogFields): void;
}

/** Builds a logger writing to a stream (stdout by default). */
export function createLogger(
  format: 'json' | 'text',
  write: (line: string) => void = (line) => process.stdout.write(line),
): Logger {
  const emit = (level: string, message: string, fields: LogFields = {}) => {
    const time = new Date().toISOString();
    if (format === 'json') {
      write(`${JSON.stringify({ time, level, msg: message, ...fields })}\n`);
      return;
    }
    const rest = Object.entries(fields)
      .filter(([, value]) => value !== undefined)
      .map(([key, value]) => `${key}=${value}`)
      .join(' ');
    write(`${time} ${level.toUpperCase().padEnd(5)} ${message}${rest ? ` ${rest}` : ''}\n`);
  };
  return {
    info: (message, fields) => emit('info', message, fields),
    warn: (message, fields) => emit('warn', message, fields),
    error: (message, fields) => emit('error', message, fields),
  };
}

/** A logger that drops everything (tests). */
export const silentLogger: Logger = { info() {}, warn() {}, error() {} };
