import { describe, expect, it } from "vitest";

import {
  htmlMarker,
  markerValue,
  parseMarker,
  readHtmlMarker,
  withHtmlMarker,
} from "../src/Marker.js";

const ref = { kind: "lead", sourceId: "00042" };

describe("Marker", () => {
  describe("markerValue", () => {
    it("joins kind and source id and parses back", () => {
      expect(markerValue(ref)).toBe("lead:00042");
      expect(parseMarker("lead:00042")).toEqual(ref);
      expect(parseMarker("contact:a:b")).toEqual({ kind: "contact", sourceId: "a:b" });
      expect(parseMarker("nocolon")).toBeUndefined();
    });
  });

  describe("readHtmlMarker", () => {
    it("round-trips the comment and strips it from the content", () => {
      const html = withHtmlMarker("<p>Called back</p>", ref);
      expect(html).toBe("<p>Called back</p><!-- ferry-source-id:lead%3A00042 -->");
      expect(readHtmlMarker(html)).toEqual({ html: "<p>Called back</p>", ref });
    });

    it("encodes a source id that could close the comment", () => {
      const odd = { kind: "note", sourceId: "a -->b" };
      expect(htmlMarker(odd)).not.toContain("a -->");
      expect(readHtmlMarker(withHtmlMarker("", odd)).ref).toEqual(odd);
    });

    it("returns the content alone when there is no marker", () => {
      expect(readHtmlMarker("<p>hi</p>")).toEqual({ html: "<p>hi</p>" });
      expect(readHtmlMarker(null)).toEqual({ html: "" });
    });
  });
});
