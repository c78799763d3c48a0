/**
 * Short names kubectl accepts for built-in resource types, and the full names they stand for. Explaining a
 * pasted command (`deploy` = deployments) and validating the catalog both read this one table.
 */
export const RESOURCE_SHORT_NAMES: Readonly<Record<string, string>> = {
  cm: 'configmaps',
  cj: 'cronjobs',
  crd: 'customresourcedefinitions',
  csr: 'certificatesigningrequests',
  deploy: 'deployments',
  ds: 'daemonsets',
  ep: 'endpoints',
  ev: 'events',
  hpa: 'horizontalpodautoscalers',
  ing: 'ingresses',
  limits: 'limitranges',
  netpol: 'networkpolicies',
  no: 'nodes',
  ns: 'namespaces',
  pc: 'priorityclasses',
  pdb: 'poddisruptionbudgets',
  po: 'pods',
  pv: 'persistentvolumes',
  pvc: 'persistentvolumeclaims',
  quota: 'resourcequotas',
  rc: 'replicationcontrollers',
  rs: 'replicasets',
  sa: 'serviceaccounts',
  sc: 'storageclasses',
  sts: 'statefulsets',
  svc: 'services',
};

const singular = (plural: string) =>
  plural.endsWith('ies') ? `${plural.slice(0, -3)}y` : plural.endsWith('sses') ? plural.slice(0, -2) : plural.slice(0, -1);

/** Every way a command line may name a resource type (short, singular, plural), mapped to the plural. */
export const RESOURCE_NAMES: ReadonlyMap<string, string> = new Map(
  Object.entries(RESOURCE_SHORT_NAMES).flatMap(([short, plural]) => [
    [short, plural],
    [plural, plural],
    [singular(plural), plural],
  ]),
);
