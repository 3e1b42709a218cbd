// What node:util parseArgs does with the command-line forms imageship's CLI accepts (cli/args.ts keeps its own
// reader for these; see its header). Run: node bench/cli-parseargs.mjs
import { parseArgs } from 'node:util';

const options = { push: { type: 'boolean' }, tags: { type: 'string', multiple: true }, 'secret-key': { type: 'string' } };
const cases = [
  ['a boolean with a separate value', ['--push', 'false']],
  ['a boolean with an inline value', ['--push=false']],
  ['two mistakes at once', ['--tagz', 'x', '--pus']],
  ['a misspelt secret flag with its value', ['--secret-kee=S3CRET']],
];
for (const [label, args] of cases) {
  try {
    console.log(`${label}: ${JSON.stringify(parseArgs({ args, options, allowPositionals: true }))}`);
  } catch (error) {
    console.log(`${label}: throws ${error.code}: ${error.message.split('\n')[0]}`);
  }
}
