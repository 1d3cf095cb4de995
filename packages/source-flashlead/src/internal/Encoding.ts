/**
 * Encoding detection and decoding of export files.
 *
 * A byte order mark decides UTF-8, UTF-16 LE or UTF-16 BE, and so does a zero byte in every other
 * position of the first bytes (UTF-16 without a mark). Otherwise the file is UTF-8 when
 * every byte of it is valid UTF-8, and Windows-1252 otherwise. The check runs over the file in
 * chunks with `buffer.isUtf8`, so it keeps at most one chunk in memory, and a file whose first
 * bytes are valid UTF-8 but whose later bytes are not is still decoded as Windows-1252 as a whole.
 * Such a file is flagged as mixed when valid multi-byte UTF-8 came before the first invalid byte,
 * because those characters then decode as two or three Windows-1252 characters each.
 */
import { isUtf8 } from "node:buffer";
import { createReadStream } from "node:fs";
import { Transform, type TransformCallback } from "node:stream";

/** An encoding the source reads, named as the WHATWG Encoding Standard names it. */
export type FileEncoding = "utf-8" | "utf-8-bom" | "utf-16le" | "utf-16be" | "windows-1252";

/** The detected encoding of a file. */
export interface EncodingDetection {
  readonly encoding: FileEncoding;
  /** Bytes the byte order mark takes at the start of the file. */
  readonly bomLength: number;
  /** Byte offset of the first byte that is not valid UTF-8, for a Windows-1252 file. */
  readonly firstInvalidByte?: number;
  /** Whether valid multi-byte UTF-8 came before the first invalid byte. */
  readonly isMixed: boolean;
}

const bomOf = (head: Buffer): { encoding: FileEncoding; length: number } | undefined => {
  if (head[0] === 0xef && head[1] === 0xbb && head[2] === 0xbf) {
    return { encoding: "utf-8-bom", length: 3 };
  }
  if (head[0] === 0xff && head[1] === 0xfe) return { encoding: "utf-16le", length: 2 };
  if (head[0] === 0xfe && head[1] === 0xff) return { encoding: "utf-16be", length: 2 };
  return undefined;
};

/**
 * Recognizes UTF-16 without a byte order mark from its first bytes: text of mostly ASCII
 * characters has a zero byte in every other position, after the character in little-endian
 * order and before it in big-endian order.
 */
const utf16WithoutBom = (head: Buffer): FileEncoding | undefined => {
  const pairs = Math.min(512, Math.floor(head.length / 2));
  if (pairs < 2) return undefined;

  let zeroSecond = 0;
  let zeroFirst = 0;
  for (let pair = 0; pair < pairs; pair += 1) {
    if (head[pair * 2] === 0) zeroFirst += 1;
    if (head[pair * 2 + 1] === 0) zeroSecond += 1;
  }
  if (zeroSecond >= pairs * 0.4 && zeroFirst === 0) return "utf-16le";
  if (zeroFirst >= pairs * 0.4 && zeroSecond === 0) return "utf-16be";
  return undefined;
};

/** Length of an incomplete UTF-8 sequence at the end of a chunk, to carry into the next one. */
const incompleteTail = (chunk: Buffer): number => {
  for (let back = 1; back <= Math.min(3, chunk.length); back += 1) {
    const byte = chunk[chunk.length - back] ?? 0;
    if ((byte & 0xc0) === 0x80) continue;
    if (byte < 0x80) return 0;
    let needed = 2;
    if (byte >= 0xe0) needed = 3;
    if (byte >= 0xf0) needed = 4;
    return needed > back ? back : 0;
  }
  return 0;
};

/** Length of the UTF-8 sequence a lead byte starts, or 0 for a byte that cannot start one. */
const sequenceLength = (byte: number): number => {
  if (byte < 0x80) return 1;
  if (byte >= 0xc2 && byte <= 0xdf) return 2;
  if (byte >= 0xe0 && byte <= 0xef) return 3;
  if (byte >= 0xf0 && byte <= 0xf4) return 4;
  return 0;
};

/**
 * Offset of the first invalid byte in a chunk known to be invalid. Bisection finds a valid
 * prefix, then the sequences after it are checked one by one.
 */
const firstInvalidIn = (chunk: Buffer): number => {
  let good = 0;
  let end = chunk.length;
  while (end - good > 64) {
    const middle = Math.floor((good + end) / 2);
    const cut = middle - incompleteTail(chunk.subarray(0, middle));
    if (isUtf8(chunk.subarray(0, cut))) good = cut;
    else end = middle;
  }

  let at = good;
  while (at < chunk.length) {
    const length = sequenceLength(chunk[at] ?? 0);
    if (length === 0 || !isUtf8(chunk.subarray(at, at + length))) return at;
    at += length;
  }
  return at;
};

/**
 * Detects the encoding of a file by reading it once in chunks.
 *
 * @returns the detection; reading errors reject the promise.
 */
export const detectEncoding = async (path: string): Promise<EncodingDetection> => {
  let offset = 0;
  let carry = Buffer.alloc(0);
  let sawMultiByte = false;
  let bom: { encoding: FileEncoding; length: number } | undefined;

  for await (const raw of createReadStream(path, { highWaterMark: 1 << 20 })) {
    let chunk = Buffer.concat([carry, raw as Buffer]);
    let start = offset - carry.length;
    if (offset === 0) {
      bom = bomOf(chunk);
      if (bom !== undefined && bom.encoding !== "utf-8-bom") {
        return { encoding: bom.encoding, bomLength: bom.length, isMixed: false };
      }
      const utf16 = bom === undefined ? utf16WithoutBom(chunk) : undefined;
      if (utf16 !== undefined) return { encoding: utf16, bomLength: 0, isMixed: false };
      if (bom !== undefined) {
        chunk = chunk.subarray(bom.length);
        start = bom.length;
      }
    }

    const tail = incompleteTail(chunk);
    const body = chunk.subarray(0, chunk.length - tail);
    if (!isUtf8(body)) {
      const at = firstInvalidIn(body);
      const before = body.subarray(0, at);
      const isMixed = sawMultiByte || before.some((byte) => byte >= 0x80);
      const bomLength = bom?.length ?? 0;
      return { encoding: "windows-1252", bomLength, firstInvalidByte: start + at, isMixed };
    }

    sawMultiByte ||= body.some((byte) => byte >= 0x80);
    offset += (raw as Buffer).length;
    carry = Buffer.from(chunk.subarray(chunk.length - tail));
  }

  if (carry.length > 0) {
    return {
      encoding: "windows-1252",
      bomLength: 0,
      firstInvalidByte: offset - carry.length,
      isMixed: sawMultiByte,
    };
  }
  return { encoding: bom?.encoding ?? "utf-8", bomLength: bom?.length ?? 0, isMixed: false };
};

/**
 * Makes a transform that turns the bytes of a file in `encoding` into UTF-8 bytes without a byte
 * order mark, which is what the CSV parser reads. UTF-8 files pass through unchanged after the
 * mark is dropped.
 */
export const toUtf8 = (detection: EncodingDetection): Transform => {
  let skip = detection.bomLength;
  const label = detection.encoding === "utf-8-bom" ? "utf-8" : detection.encoding;
  const decoder = label === "utf-8" ? undefined : new TextDecoder(label);

  return new Transform({
    transform(chunk: Buffer, _encoding, callback: TransformCallback) {
      let bytes = chunk;
      if (skip > 0) {
        const dropped = Math.min(skip, bytes.length);
        bytes = bytes.subarray(dropped);
        skip -= dropped;
      }
      if (decoder === undefined) callback(null, bytes);
      else callback(null, Buffer.from(decoder.decode(bytes, { stream: true }), "utf8"));
    },
    flush(callback: TransformCallback) {
      const rest = decoder?.decode() ?? "";
      callback(null, rest === "" ? undefined : Buffer.from(rest, "utf8"));
    },
  });
};
