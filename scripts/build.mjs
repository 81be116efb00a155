#!/usr/bin/env node
// Builds the CLI as bundled ES modules with esbuild (issue 9: on Node 20 there is no compile
// cache, and resolving hundreds of modules dominated start-up). `npm run build` (and `prepare`,
// at install) runs it; type-checking is `npm run typecheck`, apart.
//
//   dist/wxmail.mjs     the CLI (bin/wxmail.js imports it); each command is a chunk loaded on use,
//                       so `--version`, `--help` and `checks` load nothing a doctor run needs
//   dist/plugin.mjs     the `wxmail/plugin` export (package.json "exports")
//   dist/simulator.mjs  the simulated tenant, for the bench and `wxmail simulate`
//   dist/chunks/*.mjs   code shared between them: one copy of each class (FactError …), so a
//                       plugin's objects and the CLI's are the same kind
import { rmSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const root = fileURLToPath(new URL('..', import.meta.url));
rmSync(`${root}/dist`, { recursive: true, force: true });

const result = await build({
  absWorkingDir: root,
  entryPoints: { wxmail: 'src/cli/main.ts', plugin: 'src/plugin.ts', simulator: 'src/simulator/index.ts' },
  outdir: 'dist',
  outExtension: { '.js': '.mjs' },
  chunkNames: 'chunks/[name]-[hash]',
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  // The CommonJS packages bundled in (yargs' helpers, msal, nodemailer …) call require() for Node's
  // own modules; an ES module has none, so each output file gets one.
  banner: { js: "import { createRequire as __wxmailCreateRequire } from 'node:module'; const require = __wxmailCreateRequire(import.meta.url);" },
  legalComments: 'none',
  // Smaller files parse faster; names stay (errors and classes are matched by name in places).
  minify: true,
  keepNames: true,
  metafile: true,
  logLevel: 'warning',
});

if (process.argv.includes('--analyze')) {
  const { analyzeMetafile } = await import('esbuild');
  console.log(await analyzeMetafile(result.metafile, { verbose: false }));
}
