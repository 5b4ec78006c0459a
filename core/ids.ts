let lastTime = -1;
let sequence = 0;

/**
 * A new id: a prefix naming the kind, then a suffix that sorts by creation order within this
 * process (time, then a sequence for ids made in the same millisecond), then random hex.
 */
export function newId(prefix: string, now: number = Date.now()): string {
  sequence = now === lastTime ? sequence + 1 : 0;
  lastTime = now;
  const time = now.toString(36).padStart(9, '0');
  const order = sequence.toString(36).padStart(4, '0');
  const random = Array.from(crypto.getRandomValues(new Uint8Array(6)), (byte) =>
    byte.toString(16).padStart(2, '0'),
  ).join('');
  return `${prefix}_${time}${order}${random}`;
}
