import { createHash, randomBytes } from 'node:crypto';
import { closeSync, fchmodSync, openSync, renameSync, rmSync, writeSync } from 'node:fs';
import { z } from 'zod';
import { fail, ok, type Result } from './result.js';

/**
 * A file holding one tree of data for reloading: its typed arrays as raw bytes (8-byte aligned, as an
 * array's own buffer would be) and everything else as one JSON text. The header
 * says where each array goes back in the tree, the key the data was made for, and a digest of the rest: a
 * file that is foreign, stale, truncated or damaged is refused, never half-read.
 */
const MAGIC = Buffer.from('K8SNBSNP', 'latin1');
const FORMAT_VERSION = 2;
/** Magic, format version, header length. */
const PREAMBLE = MAGIC.length + 8;
const ALIGN = 8;

const ARRAY_TYPES = { int32: Int32Array, float32: Float32Array } as const;
type ArrayType = keyof typeof ARRAY_TYPES;

const HeaderSchema = z.strictObject({
  key: z.string(),
  /** Typed arrays are written in the writer's byte order. */
  endianness: z.enum(['LE', 'BE']),
  bodyLength: z.number().int().nonnegative(),
  digest: z.string().regex(/^[0-9a-f]{64}$/),
  /** The JSON text opens the data. */
  jsonLength: z.number().int().nonnegative(),
  arrays: z.array(
    z.strictObject({
      path: z.array(z.string()).min(1),
      type: z.enum(['int32', 'float32']),
      offset: z.number().int().nonnegative(),
      length: z.number().int().nonnegative(),
    }),
  ),
});
type Header = z.infer<typeof HeaderSchema>;

const endianness = (): 'LE' | 'BE' => (new Uint8Array(new Uint16Array([1]).buffer)[0] === 1 ? 'LE' : 'BE');
// sha256 runs at about twice sha512's speed on CPUs with SHA instructions, which most now have.
const digestOf = (body: Buffer) => createHash('sha256').update(body).digest('hex');

const typeOf = (value: unknown): ArrayType | undefined =>
  value instanceof Int32Array ? 'int32' : value instanceof Float32Array ? 'float32' : undefined;

/** Plain objects are walked for typed arrays; arrays are left to JSON whole (a note list is never walked). */
const isPlainObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value) && typeOf(value) === undefined;

export function encodeSnapshot(key: string, tree: Record<string, unknown>): Buffer {
  const arrays: { path: string[]; data: Int32Array | Float32Array }[] = [];
  const strip = (node: Record<string, unknown>, path: string[]): Record<string, unknown> => {
    const out: Record<string, unknown> = {};
    for (const [name, value] of Object.entries(node)) {
      if (value instanceof Int32Array || value instanceof Float32Array) arrays.push({ path: [...path, name], data: value });
      else out[name] = isPlainObject(value) ? strip(value, [...path, name]) : value;
    }
    return out;
  };
  const json = Buffer.from(JSON.stringify(strip(tree, [])), 'utf8');
  const chunks: Buffer[] = [json];
  const entries: Header['arrays'] = [];
  let length = json.length;
  for (const { path, data } of arrays) {
    const padding = (ALIGN - (length % ALIGN)) % ALIGN;
    chunks.push(Buffer.alloc(padding));
    length += padding;
    entries.push({ path, type: typeOf(data)!, offset: length, length: data.length });
    chunks.push(Buffer.from(data.buffer, data.byteOffset, data.byteLength));
    length += data.byteLength;
  }
  const body = Buffer.concat(chunks, length);
  const header: Header = { key, endianness: endianness(), bodyLength: body.length, digest: digestOf(body), jsonLength: json.length, arrays: entries };
  const headerBytes = Buffer.from(JSON.stringify(header), 'utf8');
  // The body starts aligned, so its offsets stay aligned in the file.
  const headerPadded = headerBytes.length + ((ALIGN - ((PREAMBLE + headerBytes.length) % ALIGN)) % ALIGN);
  const preamble = Buffer.alloc(PREAMBLE);
  MAGIC.copy(preamble);
  preamble.writeUInt32LE(FORMAT_VERSION, MAGIC.length);
  preamble.writeUInt32LE(headerPadded, MAGIC.length + 4);
  return Buffer.concat([preamble, headerBytes, Buffer.alloc(headerPadded - headerBytes.length, 0x20), body]);
}

/**
 * The tree `encodeSnapshot(key, tree)` was given, or why this file is not it. The tree's shape is the
 * caller's to check (with its schema); here only the container is.
 */
export function decodeSnapshot(file: Buffer<ArrayBuffer>, key: string): Result<Record<string, unknown>> {
  if (file.length < PREAMBLE || !file.subarray(0, MAGIC.length).equals(MAGIC)) return fail('not a k8s-notes-bot snapshot');
  const version = file.readUInt32LE(MAGIC.length);
  if (version !== FORMAT_VERSION) return fail(`snapshot format ${version}, this version reads ${FORMAT_VERSION}`);
  const headerLength = file.readUInt32LE(MAGIC.length + 4);
  const bodyStart = PREAMBLE + headerLength;
  if (bodyStart > file.length) return fail('truncated in its header');
  let header: Header;
  try {
    const parsed = HeaderSchema.safeParse(JSON.parse(file.toString('utf8', PREAMBLE, bodyStart)));
    if (!parsed.success) return fail(`bad header: ${parsed.error.issues[0]!.message}`);
    header = parsed.data;
  } catch (error) {
    return fail(`bad header: ${(error as Error).message}`);
  }
  if (header.key !== key) return fail('made from other notes or another version of the bot');
  if (header.endianness !== endianness()) return fail(`written on a ${header.endianness} machine`);
  if (file.length - bodyStart !== header.bodyLength) return fail(`holds ${file.length - bodyStart} bytes of data, its header says ${header.bodyLength}`);
  const body = file.subarray(bodyStart);
  if (digestOf(body) !== header.digest) return fail('damaged: its data does not match its digest');
  const inBody = (offset: number, bytes: number) => offset + bytes <= body.length;
  if (!inBody(0, header.jsonLength)) return fail('its JSON runs past the end');
  let tree: Record<string, unknown>;
  try {
    const parsed: unknown = JSON.parse(body.toString('utf8', 0, header.jsonLength));
    if (!isPlainObject(parsed)) return fail('its JSON is not an object');
    tree = parsed;
  } catch (error) {
    return fail(`bad JSON: ${(error as Error).message}`);
  }
  for (const { path, type, offset, length } of header.arrays) {
    const View = ARRAY_TYPES[type];
    const bytes = length * View.BYTES_PER_ELEMENT;
    if (!inBody(offset, bytes)) return fail(`array ${path.join('.')} runs past the end`);
    // Copied out, not viewed in place: a view would keep the whole file, JSON text and all, in memory for
    // as long as the index lives, and copying is a small part of a load.
    const data = new View(length);
    new Uint8Array(data.buffer).set(body.subarray(offset, offset + bytes));
    let node = tree;
    for (const name of path.slice(0, -1)) {
      const child = node[name];
      if (!isPlainObject(child)) return fail(`array ${path.join('.')} has no place in the data`);
      node = child;
    }
    node[path[path.length - 1]!] = data;
  }
  return ok(tree);
}

/** Writes `data` to `file` whole or not at all (a temporary file renamed over it), readable by its owner only. */
export function writePrivateFileAtomically(file: string, data: Buffer): Result<void> {
  const temp = `${file}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
  try {
    const fd = openSync(temp, 'wx', 0o600);
    try {
      // The mode given to open is narrowed by the umask, never widened; chmod makes it exact.
      fchmodSync(fd, 0o600);
      for (let at = 0; at < data.length; ) at += writeSync(fd, data, at);
    } finally {
      closeSync(fd);
    }
    renameSync(temp, file);
    return ok(undefined);
  } catch (error) {
    rmSync(temp, { force: true });
    return fail(`cannot write ${file}: ${(error as Error).message}`);
  }
}
