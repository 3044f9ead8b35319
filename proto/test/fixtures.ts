// Realistic messages of every kind, shared by the codec, unknown-field and sandbox tests. Plain objects
// (what callers pass to encodeEnvelope); int64 fields are numbers; floats are exactly representable in
// 32 bits so they survive the round trip unchanged.
export { T0, agent, contents, customer } from './fixtures/contents.js';
export { conversationEvents, envelopes, storedMessage } from './fixtures/envelopes.js';
