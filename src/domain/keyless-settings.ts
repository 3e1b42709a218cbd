/** Keyless settings: pure values, read by config/ and used by cloud/ and app/. */

/** Where the CI's OIDC ID token comes from. */
export type IdTokenSource =
  /** The `oidc-token` input (secret). */
  | { readonly kind: 'input'; readonly token: string }
  /** A file holding the JWT (`oidc-token-file`). */
  | { readonly kind: 'file'; readonly path: string }
  /** An environment variable holding the JWT (`oidc-token-env`; GitLab's `id_tokens:`). */
  | { readonly kind: 'env'; readonly variable: string }
  /** GitHub Actions: requested from ACTIONS_ID_TOKEN_REQUEST_URL with ACTIONS_ID_TOKEN_REQUEST_TOKEN (secret). */
  | { readonly kind: 'github'; readonly requestUrl: string; readonly requestToken: string };

/** Which documented exchange turns the ID token into temporary credentials. */
export type KeylessExchange =
  /** Huawei IAM 5.0 STS AssumeAgencyWithOIDC. */
  | { readonly kind: 'huawei-sts'; readonly providerUrn: string; readonly agencyUrn: string }
  /** Huawei IAM federation: id-token/tokens (X-Idp-Id) → OS-CREDENTIAL/securitytokens. */
  | { readonly kind: 'huawei-federation'; readonly identityProvider: string }
  /** Alibaba STS AssumeRoleWithOIDC. */
  | { readonly kind: 'alibaba-sts'; readonly roleArn: string; readonly oidcProviderArn: string };

export interface KeylessSettings {
  readonly tokenSource: IdTokenSource;
  /** The `aud` asked of GitHub and checked on every token. */
  readonly audience: string;
  readonly exchange: KeylessExchange;
  /** agency_session_name / RoleSessionName. */
  readonly sessionName: string;
  readonly durationSeconds: number;
  /** Export the temporary credentials to later steps (masked env vars); off by default. */
  readonly exportCredentials: boolean;
}
