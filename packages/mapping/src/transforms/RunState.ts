/**
 * State of one transform run, kept only as far as joins and dedupe need it: the organizations
 * already planned, and the person each dedupe key (e-mail, phone) was first planned for.
 */
import type { RecordRef } from "@ferry/core";

/** Mutable bookkeeping of one run; create one per `transform` call. */
export class RunState {
  readonly #organizations = new Set<string>();
  readonly #people = new Map<string, RecordRef>();

  /** Marks an organization key as planned; returns false when it already was. */
  addOrganization(key: string): boolean {
    if (this.#organizations.has(key)) return false;
    this.#organizations.add(key);
    return true;
  }

  /** Returns the person first planned with this dedupe key. */
  personFor(key: string): RecordRef | undefined {
    return this.#people.get(key);
  }

  /** Remembers the person planned with these dedupe keys. */
  addPerson(keys: ReadonlyArray<string>, ref: RecordRef): void {
    for (const key of keys) if (!this.#people.has(key)) this.#people.set(key, ref);
  }
}
