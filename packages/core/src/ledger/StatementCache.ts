/**
 * A cache of prepared statements per database connection. Preparing a statement parses and
 * plans its SQL, so the ledger's stores prepare each statement once and reuse it.
 */
import type Database from "better-sqlite3";

/** Returns a function that prepares SQL once per connection and returns the cached statement. */
export const statementCache = (db: Database.Database) => {
  const statements = new Map<string, Database.Statement>();
  return (sql: string): Database.Statement => {
    const cached = statements.get(sql);
    if (cached !== undefined) return cached;
    const statement = db.prepare(sql);
    statements.set(sql, statement);
    return statement;
  };
};
