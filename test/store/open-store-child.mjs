// A process that opens the store the way the bot does at start: told a data folder on each stdin line, it opens
// it, writes to it, closes it and prints one JSON line saying how that went.
import { createInterface } from 'node:readline';

const { openSqliteStore } = await import(process.argv[2]);
process.stdout.write('ready\n');
for await (const dir of createInterface({ input: process.stdin })) {
  const opened = openSqliteStore(dir);
  if (opened.ok) {
    opened.value.logQuestion({ question: `from ${process.pid}`, lang: 'en', answered: false, at: Date.now() });
    await opened.value.close();
  }
  process.stdout.write(`${JSON.stringify(opened.ok ? { ok: true } : { ok: false, error: opened.error })}\n`);
}
