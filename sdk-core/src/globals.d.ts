// Timers exist in every runtime sdk-core targets (browsers, Node, WeChat mini-programs) but in no
// TypeScript lib without DOM or Node types; declare just what is used.
declare function setTimeout(callback: () => void, ms: number): unknown;
declare function clearTimeout(handle: unknown): void;
