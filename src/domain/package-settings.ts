import type { ImageReference } from './image/reference.js';

/** The `package` run: what is fetched, onto which base, and how the image starts (src/package/). */
export type PackageType = 'jar' | 'war' | 'node' | 'python' | 'php' | 'files';

export type PackageSource =
  | { readonly kind: 'local'; readonly path: string }
  | { readonly kind: 'https'; readonly url: string }
  | {
      readonly kind: 'obs';
      readonly bucket: string;
      readonly key: string;
      /** Where the bucket is reached: `https://{bucket}.obs.{region}.{domain}`, or the `endpoints: obs=…` override. */
      readonly endpoint: string;
      readonly credentials: { readonly accessKey: string; readonly secretKey: string; readonly securityToken: string } | undefined;
    };

export interface PackageSettings {
  readonly source: PackageSource;
  readonly type: PackageType;
  /** The base image as written (or the type's default). */
  readonly baseImageText: string;
  readonly baseImage: ImageReference;
  /** Exec form; undefined = the type's default, else the base's. */
  readonly entrypoint: readonly string[] | undefined;
  readonly cmd: readonly string[] | undefined;
  /** Absolute; '' = the type's default, else the base's. */
  readonly workdir: string;
  readonly env: readonly (readonly [string, string])[];
  /** `port/proto`. */
  readonly expose: readonly string[];
  /** '' = the base's user. */
  readonly user: string;
  /** 64 hex digits, '' = not checked. */
  readonly sha256: string;
  readonly maxBytes: number;
  /** The package's name and version, from its file name (checked against the tag grammar). */
  readonly name: string;
  readonly version: string;
}
