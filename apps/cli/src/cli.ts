import { compilePlaybook, type Diagnostic, playbookJsonSchema, simulate, simulationInputSchema } from '@cairn/playbook';
import { formatDiagnostic, summary } from './format';
import type { CliIo } from './io';

/** Exit codes: 0 valid, 1 invalid playbook, 2 usage error or unreadable file. */
export const EXIT = { ok: 0, invalid: 1, usage: 2 } as const;

const USAGE = `usage: cairn <command> [options]

  validate <file...> [--json]   check playbooks; exit 0 valid, 1 invalid, 2 unreadable
  compile <file>                print the executable plan (JSON) with its timeline
  simulate <file> [--account <json|file>] [--events <json|file>] [--decisions <json|file>] [--json]
                                what would fire, when and why, for one account
  schema                        print the JSON Schema of *.playbook.json
  help                          show this help`;

type Loaded = { ok: true; json: unknown } | { ok: false; problem: string };

function load(io: CliIo, file: string): Loaded {
  let text: string;
  try {
    text = io.readFile(file);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    return { ok: false, problem: code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'is a directory' : `cannot be read (${code ?? 'unknown error'})` };
  }
  try {
    return { ok: true, json: JSON.parse(text) };
  } catch (error) {
    return { ok: false, problem: `is not JSON: ${(error as Error).message}` };
  }
}

function validate(io: CliIo, files: string[], asJson: boolean): number {
  if (!files.length) return usage(io, 'validate needs at least one file');
  const results: Array<{ file: string; valid: boolean; diagnostics: Diagnostic[]; error?: string }> = [];
  for (const file of files) {
    const loaded = load(io, file);
    if (!loaded.ok) {
      results.push({ file, valid: false, diagnostics: [], error: loaded.problem });
      continue;
    }
    const result = compilePlaybook(loaded.json);
    results.push({ file, valid: result.ok, diagnostics: result.diagnostics });
  }
  if (asJson) io.out(JSON.stringify(results, null, 2));
  else {
    for (const r of results) {
      if (r.error) io.err(`${r.file}: ${r.error}`);
      else io.out([summary(r.file, r.diagnostics), ...r.diagnostics.map(formatDiagnostic)].join('\n'));
    }
  }
  if (results.some((r) => r.error)) return EXIT.usage;
  return results.every((r) => r.valid) ? EXIT.ok : EXIT.invalid;
}

function compile(io: CliIo, files: string[]): number {
  if (files.length !== 1) return usage(io, 'compile takes exactly one file');
  const loaded = load(io, files[0]);
  if (!loaded.ok) {
    io.err(`${files[0]}: ${loaded.problem}`);
    return EXIT.usage;
  }
  const result = compilePlaybook(loaded.json);
  if (!result.ok) {
    io.err([summary(files[0], result.diagnostics), ...result.diagnostics.map(formatDiagnostic)].join('\n'));
    return EXIT.invalid;
  }
  for (const warning of result.diagnostics) io.err(formatDiagnostic(warning));
  io.out(JSON.stringify(result.plan, null, 2));
  return EXIT.ok;
}

/** A JSON option given inline (`'{"segment":"smb"}'`) or as a file path. */
function jsonOption(io: CliIo, value: string | undefined, name: string): Loaded {
  if (value === undefined) return { ok: true, json: undefined };
  if (/^\s*[[{]/.test(value)) {
    try {
      return { ok: true, json: JSON.parse(value) };
    } catch (error) {
      return { ok: false, problem: `--${name} is not JSON: ${(error as Error).message}` };
    }
  }
  const loaded = load(io, value);
  return loaded.ok ? loaded : { ok: false, problem: `--${name} ${value}: ${loaded.problem}` };
}

function simulateCommand(io: CliIo, files: string[], options: Map<string, string>, asJson: boolean): number {
  if (files.length !== 1) return usage(io, 'simulate takes exactly one file');
  const loaded = load(io, files[0]);
  if (!loaded.ok) {
    io.err(`${files[0]}: ${loaded.problem}`);
    return EXIT.usage;
  }
  const parts: Record<string, unknown> = {};
  for (const name of ['account', 'events', 'decisions']) {
    const option = jsonOption(io, options.get(name), name);
    if (!option.ok) return usage(io, option.problem);
    if (option.json !== undefined) parts[name] = option.json;
  }
  const input = simulationInputSchema.safeParse(parts);
  if (!input.success) return usage(io, input.error.issues.map((i) => `--${i.path.join('.')}: ${i.message}`).join('; '));
  const compiled = compilePlaybook(loaded.json);
  if (!compiled.ok) {
    io.err([summary(files[0], compiled.diagnostics), ...compiled.diagnostics.map(formatDiagnostic)].join('\n'));
    return EXIT.invalid;
  }
  const result = simulate(compiled.plan, input.data);
  if (asJson) io.out(JSON.stringify(result, null, 2));
  else {
    const lines = result.entries.map((e) => `day ${e.day.toFixed(2).padStart(7)}  ${e.what.padEnd(7)}  ${e.label.padEnd(28)} ${e.handle ? `→ ${e.handle.padEnd(10)} ` : ''}${e.reason}`);
    io.out([...lines, '', `${result.outcome}${result.endedOnDay === null ? '' : ` on day ${result.endedOnDay}`}: ${result.reason}`].join('\n'));
  }
  return EXIT.ok;
}

function usage(io: CliIo, problem?: string): number {
  if (problem) io.err(`cairn: ${problem}\n`);
  io.err(USAGE);
  return problem ? EXIT.usage : EXIT.ok;
}

/** Runs one command line (without `node cairn`); returns the exit code. Never throws for bad input. */
export function run(argv: string[], io: CliIo): number {
  const [command, ...rest] = argv;
  const valued = new Set(['--account', '--events', '--decisions']);
  const options = new Map<string, string>();
  const flags = new Set<string>();
  const args: string[] = [];
  for (let i = 0; i < rest.length; i++) {
    const arg = rest[i];
    if (valued.has(arg)) {
      if (rest[i + 1] === undefined) return usage(io, `${arg} needs a value`);
      options.set(arg.slice(2), rest[++i]);
    } else if (arg.startsWith('--')) flags.add(arg);
    else args.push(arg);
  }
  const unknown = [...flags].filter((f) => f !== '--json');
  if (unknown.length) return usage(io, `unknown option ${unknown.join(', ')}`);
  if (options.size && command !== 'simulate') return usage(io, `${[...options.keys()].map((k) => `--${k}`).join(', ')} only go with simulate`);
  switch (command) {
    case 'validate':
      return validate(io, args, flags.has('--json'));
    case 'compile':
      return compile(io, args);
    case 'simulate':
      return simulateCommand(io, args, options, flags.has('--json'));
    case 'schema':
      io.out(JSON.stringify(playbookJsonSchema(), null, 2));
      return EXIT.ok;
    case undefined:
    case 'help':
    case '--help':
      return usage(io);
    default:
      return usage(io, `unknown command "${command}"`);
  }
}
