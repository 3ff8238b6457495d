/** What the CLI touches outside itself; tests pass their own. */
export interface CliIo {
  readFile(path: string): string;
  out(text: string): void;
  err(text: string): void;
}
