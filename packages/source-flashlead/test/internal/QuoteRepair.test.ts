import { describe, expect, it } from "@effect/vitest";

import { QuoteRepairStream } from "../../src/internal/QuoteRepair.js";

/** Runs text through the transform in chunks of `size` bytes. */
const repair = async (
  text: string,
  size: number,
  delimiter = ",",
  maxCellLength?: number,
  rowWidth?: number,
) => {
  const stream = new QuoteRepairStream(delimiter, maxCellLength, rowWidth);
  const bytes = Buffer.from(text, "utf8");
  const output: Array<Buffer> = [];
  stream.on("data", (chunk: Buffer) => output.push(chunk));
  const done = new Promise((resolve) => stream.on("end", resolve));
  for (let at = 0; at < bytes.length; at += size) stream.write(bytes.subarray(at, at + size));
  stream.end();
  await done;
  return {
    text: Buffer.concat(output).toString("utf8"),
    repairs: stream.repairs,
    oversized: stream.oversized,
  };
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

  describe("stray quote over complete rows", () => {
    type Repair = [line: number, kind: string, closingLine: number | undefined];
    const header = "a,b,c\n";
    const strays: ReadonlyArray<[string, string, string, ReadonlyArray<Repair>]> = [
      [
        "a quote closed three lines later",
        '1,"x,y\n2,q,r\n3,s,t\n4,"u v",w\n',
        '1,"""x",y\n2,q,r\n3,s,t\n4,"u v",w\n',
        [[2, "stray-quote", 5]],
      ],
      [
        "a quote closed on the next line by a quoted cell",
        '1,"x,y\r\n2,"u v",w\r\n',
        '1,"""x",y\r\n2,"u v",w\r\n',
        [[2, "stray-quote", 3]],
      ],
      [
        "a stray quote in the first cell",
        '"1,x,y\n2,q,r\n3,s"t\n',
        '"""1",x,y\n2,q,r\n3,s"t\n',
        [[2, "stray-quote", 4]],
      ],
      [
        "a cell with line breaks in the middle of a row",
        '1,"x\ny, z",w\n2,q,r\n',
        '1,"x\ny, z",w\n2,q,r\n',
        [],
      ],
      [
        "a last cell with line breaks",
        '1,2,"x\nsome, text\ny"\n3,4,5\n',
        '1,2,"x\nsome, text\ny"\n3,4,5\n',
        [],
      ],
      ["a last cell over two lines", '1,2,"x\ny"\n3,4,5\n', '1,2,"x\ny"\n3,4,5\n', []],
      [
        "a last cell with a quote inside",
        '1,2,"x\nsay "hi" now"\n3,4,5\n',
        '1,2,"""x\nsay ""hi"" now"""\n3,4,5\n',
        [[2, "stray-quote", undefined]],
      ],
    ];

    for (const size of [1, 3, 1 << 16]) {
      it.each(strays)(`reads %s in chunks of ${size}`, async (_, input, output, repairs) => {
        const result = await repair(header + input, size, ",", undefined, 3);
        expect(result.text).toBe(header + output);
        const found = result.repairs.map((r) => [r.line, r.kind, r.overRows?.closingLine]);
        expect(found).toEqual(repairs);
      });
    }

    it("keeps the quote without the header's width", async () => {
      const input = `${header}1,"x,y\n2,q,r\n3,"u v",w\n`;
      const result = await repair(input, 4);
      expect(result.text).toBe(`${header}1,"""x,y\n2,q,r\n3,""u v""",w\n`);
      expect(result.repairs).toEqual([{ line: 2, kind: "stray-quote" }]);
    });

    it("reads a quote never closed before the limit as a character", async () => {
      const rows = Array.from({ length: 40 }, (_, n) => `${n},q,r\n`).join("");
      const result = await repair(`${header}1,"x,y\n${rows}`, 7, ",", 50, 3);
      expect(result.text).toBe(`${header}1,"""x",y\n${rows}`);
      expect(result.repairs).toEqual([{ line: 2, kind: "stray-quote", overRows: {} }]);
      expect(result.oversized).toEqual([]);
    });
  });

  describe("maxCellLength", () => {
    type Dropped = [line: number, position: number, length: number, lineBreaks: number];
    const limited: ReadonlyArray<[string, string, string, ReadonlyArray<Dropped>]> = [
      ["a cell at the limit", "a,bbbb,c\n", "a,bbbb,c\n", []],
      ["a plain cell over the limit", "a,bbbbb,c\nd,e\n", "a,,c\nd,e\n", [[1, 1, 5, 0]]],
      ["a quoted cell over the limit", 'a,"bb\nbb",c\nd\n', "a,,c\nd\n", [[1, 1, 7, 1]]],
      ["characters, not bytes", "a,éééé,c\n", "a,éééé,c\n", []],
      ["a first cell after CRLF", "x\r\nbbbbb,y\r\n", "x\r\n,y\r\n", [[2, 0, 5, 0]]],
      [
        "two cells of one row",
        '"b\nbbb","c\r\ncc"\nd\n',
        ",\nd\n",
        [
          [1, 0, 7, 1],
          [2, 1, 7, 1],
        ],
      ],
      ["a stray quote over the limit", 'a,"bb"bbb,c\n', "a,,c\n", [[1, 1, 7, 0]]],
      ["the last cell without a line break", "a\nbbbbb", 'a\n""', [[2, 0, 5, 0]]],
    ];

    for (const size of [1, 3, 1 << 16]) {
      it.each(limited)(`drops %s in chunks of ${size}`, async (_, input, output, dropped) => {
        const result = await repair(input, size, ",", 4);
        expect(result.text).toBe(output);
        expect(result.repairs).toEqual([]);
        const cells = result.oversized.map((c) => [c.line, c.position, c.length, c.lineBreaks]);
        expect(cells).toEqual(dropped);
      });
    }

    it("keeps the first 200 characters of a dropped cell", async () => {
      const cell = `é${"x".repeat(300)}`;
      const result = await repair(`a,${cell},c\n`, 7, ",", 250);
      expect(result.text).toBe("a,,c\n");
      expect(result.oversized[0]?.preview).toBe(cell.slice(0, 200));
      expect(result.oversized[0]?.isUnclosed).toBe(false);
    });

    it("marks a quote never closed that passes the limit", async () => {
      const result = await repair('a,"bbbbb\nc,d\n', 2, ",", 4);
      expect(result.text).toBe("a,");
      expect(result.oversized).toEqual([
        {
          line: 1,
          position: 1,
          length: 11,
          lineBreaks: 2,
          preview: '"bbbb',
          isUnclosed: true,
        },
      ]);
    });

    it("repairs an unclosed quote that stays under the limit", async () => {
      const result = await repair('a,"bb\nc,d\n', 5, ",", 10);
      expect(result.text).toBe('a,"""bb"\nc,d\n');
      expect(result.repairs).toEqual([{ line: 1, kind: "unclosed-quote" }]);
      expect(result.oversized).toEqual([]);
    });
  });
});
