// Files imported with `with { type: 'file' }` resolve to a path that `bun build --compile` embeds.
declare module '*.wasm' {
  const path: string;
  export default path;
}
