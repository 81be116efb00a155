// Writes docs/TROUBLESHOOTING.md from the explanation entries of the checks (the same sources the
// CLI is built from): esbuild bundles the generator into memory, no build output is needed.
// Run it as `npm run docs`; test/unit/docs/troubleshooting.test.ts fails when the file is stale.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { build } from 'esbuild';

const root = fileURLToPath(new URL('..', import.meta.url));
// Inside node_modules, so the bundle's imports of the dependencies resolve as they do for the CLI.
const dir = mkdtempSync(join(root, 'node_modules', '.wxmail-docs-'));
try {
  const out = join(dir, 'generate.mjs');
  await build({
    absWorkingDir: root,
    stdin: {
      contents: "export { builtinChecks } from './checks/index.ts'; export { TROUBLESHOOTING_FILE, renderTroubleshooting } from './src/report/troubleshooting.ts';",
      resolveDir: root,
      loader: 'ts',
    },
    outfile: out,
    bundle: true,
    format: 'esm',
    platform: 'node',
    target: 'node20',
    packages: 'external',
    logLevel: 'warning',
  });
  const { builtinChecks, TROUBLESHOOTING_FILE, renderTroubleshooting } = await import(pathToFileURL(out).href);
  writeFileSync(join(root, TROUBLESHOOTING_FILE), renderTroubleshooting(builtinChecks));
  process.stdout.write(`wrote ${TROUBLESHOOTING_FILE}\n`);
} finally {
  rmSync(dir, { recursive: true, force: true });
}
