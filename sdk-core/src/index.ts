export { createTopics, type Role, type TopicSet } from '@kefu/proto';

/** Reported to the server at session creation so support can tell SDK versions apart. */
export const SDK_VERSION = '0.1.0';
