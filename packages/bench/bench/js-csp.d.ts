// js-csp ships no type declarations: the part of its API the benchmark uses.
declare module "js-csp" {
  export interface Channel {
    readonly __channel: unique symbol;
  }
  export interface Instruction {
    readonly __instruction: unique symbol;
  }
  function chan(): Channel;
  function go(body: () => Generator<Instruction, void, unknown>): Channel;
  function put(ch: Channel, value: unknown): Instruction;
  function take(ch: Channel): Instruction;
  function putAsync(ch: Channel, value: unknown): void;
  const csp: {
    chan: typeof chan;
    go: typeof go;
    put: typeof put;
    take: typeof take;
    putAsync: typeof putAsync;
  };
  export default csp;
}
