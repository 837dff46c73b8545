// Builds the SDK: dist/index.js (one ES module), dist/types/*.d.ts (tsc), and the copy the web page loads,
// web/vendor/guildhall-client.js (the server serves web/ as it is). Checks first that src/protocol.ts matches
// guildhall.proto. `node scripts/build.mjs` from sdk/js (npm run build); exits non-zero on any failure.

import { execFileSync } from 'node:child_process';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { generate, OUTPUT_PATH, PROTO_PATH } from './generate_protocol.mjs';

const root = fileURLToPath(new URL('..', import.meta.url));
const webVendor = fileURLToPath(new URL('../../../web/vendor/guildhall-client.js', import.meta.url));

const expected = generate(await readFile(PROTO_PATH, 'utf8'));
if (await readFile(OUTPUT_PATH, 'utf8').catch(() => '') !== expected) {
  await writeFile(OUTPUT_PATH, expected);
  console.log('sdk/js: src/protocol.ts regenerated from guildhall.proto');
}

const common = {
  entryPoints: [path.join(root, 'src/index.ts')],
  bundle: true,
  format: 'esm',
  platform: 'neutral',
  target: 'es2022',
  logLevel: 'warning',
};
await build({ ...common, outfile: path.join(root, 'dist/index.js'), sourcemap: true });
await mkdir(path.dirname(webVendor), { recursive: true });
await build({
  ...common,
  outfile: webVendor,
  banner: { js: '// Built from sdk/js by sdk/js/scripts/build.mjs: do not edit, do not commit.' },
});

const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');
execFileSync(process.execPath, [tsc, '-p', root], { stdio: 'inherit' });
