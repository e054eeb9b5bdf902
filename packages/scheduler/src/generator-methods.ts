/**
 * The generator prototype's own `next`, `throw` and `return`, taken once.
 * Everything in the package that resumes, throws into or returns from a
 * generator it did not make (a thread's body, an operation a helper drives)
 * calls these with `.call(generator, value)` instead of `generator.next(value)`.
 *
 * Why: every generator function (every closure of one, too) has its own
 * `prototype` object, so generators made by different closures have
 * different hidden classes, and a `g.next` load sees one class per body.
 * Past a few thousand the load is megamorphic and V8's megamorphic stub cache
 * thrashes: `node --log-ic` on a loop of 10,000 closure generators showed
 * 199,011 misses at that load in 200,000 calls (996 in 20,000 with 1,000
 * closures), each a trip into the runtime. A switch of 10,000 closure threads
 * cost 274 ns instead of about 30. Calling the builtin directly has no
 * property load: one shared body and a fresh closure per thread switch alike
 * (scheduler README, "Figures").
 */

type AnyGenerator = Generator<unknown, unknown, unknown>;

const methods = Object.getPrototypeOf(function* () {}).prototype as AnyGenerator;

/** `%GeneratorPrototype%.next`: call as `generatorNext.call(g, value)`. */
export const generatorNext: AnyGenerator["next"] = methods.next;
/** `%GeneratorPrototype%.throw`: call as `generatorThrow.call(g, error)`. */
export const generatorThrow: AnyGenerator["throw"] = methods.throw;
/** `%GeneratorPrototype%.return`: call as `generatorReturn.call(g, value)`. */
export const generatorReturn: AnyGenerator["return"] = methods.return;
