// Who is signed in: the account's global role and the few fields every page needs. Shared by the
// auth feature (which signs people in), the session (which keeps them) and the guards.

export type Role = 'admin' | 'organizer' | 'tutor' | 'trainee';

export type CurrentUser = {
  id: number;
  username: string;
  displayName: string;
  role: Role;
  /** Her password was reset by a tutor: she sets her own before anything else. */
  mustChangePassword?: boolean;
};
