import { Directive } from 'type-graphql';

/**
 * Cache lifetime hints (gợi ý thời gian lưu đệm) a subgraph puts on its types and fields, as
 * `@tag(name: "cache-max-age:N")`: composition keeps `@tag`s in the supergraph (an Apollo
 * `@cacheControl` would need a composed directive of its own), and the gateway's response cache
 * reads them from there. An answer lives no longer than the smallest hint of what it reads (a
 * field's own, else the hint of the type it returns), and never longer than the gateway's
 * RESPONSE_CACHE_TTL_SECONDS. Writes invalidate cached answers anyway: the hint bounds how long a
 * change nobody reported (a row edited straight in the database) can stay unseen.
 */
export const MAX_AGE_TAG_PREFIX = 'cache-max-age:';

/** Reference data: communes, provinces, the substance and indicator catalogues. */
export const REFERENCE_MAX_AGE = 86_400;
/** Figures of a place in a period (and indicators computed from them). */
export const FIGURES_MAX_AGE = 300;

/** `@CacheMaxAge(300)` on an @ObjectType class or a field. */
export const CacheMaxAge = (seconds: number) => Directive(`@tag(name: "${MAX_AGE_TAG_PREFIX}${seconds}")`);
