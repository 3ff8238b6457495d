/** The playbook or the account to enroll does not exist. */
export class EnrollmentNotFoundError extends Error {
  override readonly name = 'EnrollmentNotFoundError';
  constructor(
    readonly what: 'Playbook' | 'Account',
    readonly id: string,
    options?: { cause?: unknown },
  ) {
    super(`${what} ${id} does not exist`, options);
  }
}
