import { compilePlaybook, type Diagnostic, playbookJsonSchema } from '@cairn/playbook';
import { formatDiagnostic, summary } from './format';
import type { CliIo } from './io';

/** Exit codes: 0 valid, 1 invalid playbook, 2 usage error or unreadable file. */
export const EXIT = { ok: 0, invalid: 1, usage: 2 } as const;

const USAGE = `usage: cairn <command> [options]

  validate <file...> [--json]   check playbooks; exit 0 valid, 1 invalid, 2 unreadable
  compile <file>                print the executable plan (JSON) with its timeline
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

function usage(io: CliIo, problem?: string): number {
  if (problem) io.err(`cairn: ${problem}\n`);
  io.err(USAGE);
  return problem ? EXIT.usage : EXIT.ok;
}

/** Runs one command line (without `node cairn`); returns the exit code. Never throws for bad input. */
export function run(argv: string[], io: CliIo): number {
  const [command, ...rest] = argv;
  const flags = new Set(rest.filter((a) => a.startsWith('--')));
  const args = rest.filter((a) => !a.startsWith('--'));
  const unknown = [...flags].filter((f) => f !== '--json');
  if (unknown.length) return usage(io, `unknown option ${unknown.join(', ')}`);
  switch (command) {
    case 'validate':
      return validate(io, args, flags.has('--json'));
    case 'compile':
      return compile(io, args);
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
