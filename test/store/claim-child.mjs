// A replica that claims and then dies: given the compiled PostgreSQL store, a URL and what to claim, it
// chooses and claims the tip-day and the event, prints what it got as one JSON line, and waits to be killed.
const [storeModule, url, channel, day, eventKey, now, leaseUntil] = process.argv.slice(2);
const { openPostgresStore } = await import(storeModule);
const silent = { child: () => silent, debug() {}, info() {}, warn() {}, error() {} };
const opened = await openPostgresStore(url, silent);
if (!opened.ok) {
  process.stdout.write(`${JSON.stringify({ error: opened.error })}\n`);
  process.exit(1);
}
const store = opened.value;
await store.chooseTip(channel, day, () => ({ tipId: 'from-the-child', cycle: 1 }), Number(now));
const tip = await store.claimPost(channel, day, Number(now), Number(leaseUntil));
const event = await store.claimEvent(eventKey, Number(now));
process.stdout.write(`${JSON.stringify({ tip, event })}\n`);
setInterval(() => {}, 60_000);
