export { IdMintClient, type IdOf } from './client.js';
export type { EndpointHealth, EndpointState } from './endpoint.js';
export {
  type Attempt,
  IdMintClosedError,
  IdMintConfigurationError,
  IdMintError,
  IdMintInvalidArgumentError,
  IdMintNamespaceNotFoundError,
  IdMintPermissionDeniedError,
  IdMintPublicIdUnsupportedError,
  IdMintRequestError,
  IdMintUnauthenticatedError,
  IdMintUnavailableError,
} from './errors.js';
export { DEFAULTS, type IdMintClientOptions, type IdType, MAX_COUNT } from './options.js';
