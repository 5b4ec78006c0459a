/** A parsed command line: the command, its flags and leftover words. */
export interface CommandLine {
  command: string;
  flags: Record<string, string | boolean>;
  /** Repeatable flags, every value in order (`--account a --account b`). */
  lists: Record<string, string[]>;
}

/** How each command's flags are read: value flags take the next word; switches take none. */
export interface CommandSpec {
  summary: string;
  usage: string;
  values: string[];
  switches: string[];
  repeatable?: string[];
}

/** A command line that cannot be obeyed; the CLI prints it and exits 2. */
export class UsageError extends Error {
  override name = 'UsageError';
}

/** Parses `cws <command> [--flag value] [--switch]`, refusing unknown commands and flags. */
export function parseCommandLine(
  argv: string[],
  commands: Record<string, CommandSpec>,
  fallback: string,
): CommandLine {
  const [first, ...rest] = argv;
  const explicit = first !== undefined && !first.startsWith('-');
  const command = explicit ? (first as string) : fallback;
  const words = explicit ? rest : argv;
  const spec = commands[command];
  if (!spec) throw new UsageError(`unknown command "${command}"; run "cws help" for the list`);
  const flags: Record<string, string | boolean> = {};
  const lists: Record<string, string[]> = {};
  for (let index = 0; index < words.length; index += 1) {
    const word = words[index] as string;
    if (word === '--help' || word === '-h') {
      flags.help = true;
      continue;
    }
    const match = word.match(/^--([a-z][a-z-]*)(?:=(.*))?$/);
    if (!match)
      throw new UsageError(
        `unexpected argument "${word}" for "cws ${command}"; usage: ${spec.usage}`,
      );
    const name = match[1] as string;
    if (spec.switches.includes(name)) {
      if (match[2] !== undefined) throw new UsageError(`--${name} takes no value`);
      flags[name] = true;
    } else if (spec.values.includes(name)) {
      const value = match[2] ?? words[++index];
      if (value === undefined || value === '') throw new UsageError(`--${name} needs a value`);
      if (spec.repeatable?.includes(name)) (lists[name] ??= []).push(value);
      else flags[name] = value;
    } else {
      throw new UsageError(`unknown flag --${name} for "cws ${command}"; usage: ${spec.usage}`);
    }
  }
  return { command, flags, lists };
}
