#!/usr/bin/env node
/**
 * Writes the generated files of the bad-input corpus into a folder: the files too large to keep
 * in the repository (cells of 5 MB and 50 MB, plain and quoted, and a row of a million cells)
 * and a PNG image saved under a .csv name. The small corpus files live in
 * packages/source-flashlead/test/corpus.
 *
 * Usage: node scripts/make-corpus.mjs <folder> [name ...]
 * Without names, every generated file is written. The corpus test runs this script.
 */
import { closeSync, mkdirSync, openSync, writeSync } from "node:fs";
import { join } from "node:path";
import { deflateSync } from "node:zlib";

const header = "id,first_name,last_name,email,notes\n";

/** Writes `size` bytes of `x` in 1 MiB blocks, so the script never holds the whole cell. */
const writeRepeated = (fd, size) => {
  const block = Buffer.alloc(1 << 20, "x");
  for (let left = size; left > 0; left -= block.length) {
    writeSync(fd, left >= block.length ? block : block.subarray(0, left));
  }
};

/**
 * A lead file whose second row has a notes cell of `size` bytes, between two normal rows. A
 * quoted cell also holds a line break, as a long note pasted from an e-mail would.
 */
const hugeCell = (size, isQuoted) => (path) => {
  const fd = openSync(path, "w");
  try {
    writeSync(fd, header);
    writeSync(fd, "L-1,Ana,Lima,ana@example.test,short note\n");
    writeSync(fd, `L-2,Caio,Reis,caio@example.test,${isQuoted ? '"first line\n' : ""}`);
    writeRepeated(fd, size);
    writeSync(fd, `${isQuoted ? '"' : ""}\nL-3,Dora,Melo,dora@example.test,short note\n`);
  } finally {
    closeSync(fd);
  }
};

/** A lead file whose second row has a million cells, between two normal rows. */
const millionColumns = (path) => {
  const fd = openSync(path, "w");
  try {
    writeSync(fd, header);
    writeSync(fd, "L-1,Ana,Lima,ana@example.test,short note\n");
    writeSync(fd, `L-2${",c".repeat(999_999)}\n`);
    writeSync(fd, "L-3,Dora,Melo,dora@example.test,short note\n");
  } finally {
    closeSync(fd);
  }
};

const crcTable = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k += 1) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});

const crc32 = (bytes) => {
  let c = 0xffffffff;
  for (const byte of bytes) c = (crcTable[(c ^ byte) & 0xff] ?? 0) ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
};

const chunk = (type, data) => {
  const length = Buffer.alloc(4);
  length.writeUInt32BE(data.length);
  const body = Buffer.concat([Buffer.from(type, "latin1"), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(body));
  return Buffer.concat([length, body, crc]);
};

/** A valid 16 × 16 grey PNG image, written under a .csv name. */
const png = (path) => {
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(16, 0);
  ihdr.writeUInt32BE(16, 4);
  ihdr.set([8, 0, 0, 0, 0], 8);
  const rows = Buffer.alloc(16 * 17);
  for (let y = 0; y < 16; y += 1) rows.fill(y * 16, y * 17 + 1, y * 17 + 17);
  const bytes = Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk("IHDR", ihdr),
    chunk("IDAT", deflateSync(rows)),
    chunk("IEND", Buffer.alloc(0)),
  ]);
  const fd = openSync(path, "w");
  try {
    writeSync(fd, bytes);
  } finally {
    closeSync(fd);
  }
};

/** Generated corpus files by name. */
const generators = {
  "huge-cell-5mb.csv": hugeCell(5 * 1024 * 1024, false),
  "huge-cell-50mb.csv": hugeCell(50 * 1024 * 1024, false),
  "huge-quoted-cell-5mb.csv": hugeCell(5 * 1024 * 1024, true),
  "huge-quoted-cell-50mb.csv": hugeCell(50 * 1024 * 1024, true),
  "million-columns.csv": millionColumns,
  "binary-png.csv": png,
};

const [folder, ...names] = process.argv.slice(2);
if (folder === undefined) {
  console.error("usage: node scripts/make-corpus.mjs <folder> [name ...]");
  process.exit(2);
}

mkdirSync(folder, { recursive: true });
for (const name of names.length > 0 ? names : Object.keys(generators)) {
  const generate = generators[name];
  if (generate === undefined) {
    console.error(`unknown corpus file ${name}; known: ${Object.keys(generators).join(", ")}`);
    process.exit(2);
  }
  generate(join(folder, name));
}
