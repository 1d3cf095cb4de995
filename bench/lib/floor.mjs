// The minimum work of a pipeline that stages the export and stores its plan in SQLite, for the
// local benchmark to compare with. It parses every file with fast-csv once, stores each row
// as JSON in a staging table, reads the rows back a page at a time and stores one planned row
// per staged row with a SHA-256 of its JSON. The tables have the primary keys and the order
// index of the ledger's `staged` and `planned` tables, and the file uses the ledger's pragmas.
// There is no discovery, no cleaning, no mapping, no join and no rejection: each of those only
// adds time to this figure.
import { createHash } from "node:crypto";
import { createReadStream, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { basename, join } from "node:path";

import Database from "better-sqlite3";
import { parse } from "fast-csv";

const PAGE = 500;

const ddl = `
CREATE TABLE staged (kind TEXT NOT NULL, source_id TEXT NOT NULL, seq INTEGER NOT NULL,
  line INTEGER NOT NULL, fields TEXT NOT NULL, PRIMARY KEY (kind, source_id));
CREATE INDEX staged_order ON staged (kind, seq);
CREATE TABLE planned (kind TEXT NOT NULL, ref_id TEXT NOT NULL, seq INTEGER NOT NULL,
  fields TEXT NOT NULL, hash TEXT NOT NULL, status TEXT NOT NULL DEFAULT 'pending',
  PRIMARY KEY (kind, ref_id));
CREATE INDEX planned_phase ON planned (kind, status, seq);
`;

/** Stages one file: every data row becomes a JSON object keyed by the header's cells. */
const stageFile = (db, path) =>
  new Promise((resolve, reject) => {
    const kind = basename(path);
    const insert = db.prepare(
      "INSERT OR IGNORE INTO staged (kind, source_id, seq, line, fields) VALUES (?, ?, ?, ?, ?)",
    );
    const flush = db.transaction((rows) => {
      for (const row of rows) insert.run(row);
    });
    let header;
    let line = 1;
    let batch = [];
    createReadStream(path)
      .pipe(parse({ headers: false }))
      .on("data", (cells) => {
        if (header === undefined) {
          header = cells;
          return;
        }
        line += 1;
        const fields = {};
        for (let i = 0; i < header.length; i += 1) fields[header[i]] = cells[i] ?? "";
        // The first cell is the id in every generated file. The line number keeps ids unique.
        batch.push([kind, `${cells[0]}#${line}`, line, line, JSON.stringify(fields)]);
        if (batch.length === PAGE) {
          flush(batch);
          batch = [];
        }
      })
      .on("error", reject)
      .on("end", () => {
        flush(batch);
        resolve();
      });
  });

/** Plans every staged row of one kind, a page at a time, in staging order. */
const planKind = (db, kind) => {
  const page = db.prepare(
    "SELECT source_id, seq, fields FROM staged WHERE kind = ? AND seq > ? ORDER BY seq LIMIT ?",
  );
  const insert = db.prepare(
    "INSERT INTO planned (kind, ref_id, seq, fields, hash) VALUES (?, ?, ?, ?, ?)",
  );
  const store = db.transaction((rows) => {
    for (const row of rows) {
      const json = JSON.stringify(JSON.parse(row.fields));
      insert.run(
        kind,
        row.source_id,
        row.seq,
        json,
        createHash("sha256").update(json).digest("hex"),
      );
    }
  });
  let after = 0;
  for (;;) {
    const rows = page.all(kind, after, PAGE);
    if (rows.length === 0) return;
    store(rows);
    after = rows.at(-1).seq;
  }
};

/** Runs the floor pipeline over the CSV files in a temporary SQLite file, and deletes it. */
export const floorPipeline = async (files) => {
  const folder = mkdtempSync(join(tmpdir(), "ferry-floor-"));
  const db = new Database(join(folder, "floor.sqlite"));
  try {
    db.pragma("journal_mode = WAL");
    db.pragma("synchronous = NORMAL");
    db.pragma("cache_size = -32768");
    db.exec(ddl);
    for (const path of files) await stageFile(db, path);
    for (const path of files) planKind(db, basename(path));
    return db.prepare("SELECT COUNT(*) AS n FROM planned").get().n;
  } finally {
    db.close();
    rmSync(folder, { recursive: true, force: true });
  }
};
