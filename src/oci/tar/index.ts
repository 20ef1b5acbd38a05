/** Public surface of the tar codec. */
export { extractTar, unpackLayer, maybeGunzip, DigestTap } from './extract.js';
export { TarRewriter } from './tar-rewriter.js';
export { safePathFilter, ociToOverlay, overlayToOci, cleanEntryPath } from './entry-filters.js';
