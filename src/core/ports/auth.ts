/**
 * How a host proves who the operator is. With Supabase the adapter signs in
 * with a password and the JWT identifies the user; on a direct or embedded
 * database the host is trusted with the identity it picks (DESIGN.md §3).
 */
export interface Authenticator {
  readonly method: 'password' | 'pick';
  /** Returns the auth user id (= operators.id) or throws a DeskError('unauthorized'). */
  signIn(email: string, password?: string): Promise<string>;
  signOut(): Promise<void>;
}
