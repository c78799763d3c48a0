import { createRequire } from 'node:module';
import type * as Yaml from 'yaml';

const require = createRequire(import.meta.url);
let loaded: typeof Yaml | undefined;

/**
 * The yaml package, loaded by the first YAML file read rather than at import: a library loaded from its saved
 * index reads none, and loading yaml is about 30 ms of a cold start. (It is CommonJS, so `require` gets the
 * same module an `import` would, synchronously.)
 */
export const yaml = (): typeof Yaml => (loaded ??= require('yaml') as typeof Yaml);
