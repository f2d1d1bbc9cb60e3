import Database from 'better-sqlite3';
const db = new Database('/tmp/bench-s100k.db');
const ids = db.prepare('select id from conversations order by created_at desc limit 7').pluck().all();
const ph = ids.map(() => '?').join(',');
for (const q of [`select conversation_id, text from messages where conversation_id in (${ph}) order by conversation_id, seq`,
  `select id, (select text from messages where conversation_id = conversations.id and author = 'visitor' order by seq limit 1) from conversations where id in (${ph}) order by created_at desc, id desc`]) {
  console.log(db.prepare('explain query plan ' + q).all(...ids).map((r: any) => r.detail).join(' | '));
  const t0 = performance.now(); db.prepare(q).all(...ids); console.log((performance.now() - t0).toFixed(1));
}
