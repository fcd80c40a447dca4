// In-memory storage adapter for the development OpenID provider.
//
// Implements oidc-provider's documented adapter interface (upsert, find,
// findByUid, findByUserCode, consume, destroy, revokeByGrantId). Unlike the
// package's built-in memory adapter, whose store belongs to one Provider
// instance, this store is module-level: it survives the Provider re-creation
// done on key rotation (sessions, grants, codes and tokens are kept).
// Everything is lost when the process stops — development/test use only.

const CLOCK_TOLERANCE_SECONDS = 15;
const SWEEP_EVERY_MS = 60 * 1000;

const entries = new Map(); // "Model:id" -> { payload, expiresAt (ms) | undefined }
const grantMembers = new Map(); // grantId -> Set<"Model:id">
const sessionUids = new Map(); // session uid -> session id
const userCodes = new Map(); // user code -> id (device flow; unused but part of the interface)

function live(key) {
  const entry = entries.get(key);
  if (!entry) return undefined;
  if (entry.expiresAt !== undefined && entry.expiresAt <= Date.now()) {
    entries.delete(key);
    return undefined;
  }
  return entry.payload;
}

function sweep() {
  for (const key of entries.keys()) live(key);
  for (const [grantId, members] of grantMembers) {
    for (const key of members) if (!entries.has(key)) members.delete(key);
    if (!members.size) grantMembers.delete(grantId);
  }
  for (const [uid, id] of sessionUids) if (!entries.has(`Session:${id}`)) sessionUids.delete(uid);
  for (const [code, key] of userCodes) if (!entries.has(key)) userCodes.delete(code);
}

setInterval(sweep, SWEEP_EVERY_MS).unref();

export default class SharedMemoryAdapter {
  constructor(model) {
    this.model = model;
  }

  key(id) {
    return `${this.model}:${id}`;
  }

  async upsert(id, payload, expiresIn) {
    const key = this.key(id);
    const expiresAt = typeof expiresIn === 'number'
      ? Date.now() + (expiresIn + CLOCK_TOLERANCE_SECONDS) * 1000
      : undefined;
    if (this.model === 'Session' && payload.uid) sessionUids.set(payload.uid, id);
    if (payload.grantId) {
      const members = grantMembers.get(payload.grantId) ?? new Set();
      members.add(key);
      grantMembers.set(payload.grantId, members);
    }
    if (payload.userCode) userCodes.set(payload.userCode, key);
    entries.set(key, { payload, expiresAt });
  }

  async find(id) {
    return live(this.key(id));
  }

  async findByUid(uid) {
    const id = sessionUids.get(uid);
    return id === undefined ? undefined : this.find(id);
  }

  async findByUserCode(userCode) {
    const key = userCodes.get(userCode);
    return key === undefined ? undefined : live(key);
  }

  async consume(id) {
    const payload = live(this.key(id));
    if (payload) payload.consumed = Math.floor(Date.now() / 1000);
  }

  async destroy(id) {
    entries.delete(this.key(id));
  }

  async revokeByGrantId(grantId) {
    for (const key of grantMembers.get(grantId) ?? []) entries.delete(key);
    grantMembers.delete(grantId);
  }
}
