import { describe, expect, it } from "@effect/vitest";

import { QuoteRepairStream } from "../../src/internal/QuoteRepair.js";

/** Runs text through the transform in chunks of `size` bytes. */
const repair = async (text: string, size: number, delimiter = ",") => {
  const stream = new QuoteRepairStream(delimiter);
  const bytes = Buffer.from(text, "utf8");
  const output: Array<Buffer> = [];
  stream.on("data", (chunk: Buffer) => output.push(chunk));
  const done = new Promise((resolve) => stream.on("end", resolve));
  for (let at = 0; at < bytes.length; at += size) stream.write(bytes.subarray(at, at + size));
  stream.end();
  await done;
  return { text: Buffer.concat(output).toString("utf8"), repairs: stream.repairs };
};

describe("QuoteRepair", () => {
  const cases: ReadonlyArray<[string, string, string, ReadonlyArray<[number, string]>]> = [
    ["well-formed quoting", 'a,"b,c","d""e"\r\n"f\ng",h\n', 'a,"b,c","d""e"\r\n"f\ng",h\n', []],
    ["a quote inside a cell", 'a,19" Screens\n', 'a,19" Screens\n', []],
    [
      "text after the closing quote",
      'a,"19" Screens,b\n',
      'a,"""19"" Screens",b\n',
      [[1, "stray-quote"]],
    ],
    ["spaces after the closing quote", 'a,"b"  ,c\n', 'a,"b"  ,c\n', []],
    [
      "a quote never closed",
      'x\r\na,"open\nb,c\n',
      'x\r\na,"""open"\nb,c\n',
      [[2, "unclosed-quote"]],
    ],
    ["a closing quote at the end", 'a,"b"', 'a,"b"', []],
    ["a repair at the end", 'a,"b"c', 'a,"""b""c"', [[1, "stray-quote"]]],
    [
      "lines counted across CR and CRLF",
      'a\rb\r\nc\n"d"e\n',
      'a\rb\r\nc\n"""d""e"\n',
      [[4, "stray-quote"]],
    ],
    ["accents kept", 'é,"ü"ö\n', 'é,"""ü""ö"\n', [[1, "stray-quote"]]],
  ];

  for (const size of [1, 3, 1 << 16]) {
    it.each(cases)(`rewrites %s in chunks of ${size}`, async (_, input, output, repairs) => {
      const result = await repair(input, size);
      expect(result.text).toBe(output);
      expect(result.repairs.map((r) => [r.line, r.kind])).toEqual(repairs);
    });
  }

  it("uses the file's delimiter", async () => {
    const result = await repair('a;"b"c;d\n', 4, ";");
    expect(result.text).toBe('a;"""b""c";d\n');
  });
});
