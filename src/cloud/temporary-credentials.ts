/** A temporary key pair with its security token, as STS or IAM issues it. Every field but expiresAt is a secret. */
export interface TemporaryCredentials {
  accessKeyId: string;
  secretAccessKey: string;
  securityToken: string;
  /** undefined when the answer did not say. */
  expiresAt: Date | undefined;
}
