import * as path from 'path';
import { run } from '../../src/cli/main';

/** The repository root: CLI tests run from it, so file names in the output are relative to it. */
export const ROOT = path.resolve(__dirname, '..', '..');

/** Runs the CLI in-process from the repository root, collecting stdout, stderr and the exit code. */
export async function cli(...argv: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const cwd = process.cwd();
  process.chdir(ROOT);
  try {
    const code = await run(argv, { out: (t) => (out += t), err: (t) => (err += t) });
    return { code, out, err };
  } finally {
    process.chdir(cwd);
  }
}
