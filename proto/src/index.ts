export { createTopics, isValidUid, DEFAULT_TOPIC_PREFIX, type Role, type TopicSet } from './topics.js';
