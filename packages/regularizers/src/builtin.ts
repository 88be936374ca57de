import { createRegistry, type JsonObject, type RegularizerFactory, type Registry } from '@pikt/core';
import { createCombinators } from './combinators.js';
import { featureMatching } from './feature-matching.js';
import { hintonKl } from './hinton-kl.js';
import { labelFit } from './label-fit.js';
import { quadraticPi } from './quadratic-pi.js';

type AnyFactory = RegularizerFactory<any>; // eslint-disable-line @typescript-eslint/no-explicit-any

const terms: Record<string, AnyFactory> = {
  'quadratic-pi': quadraticPi,
  'label-fit': labelFit,
  'hinton-kl': hintonKl,
  'feature-matching': featureMatching,
};

/** The built-ins in a core registry, like an app's: an unknown child id lists the known ones. */
const builtinRegistry = createRegistry<AnyFactory>('regularizer');
for (const [id, f] of Object.entries(terms)) builtinRegistry.register(id, f);
const combinators = createCombinators(builtinRegistry);
for (const [id, f] of Object.entries(combinators)) builtinRegistry.register(id, f as AnyFactory);

/** The combinators over the built-in terms (children may be any built-in id, combinators included). */
export const { sum, weighted, scheduled } = combinators;

/**
 * Every built-in regularizer factory by id: 'quadratic-pi', 'label-fit', 'hinton-kl',
 * 'feature-matching', and the combinators 'sum', 'weighted', 'scheduled' (which resolve their
 * children among these). Use `registerBuiltinRegularizers` to put them in an app's registry
 * alongside custom terms.
 */
export const builtinRegularizers: Readonly<Record<string, AnyFactory>> = Object.freeze(Object.fromEntries(builtinRegistry.entries()));

/**
 * Register the built-in terms in `registry`, with combinators that resolve their children through
 * that same registry (so a 'sum' can hold custom terms registered before or after). Nothing
 * registers on import: an app calls this once.
 */
export function registerBuiltinRegularizers(registry: Registry<AnyFactory>, options?: { replace?: boolean }): void {
  for (const [id, f] of Object.entries(terms)) registry.register(id, f, options);
  const bound = createCombinators(registry);
  for (const [id, f] of Object.entries(bound)) registry.register(id, f as RegularizerFactory<JsonObject>, options);
}
