import { execFileSync } from "node:child_process";
import { copyFileSync, mkdtempSync, readdirSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Chunk, Effect, Either, Stream } from "effect";
import { it } from "vitest";
import { makeFlashLeadSource } from "../src/index.js";

const corpus = join(import.meta.dirname, "corpus");
const kindOf = (name: string) =>
  name.startsWith("date-") || name === "ref-activity-orphan.csv"
    ? ["activity", "activity_log.csv"]
    : name === "ref-invoice-missing-lead.csv"
      ? ["invoice", "invoices.csv"]
      : ["lead", "leads.csv"];

it("explore", async () => {
  const gen = mkdtempSync(join(tmpdir(), "gen-"));
  execFileSync("node", [join(import.meta.dirname, "../../../scripts/make-corpus.mjs"), gen]);
  const files = [
    ...readdirSync(corpus).map((n) => [corpus, n]),
    ...readdirSync(gen).map((n) => [gen, n]),
  ];
  const out: Record<string, unknown> = {};
  for (const [dir, name] of files) {
    if (name === undefined || dir === undefined) continue;
    const [kind, as] = kindOf(name) as [any, string];
    const folder = mkdtempSync(join(tmpdir(), "c-"));
    copyFileSync(join(dir, name), join(folder, as));
    if (name.startsWith("ref-"))
      copyFileSync(join(corpus, "parents-leads.csv"), join(folder, "leads.csv"));
    const t = Date.now();
    const source = makeFlashLeadSource({ folder });
    const items = await Effect.runPromise(Effect.either(Stream.runCollect(source.read(kind))));
    const inv = await Effect.runPromise(Effect.either(source.discover()));
    const shorten = (v: unknown) =>
      JSON.parse(
        JSON.stringify(v, (_k, x) =>
          typeof x === "string" && x.length > 300 ? x.slice(0, 300) + `...(${x.length})` : x,
        ),
      );
    out[name] = shorten({
      ms: Date.now() - t,
      mem: Math.round(process.memoryUsage().rss / 1e6),
      items: Either.isRight(items)
        ? Chunk.toArray(items.right)
        : { error: String(items.left), e: items.left },
      inv: Either.isRight(inv)
        ? {
            objects: inv.right.objects.map((o) => ({
              ...o,
              columns: o.columns.map((c) => [
                c.name,
                c.header,
                c.recognized,
                c.inferredType,
                c.format,
              ]),
            })),
            findings: inv.right.findings.filter((f) => f.code !== "migration-volume"),
            unclassified: inv.right.unclassified,
          }
        : String(inv.left),
    });
  }
  writeFileSync("/tmp/explore/out.json", JSON.stringify(out, null, 1));
}, 120000);
