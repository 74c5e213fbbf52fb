/** The little a migration runner and an rpc need from a Postgres connection; pg and PGlite both fit it. */
export interface SqlExecutor {
  query<R = Record<string, unknown>>(sql: string, params?: unknown[]): Promise<{ rows: R[] }>;
  /** Runs fn inside one transaction on one connection. */
  transaction<T>(fn: (tx: SqlTx) => Promise<T>): Promise<T>;
}
export interface SqlTx {
  query<R = Record<string, unknown>>(sql: string, params?: unknown[]): Promise<{ rows: R[] }>;
  /** Several statements, no parameters (migration files). */
  exec(sql: string): Promise<void>;
}
