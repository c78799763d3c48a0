import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { promisify } from 'node:util';
import { ConfigMap } from 'kubernetes-models/v1/ConfigMap';
import type { IContainer } from 'kubernetes-models/v1/Container';
import { PersistentVolumeClaim } from 'kubernetes-models/v1/PersistentVolumeClaim';
import type { IPodSpec } from 'kubernetes-models/v1/PodSpec';
import type { IProbe } from 'kubernetes-models/v1/Probe';
import { Secret } from 'kubernetes-models/v1/Secret';
import { Service } from 'kubernetes-models/v1/Service';
import { Deployment, type IDeployment } from 'kubernetes-models/apps/v1/Deployment';
import { PodDisruptionBudget } from 'kubernetes-models/policy/v1/PodDisruptionBudget';
import { afterAll, describe, expect, it } from 'vitest';
import { parseAllDocuments, parse as parseYaml } from 'yaml';
import { PLATFORM_SETTINGS, configuredPlatforms } from '../../app/platforms.js';
import { CORE_SETTINGS, parseConfig, type Config } from '../../src/config.js';
import { parseEnvFile } from '../../src/env-file.js';
import { loadKnowledge } from '../../src/knowledge/load.js';
import { packageRoot, shippedKnowledgeDir } from '../../src/paths.js';
import { isInstalled } from '../../scripts/installed-help.js';

const DEPLOY = join(packageRoot, 'deploy', 'kubernetes');
const SETTINGS = new Set([...CORE_SETTINGS, ...PLATFORM_SETTINGS]);
/** Where the image puts the bot (its WORKDIR): relative settings are read from here. */
const APP_DIR = '/app';

const kubectl = await isInstalled('kubectl');
if (!kubectl) {
  console.warn('kubectl is not installed here: the kustomizations were NOT rendered; only the YAML files were validated one by one and the base checked as written.');
}

interface K8sObject {
  apiVersion: string;
  kind: string;
  metadata: { name: string; labels?: Record<string, string>; annotations?: Record<string, string> };
  [field: string]: unknown;
}

/** The OpenAPI-checked model of each kind the manifests may hold; any other kind is a mistake, but for the ServiceMonitor. */
const MODELS: Record<string, new (data: never) => { validate(): void }> = {
  'v1/ConfigMap': ConfigMap,
  'v1/Secret': Secret,
  'v1/Service': Service,
  'v1/PersistentVolumeClaim': PersistentVolumeClaim,
  'apps/v1/Deployment': Deployment,
  'policy/v1/PodDisruptionBudget': PodDisruptionBudget,
};

const readYamlObjects = (text: string): K8sObject[] =>
  parseAllDocuments(text).flatMap((doc) => {
    if (doc.errors.length) throw new Error(doc.errors.map((e) => e.message).join('; '));
    const value = doc.toJS() as K8sObject | null;
    return value ? [value] : [];
  });

const subsetOf = (small: Record<string, string> | undefined, big: Record<string, string> | undefined) =>
  small !== undefined && Object.keys(small).length > 0 && Object.entries(small).every(([k, v]) => big?.[k] === v);

/** The Prometheus Operator's CRD is not in the Kubernetes schemas: its fields are checked by hand. */
function serviceMonitorProblems(object: K8sObject): string[] {
  const spec = object.spec as { selector?: { matchLabels?: Record<string, string> }; endpoints?: { port?: unknown; path?: unknown; interval?: unknown }[] } | undefined;
  const problems: string[] = [];
  if (object.apiVersion !== 'monitoring.coreos.com/v1') problems.push(`apiVersion ${object.apiVersion}, expected monitoring.coreos.com/v1`);
  if (!spec?.selector?.matchLabels || Object.keys(spec.selector.matchLabels).length === 0) problems.push('spec.selector.matchLabels is missing');
  if (!Array.isArray(spec?.endpoints) || spec.endpoints.length === 0) problems.push('spec.endpoints is missing');
  for (const [i, endpoint] of (spec?.endpoints ?? []).entries()) {
    if (typeof endpoint.port !== 'string') problems.push(`spec.endpoints[${i}].port must name a Service port`);
    if (typeof endpoint.path !== 'string' || !endpoint.path.startsWith('/')) problems.push(`spec.endpoints[${i}].path must be a path`);
    if (endpoint.interval !== undefined && !/^\d+(ms|s|m|h)$/.test(String(endpoint.interval))) problems.push(`spec.endpoints[${i}].interval ${endpoint.interval} is not a duration`);
  }
  return problems;
}

/** Why `object` does not match its kind's schema, each problem naming where. */
function schemaProblems(object: K8sObject, where: string): string[] {
  const name = `${where}: ${object.kind}/${object.metadata?.name}`;
  if (object.kind === 'ServiceMonitor') return serviceMonitorProblems(object).map((p) => `${name}: ${p}`);
  const Model = MODELS[`${object.apiVersion}/${object.kind}`];
  if (!Model) return [`${name}: ${object.apiVersion} ${object.kind} is not a kind these manifests should hold`];
  try {
    new Model(object as never).validate();
    return [];
  } catch (error) {
    return [`${name}: ${(error as Error).message}`];
  }
}

const run = promisify(execFile);
const scratch = mkdtempSync(join(tmpdir(), 'k8s-notes-bot-manifests-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

/** `kubectl kustomize` of a kustomization, or of one built on the fly from a base and components. */
async function render(base: string, components: string[]): Promise<K8sObject[]> {
  let dir = base;
  if (components.length) {
    dir = mkdtempSync(join(scratch, 'combo-'));
    const rel = (path: string) => relative(dir, path);
    writeFileSync(join(dir, 'kustomization.yaml'), `resources:\n  - ${rel(base)}\ncomponents:\n${components.map((c) => `  - ${rel(c)}\n`).join('')}`);
  }
  const { stdout } = await run('kubectl', ['kustomize', dir], { timeout: 60_000, maxBuffer: 16 << 20 });
  return readYamlObjects(stdout);
}

const kustomization = (dir: string) => parseYaml(readFileSync(join(dir, 'kustomization.yaml'), 'utf8')) as {
  resources?: string[];
  components?: string[];
  patches?: ({ path?: string } | string)[];
  configMapGenerator?: { name: string; envs?: string[]; files?: string[]; literals?: string[] }[];
};

const subfolders = (dir: string) => readdirSync(join(DEPLOY, dir), { withFileTypes: true }).filter((e) => e.isDirectory()).map((e) => join(DEPLOY, dir, e.name));
const COMPONENTS = subfolders('components');
const OVERLAYS = subfolders('overlays');
const BASE = join(DEPLOY, 'base');
const REPLICATED = join(DEPLOY, 'overlays', 'replicated');

/** The example Secrets, kept out of every kustomization: their keys are what the real Secrets must hold. */
const EXAMPLE_SECRETS = [join(DEPLOY, 'secret.example.yaml'), join(REPLICATED, 'database-secret.example.yaml')].map((file) => {
  const [secret] = readYamlObjects(readFileSync(file, 'utf8'));
  return { file, secret: secret!, data: (secret!.stringData ?? {}) as Record<string, string> };
});
const exampleSecret = (name: string) => EXAMPLE_SECRETS.find((s) => s.secret.metadata.name === name);

interface Expect {
  /** The state is shared in PostgreSQL (overlays/replicated) rather than SQLite on a volume. */
  replicated: boolean;
  components: string[];
}

const where = (path: string) => relative(packageRoot, path);

const podContainers = (pod: IPodSpec) => [...(pod.initContainers ?? []), ...pod.containers];
const portOf = (container: IContainer, name: string) => container.ports?.find((p) => p.name === name)?.containerPort;

/** A probe's path, and whether it asks the named port (by name or by its number). */
function probeAsks(probe: IProbe | undefined, path: string, container: IContainer, portName: string): boolean {
  const port = probe?.httpGet?.port;
  return probe?.httpGet?.path === path && (port === portName || port === portOf(container, portName));
}

/** Everything in one rendered installation that could be wrong against the code; empty when none is. */
function installationProblems(objects: K8sObject[], expect: Expect): string[] {
  const problems: string[] = [];
  const named = (kind: string) => objects.filter((o) => o.kind === kind);
  const deployments = named('Deployment') as unknown as (IDeployment & K8sObject)[];
  if (deployments.length !== 1) return [`expected one Deployment, found ${deployments.length}`];
  const deployment = deployments[0]!;
  const template = deployment.spec!.template;
  const pod = template.spec!;
  const podLabels = template.metadata?.labels ?? {};
  const bot = pod.containers.find((c) => c.name === 'bot');
  if (!bot) return ['the Deployment has no container named bot'];

  if (!subsetOf(deployment.spec!.selector.matchLabels, podLabels)) problems.push('the Deployment selector does not match its pod labels');

  // Every env name the pod hands the bot is a setting the code reads.
  const settingsRef = bot.envFrom?.find((e) => e.configMapRef)?.configMapRef?.name;
  const settings = named('ConfigMap').find((c) => c.metadata.name === settingsRef);
  if (!settings) return [`the bot's envFrom configMapRef ${settingsRef} names no ConfigMap in the build`];
  const settingsData = (settings.data ?? {}) as Record<string, string>;
  for (const key of Object.keys(settingsData)) if (!SETTINGS.has(key)) problems.push(`ConfigMap ${settings.metadata.name} key ${key} is not a setting the bot reads`);
  for (const { name } of bot.env ?? []) if (!SETTINGS.has(name)) problems.push(`env ${name} is not a setting the bot reads`);
  const secretRefs = (bot.envFrom ?? []).flatMap((e) => (e.secretRef?.name ? [e.secretRef.name] : []));
  const secretEnv: Record<string, string> = {};
  for (const ref of secretRefs) {
    const example = exampleSecret(ref);
    if (!example) problems.push(`envFrom secretRef ${ref} has no example Secret beside the manifests`);
    else Object.assign(secretEnv, example.data);
  }
  for (const { name, valueFrom } of bot.env ?? []) {
    const ref = valueFrom?.secretKeyRef;
    if (!ref) continue;
    const value = ref.name === undefined ? undefined : exampleSecret(ref.name)?.data[ref.key];
    if (value === undefined) problems.push(`env ${name} reads key ${ref.key} of Secret ${ref.name}, which no example Secret holds`);
    else secretEnv[name] = value;
  }

  // The pod's environment, as the code reads it in a cluster (KUBERNETES_SERVICE_HOST is always set there).
  const env = { ...settingsData, ...secretEnv, KUBERNETES_SERVICE_HOST: '10.96.0.1' };
  const parsed = parseConfig(env, APP_DIR);
  if (!parsed.ok) return [...problems, `the settings do not parse: ${parsed.error}`];
  const config: Config = parsed.value;
  const platforms = configuredPlatforms(env);
  if (!platforms.ok) problems.push(`the platform settings do not parse: ${platforms.error}`);
  else if (!platforms.value.slack && !platforms.value.discord) problems.push('the example Secret sets up no platform, so `start` would have nothing to serve');

  // The ops port: probes, annotations, Service and ServiceMonitor all meet the port the code listens on.
  const opsPort = portOf(bot, 'ops');
  if (config.ops.port === 0) problems.push('OPS_PORT is 0: the probes would have nothing to ask');
  if (opsPort !== config.ops.port) problems.push(`container port ops is ${opsPort}, but the bot listens on OPS_PORT ${config.ops.port}`);
  if (config.ops.host !== '0.0.0.0') problems.push(`the ops server binds ${config.ops.host}, which the kubelet cannot reach`);
  if (!probeAsks(bot.livenessProbe, '/healthz', bot, 'ops')) problems.push('the liveness probe is not GET /healthz on the ops port');
  if (!probeAsks(bot.readinessProbe, '/readyz', bot, 'ops')) problems.push('the readiness probe is not GET /readyz on the ops port');
  if (!probeAsks(bot.startupProbe, '/healthz', bot, 'ops')) problems.push('the startup probe is not GET /healthz on the ops port');
  const annotations = template.metadata?.annotations ?? {};
  if (annotations['prometheus.io/scrape'] !== 'true' || annotations['prometheus.io/port'] !== String(config.ops.port) || annotations['prometheus.io/path'] !== '/metrics') {
    problems.push(`the scrape annotations ${JSON.stringify(annotations)} do not point at /metrics on ${config.ops.port}`);
  }
  const service = named('Service').find((s) => subsetOf((s.spec as { selector?: Record<string, string> }).selector, podLabels));
  const servicePorts = ((service?.spec as { ports?: { name?: string; port: number; targetPort?: string | number }[] })?.ports ?? []);
  const opsServicePort = servicePorts.find((p) => p.targetPort === 'ops' || p.targetPort === config.ops.port);
  if (!opsServicePort) problems.push('no Service selecting the pods has a port for the ops port');
  for (const port of servicePorts) {
    if (typeof port.targetPort === 'string' && portOf(bot, port.targetPort) === undefined) problems.push(`Service port ${port.name} targets ${port.targetPort}, which the bot container does not have`);
  }
  for (const monitor of named('ServiceMonitor')) {
    const spec = monitor.spec as { selector: { matchLabels: Record<string, string> }; endpoints: { port: string; path: string }[] };
    if (!subsetOf(spec.selector.matchLabels, service?.metadata.labels)) problems.push('the ServiceMonitor selects no Service of the bot');
    if (!spec.endpoints.some((e) => e.port === opsServicePort?.name && e.path === '/metrics')) problems.push('the ServiceMonitor does not scrape /metrics on the ops Service port');
  }

  // A stop: the grace for answers in flight, then up to 5 s to close (app/commands/start.ts), within the pod's.
  if ((pod.terminationGracePeriodSeconds ?? 30) <= config.shutdownGraceMs / 1000 + 5) {
    problems.push(`terminationGracePeriodSeconds ${pod.terminationGracePeriodSeconds} leaves no time past SHUTDOWN_GRACE ${config.shutdownGraceMs / 1000}s and closing`);
  }

  // Every container, sidecars too, runs restricted.
  for (const container of podContainers(pod)) {
    const c = container.securityContext ?? {};
    const p = pod.securityContext ?? {};
    const name = `container ${container.name}`;
    if ((c.runAsNonRoot ?? p.runAsNonRoot) !== true) problems.push(`${name} does not set runAsNonRoot`);
    if ((c.runAsUser ?? p.runAsUser) === 0) problems.push(`${name} runs as uid 0`);
    if (c.allowPrivilegeEscalation !== false) problems.push(`${name} does not forbid privilege escalation`);
    if (c.readOnlyRootFilesystem !== true) problems.push(`${name} has a writable root filesystem`);
    if (!c.capabilities?.drop?.includes('ALL')) problems.push(`${name} does not drop ALL capabilities`);
    if ((c.seccompProfile ?? p.seccompProfile)?.type !== 'RuntimeDefault') problems.push(`${name} has no RuntimeDefault seccomp profile`);
    const { requests, limits } = container.resources ?? {};
    if (!requests?.cpu || !requests.memory || !limits?.memory) problems.push(`${name} lacks cpu/memory requests or a memory limit`);
  }

  // The only places the bot writes are volumes: DATA_DIR and /tmp. Its notes are in the image or on a volume.
  const mounts = bot.volumeMounts ?? [];
  const volume = (name: string) => pod.volumes?.find((v) => v.name === name);
  const dataMount = mounts.find((m) => m.mountPath === config.dataDir);
  if (!dataMount || dataMount.readOnly) problems.push(`DATA_DIR ${config.dataDir} is not a writable volume mount`);
  if (!mounts.some((m) => m.mountPath === '/tmp' && volume(m.name)?.emptyDir)) problems.push('/tmp is not an emptyDir');
  // Unset, KNOWLEDGE_DIR is the notes the package ships, which the image has under /app/knowledge.
  if (config.knowledgeDir !== shippedKnowledgeDir && !mounts.some((m) => config.knowledgeDir === m.mountPath || config.knowledgeDir.startsWith(`${m.mountPath}/`))) {
    problems.push(`KNOWLEDGE_DIR ${config.knowledgeDir} is neither the image's notes nor on a mounted volume`);
  }

  const claims = named('PersistentVolumeClaim');
  const claimed = (pod.volumes ?? []).flatMap((v) => (v.persistentVolumeClaim ? [v.persistentVolumeClaim.claimName] : []));
  if (expect.replicated) {
    if ((deployment.spec!.replicas ?? 1) < 2) problems.push(`replicas ${deployment.spec!.replicas}, expected 2 or more`);
    if (deployment.spec!.strategy?.type !== 'RollingUpdate') problems.push(`strategy ${deployment.spec!.strategy?.type}, expected RollingUpdate`);
    if (claims.length || claimed.length) problems.push('the replicated installation still has a PersistentVolumeClaim for its state');
    if (!config.databaseUrl) problems.push('DATABASE_URL is not set');
    if (!bot.env?.some((e) => e.name === 'DATABASE_URL' && e.valueFrom?.secretKeyRef)) problems.push('DATABASE_URL is not read from a Secret');
    const budgets = named('PodDisruptionBudget').map((b) => b.spec as { minAvailable?: number; selector?: { matchLabels?: Record<string, string> } });
    if (!budgets.some((b) => b.minAvailable === 1 && subsetOf(b.selector?.matchLabels, podLabels))) problems.push('no PodDisruptionBudget with minAvailable 1 covers the pods');
  } else {
    if (deployment.spec!.replicas !== 1) problems.push(`replicas ${deployment.spec!.replicas}, expected 1 while state is SQLite`);
    if (deployment.spec!.strategy?.type !== 'Recreate') problems.push(`strategy ${deployment.spec!.strategy?.type}, expected Recreate while state is SQLite`);
    if (config.databaseUrl) problems.push('DATABASE_URL is set in the single-replica installation');
    const claim = claims.find((c) => c.metadata.name === volume(dataMount?.name ?? '')?.persistentVolumeClaim?.claimName);
    if (!claim) problems.push('DATA_DIR is not on a PersistentVolumeClaim of the build');
    else if (!(claim.spec as { accessModes?: string[] }).accessModes?.includes('ReadWriteOnce')) problems.push('the data claim is not ReadWriteOnce');
  }

  if (expect.components.includes('slack-http')) {
    const port = Number(settingsData.PORT);
    if (portOf(bot, 'slack-http') !== port) problems.push(`container port slack-http is ${portOf(bot, 'slack-http')}, but PORT is ${settingsData.PORT}`);
    if (!servicePorts.some((p) => p.targetPort === 'slack-http')) problems.push('the Service has no port for Slack HTTP mode');
  }
  if (expect.components.includes('notes-configmap')) problems.push(...notesConfigMapProblems(objects, pod, bot, config));
  if (expect.components.includes('git-sync')) problems.push(...gitSyncProblems(pod, bot, config));
  return problems;
}

/**
 * The notes ConfigMap laid out as the kubelet mounts it (a timestamped folder, `..data` linking to it, each key
 * a link through `..data`) and loaded by the bot's own loader: every key must be a note it can use.
 */
function notesConfigMapProblems(objects: K8sObject[], pod: IPodSpec, bot: IContainer, config: Config): string[] {
  const mount = bot.volumeMounts?.find((m) => m.mountPath === config.knowledgeDir);
  const source = pod.volumes?.find((v) => v.name === mount?.name)?.configMap;
  const notes = objects.find((o) => o.kind === 'ConfigMap' && o.metadata.name === source?.name);
  if (!mount || !source || !notes) return [`KNOWLEDGE_DIR ${config.knowledgeDir} is not a mounted ConfigMap of the build`];
  const problems: string[] = [];
  if (mount.subPath) problems.push('the notes are mounted with subPath, which never sees ConfigMap updates');
  const dir = mkdtempSync(join(scratch, 'notes-'));
  const stamp = '..2026_01_01_00_00_00.000000001';
  mkdirSync(join(dir, stamp));
  symlinkSync(stamp, join(dir, '..data'));
  for (const [key, text] of Object.entries((notes.data ?? {}) as Record<string, string>)) {
    writeFileSync(join(dir, stamp, key), text);
    symlinkSync(join('..data', key), join(dir, key));
  }
  const loaded = loadKnowledge(dir);
  if (!loaded.ok) return [...problems, `the bot cannot load the notes ConfigMap: ${loaded.error}`];
  if (loaded.value.notes.length !== Object.keys(notes.data ?? {}).length) problems.push(`${Object.keys(notes.data ?? {}).length} keys but ${loaded.value.notes.length} notes loaded`);
  for (const p of loaded.value.problems) problems.push(`notes ConfigMap ${p.file}:${p.line}: ${p.message}`);
  return problems;
}

/** git-sync runs beside the bot, before it, and publishes the folder KNOWLEDGE_DIR names. */
function gitSyncProblems(pod: IPodSpec, bot: IContainer, config: Config): string[] {
  const sync = pod.initContainers?.find((c) => c.name === 'git-sync');
  if (!sync) return ['no git-sync init container'];
  const problems: string[] = [];
  const setting = (name: string) => sync.env?.find((e) => e.name === name)?.value;
  if (!/^registry\.k8s\.io\/git-sync\/git-sync:v4\./.test(sync.image ?? '')) problems.push(`git-sync image ${sync.image} is not registry.k8s.io/git-sync/git-sync v4`);
  if ((sync as IContainer & { restartPolicy?: string }).restartPolicy !== 'Always') problems.push('git-sync is not a native sidecar (restartPolicy Always): it would block the bot or stop after one sync');
  const root = setting('GITSYNC_ROOT');
  const link = setting('GITSYNC_LINK');
  if (!root || !link) return [...problems, 'git-sync has no GITSYNC_ROOT and GITSYNC_LINK'];
  const published = join(root, link);
  if (config.knowledgeDir !== published && !config.knowledgeDir.startsWith(`${published}/`)) problems.push(`KNOWLEDGE_DIR ${config.knowledgeDir} is not under git-sync's link ${published}`);
  const syncMount = sync.volumeMounts?.find((m) => m.mountPath === root);
  const botMount = bot.volumeMounts?.find((m) => m.name === syncMount?.name);
  if (!syncMount || !botMount || botMount.mountPath !== root) problems.push(`the bot does not mount git-sync's ${root} volume at the same path`);
  else if (!botMount.readOnly) problems.push('the bot mounts the synced notes writable');
  const bind = setting('GITSYNC_HTTP_BIND')?.match(/:(\d+)$/)?.[1];
  if (!bind || !probeAsks(sync.startupProbe, '/', sync, 'git-sync') || portOf(sync, 'git-sync') !== Number(bind)) {
    problems.push('git-sync has no startup probe on its HTTP endpoint, so the bot could start before the first clone');
  }
  return problems;
}

interface Build {
  name: string;
  base: string;
  components: string[];
  expect: Expect;
}

const componentName = (dir: string) => dir.split('/').at(-1)!;
const builds: Build[] = [
  { name: 'deploy/kubernetes', base: DEPLOY, components: [], expect: { replicated: false, components: [] } },
  ...[BASE, ...OVERLAYS].flatMap((base) =>
    [[], ...COMPONENTS.map((c) => [c])].map((components) => ({
      name: [where(base), ...components.map((c) => `+ ${componentName(c)}`)].join(' '),
      base,
      components,
      expect: { replicated: base === REPLICATED, components: components.map(componentName) },
    })),
  ),
];

describe.runIf(kubectl)('kustomize builds (kubectl kustomize, offline)', () => {
  it.each(builds)('$name: every object matches its schema and the code', async ({ base, components, expect: expected }) => {
    const objects = await render(base, components);
    expect(objects.length).toBeGreaterThan(2);
    expect(objects.flatMap((o) => schemaProblems(o, 'rendered'))).toEqual([]);
    expect(installationProblems(objects, expected)).toEqual([]);
  });

  it('overlays/replicated is the base with the state moved to PostgreSQL, not a different bot', async () => {
    const [single, replicated] = await Promise.all([render(BASE, []), render(REPLICATED, [])]);
    const bot = (objects: K8sObject[]) => (objects.find((o) => o.kind === 'Deployment') as unknown as IDeployment).spec!.template.spec!.containers[0]!;
    const { env: _env, ...rest } = bot(replicated);
    expect(rest).toEqual(bot(single));
  });
});

describe('YAML files as written (no kustomize needed)', () => {
  const kustomizations = [DEPLOY, BASE, ...COMPONENTS, ...OVERLAYS];

  it.each(kustomizations.map((dir) => ({ dir, name: where(dir) })))('$name: each resource file matches its schema, each patch targets an object of the base', ({ dir }) => {
    const k = kustomization(dir);
    const files = (k.resources ?? []).map((r) => join(dir, r)).filter((path) => path.endsWith('.yaml'));
    const problems = files.flatMap((file) => readYamlObjects(readFileSync(file, 'utf8')).flatMap((o) => schemaProblems(o, where(file))));
    expect(problems).toEqual([]);
    const baseObjects = baseAsWritten();
    for (const patch of k.patches ?? []) {
      const path = typeof patch === 'string' ? patch : patch.path;
      if (!path) continue;
      for (const target of readYamlObjects(readFileSync(join(dir, path), 'utf8'))) {
        expect(baseObjects.some((o) => o.kind === target.kind && o.metadata.name === target.metadata.name), `${where(join(dir, path))} patches ${target.kind}/${target.metadata.name}`).toBe(true);
      }
    }
  });

  /** The base's resources and its generated settings ConfigMap, as kustomize would put them, without kustomize. */
  function baseAsWritten(): K8sObject[] {
    const k = kustomization(BASE);
    const objects = (k.resources ?? []).flatMap((r) => readYamlObjects(readFileSync(join(BASE, r), 'utf8')));
    for (const generator of k.configMapGenerator ?? []) {
      const data: Record<string, string> = {};
      for (const envs of generator.envs ?? []) Object.assign(data, parseEnvFile(readFileSync(join(BASE, envs), 'utf8')).values);
      objects.push({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: generator.name }, data });
    }
    return objects;
  }

  it('the base as written: settings, probes, ports, security and the volume match the code', () => {
    const objects = baseAsWritten();
    expect(objects.flatMap((o) => schemaProblems(o, 'base'))).toEqual([]);
    expect(installationProblems(objects, { replicated: false, components: [] })).toEqual([]);
  });

  it('the example Secrets hold only placeholders, under names the bot reads', () => {
    for (const { file, secret, data } of EXAMPLE_SECRETS) {
      expect(schemaProblems(secret, where(file))).toEqual([]);
      for (const value of Object.values(data)) expect(value, `${where(file)} must hold placeholders only`).toMatch(/REPLACE-ME/);
    }
    const [tokens, database] = EXAMPLE_SECRETS;
    expect(Object.keys(tokens!.data).filter((key) => !SETTINGS.has(key))).toEqual([]);
    // The database Secret is read through secretKeyRef into DATABASE_URL, a setting of the core.
    expect(Object.keys(database!.data)).toEqual(['url']);
    expect(CORE_SETTINGS, 'DATABASE_URL must be a setting of src/config.ts for overlays/replicated to mean anything').toContain('DATABASE_URL');
    // No kustomization lists an example, so applying one never overwrites a real Secret with placeholders.
    for (const dir of kustomizations) {
      for (const resource of kustomization(dir).resources ?? []) expect(resource, where(dir)).not.toMatch(/example/);
    }
  });

  it('every component and overlay folder is a kustomization', () => {
    for (const dir of [...COMPONENTS, ...OVERLAYS]) expect(existsSync(join(dir, 'kustomization.yaml')), where(dir)).toBe(true);
    expect(COMPONENTS.map(componentName).sort()).toEqual(expect.arrayContaining(['git-sync', 'notes-configmap', 'servicemonitor']));
  });
});
