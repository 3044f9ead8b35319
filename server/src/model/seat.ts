import { Schema, type Connection, type Model } from 'mongoose';

/**
 * A reception seat held (service/routing/seats.ts): `_id` = `<agent uid>:<k>`, inserted to claim seat k
 * of the agent (the `_id` insert is the one write atomic on MongoDB and FerretDB), deleted to give it
 * back. The collection holds one document per chat open with an agent and nothing else, so the open
 * chats per agent are counted from it without reading the conversations (every conversation ever, on
 * FerretDB, which filters in its own process).
 */
export interface SeatDoc {
  _id: string;
  agent_uid: string;
  conversation_id: string;
  created_at: Date;
}

const schema = new Schema<SeatDoc>(
  {
    _id: { type: String, required: true },
    agent_uid: { type: String, required: true },
    conversation_id: { type: String, required: true },
    created_at: { type: Date, required: true },
  },
  { versionKey: false },
);
schema.index({ agent_uid: 1 }); // open chats per agent

export function seatModel(conn: Connection): Model<SeatDoc> {
  return conn.models['Seat'] ?? conn.model<SeatDoc>('Seat', schema, 'seats');
}
