import { Schema, type Connection, type Model } from 'mongoose';

/**
 * One rating per (conversation, invite): `_id` = `<conversation id>:<invite id>`, so a customer who rates
 * again replaces their answer instead of counting twice. The chat message carrying the RatingResult is
 * kept as well (the conversation's record); this collection is what statistics read.
 */
export interface RatingDoc {
  _id: string;
  conversation_id: string;
  invite_id: string;
  customer_uid: string;
  /** The agent serving the conversation when it was rated (transfers share it: routing issue). */
  agent_uid?: string | null;
  /** Every agent who served the conversation when it was rated (transfers): they share the rating. */
  served_by?: string[];
  /** five_star | nps | two_level */
  scale: string;
  score: number;
  tags: string[];
  comment?: string;
  /** yes | no | unknown */
  solved: string;
  declined: boolean;
  /** The client_msg_id of the chat message that carried it. */
  client_msg_id: string;
  created_at: Date;
}

const schema = new Schema<RatingDoc>(
  {
    _id: { type: String, required: true },
    conversation_id: { type: String, required: true },
    invite_id: { type: String, required: true },
    customer_uid: { type: String, required: true },
    agent_uid: { type: String, default: null },
    served_by: { type: [String], default: undefined },
    scale: { type: String, required: true },
    score: { type: Number, required: true },
    tags: { type: [String], default: [] },
    comment: String,
    solved: { type: String, required: true },
    declined: { type: Boolean, required: true },
    client_msg_id: { type: String, required: true },
    created_at: { type: Date, required: true },
  },
  { versionKey: false },
);
schema.index({ agent_uid: 1, created_at: -1 }); // an agent's ratings over time
schema.index({ created_at: -1 }); // all ratings over time (stats)

export function ratingModel(conn: Connection): Model<RatingDoc> {
  return conn.models['Rating'] ?? conn.model<RatingDoc>('Rating', schema, 'ratings');
}
