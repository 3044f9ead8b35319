import { Schema, type Connection, type Model } from 'mongoose';

/**
 * Short-lived SSO state shared by every instance (they are stateless): a pending login (PKCE verifier,
 * nonce, where to return; keyed by the `state` it was sent with), a one-time ticket (keyed by the
 * ticket), and `used` markers that make consuming either one single-use. Keys are SHA-256 hashes, so
 * a database reader cannot replay them. Expired documents are deleted as new ones are written (no TTL
 * indexes: DESIGN.md §4).
 */
export interface SsoClaimDoc {
  /** `<kind>:<sha256 hex>` */
  _id: string;
  kind: 'login' | 'ticket' | 'used';
  expires_at: Date;
  /** ticket: the agent it signs in */
  uid?: string;
  /** login */
  code_verifier?: string;
  nonce?: string;
  return_to?: string;
  redirect_uri?: string;
}

const schema = new Schema<SsoClaimDoc>(
  {
    _id: { type: String, required: true },
    kind: { type: String, required: true, enum: ['login', 'ticket', 'used'] },
    expires_at: { type: Date, required: true },
    uid: String,
    code_verifier: String,
    nonce: String,
    return_to: String,
    redirect_uri: String,
  },
  { versionKey: false },
);
schema.index({ expires_at: 1 }); // clean-up of expired claims

export function ssoClaimModel(conn: Connection): Model<SsoClaimDoc> {
  return conn.models['SsoClaim'] ?? conn.model<SsoClaimDoc>('SsoClaim', schema, 'sso_claims');
}
