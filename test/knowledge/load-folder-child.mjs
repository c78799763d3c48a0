// Loads the knowledge folder named on the command line the way the bot does at start and prints the outcome
// as one JSON line, so a test can time out a load that blocks (on a FIFO, say) instead of blocking with it.
const { loadKnowledge } = await import(process.argv[2]);
const loaded = loadKnowledge(process.argv[3]);
const outcome = loaded.ok ? { ok: true, notes: loaded.value.notes.map((n) => n.path), problems: loaded.value.problems } : loaded;
process.stdout.write(`${JSON.stringify(outcome)}\n`);
