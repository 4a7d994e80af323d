-- Accounts (issue 11): who may write, where. Reading stays public; every write needs one of these.
CREATE TABLE app_user (
  id            uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  -- stored lower-case so sign-in is case-insensitive and one address is one account
  email         text NOT NULL UNIQUE CHECK (email = lower(email) AND length(email) BETWEEN 3 AND 254),
  -- argon2id PHC string ($argon2id$v=19$m=…,t=…,p=…$salt$hash); never the password
  password_hash text NOT NULL,
  role          text NOT NULL CHECK (role IN ('admin', 'editor')),
  disabled      boolean NOT NULL DEFAULT false,
  created_at    timestamptz NOT NULL DEFAULT now(),
  updated_at    timestamptz NOT NULL DEFAULT now()
);

-- An editor's grants: a county, or a city (which covers its counties through region.parent_code).
CREATE TABLE user_region (
  user_id     uuid NOT NULL REFERENCES app_user (id) ON DELETE CASCADE,
  region_code text NOT NULL REFERENCES region (code),
  PRIMARY KEY (user_id, region_code)
);

-- Browser sessions. Only the sha-256 of the 128-bit cookie value is stored, so a copy of this
-- table does not let anyone sign in.
CREATE TABLE user_session (
  id_hash      text PRIMARY KEY,
  user_id      uuid NOT NULL REFERENCES app_user (id) ON DELETE CASCADE,
  created_at   timestamptz NOT NULL DEFAULT now(),
  last_seen_at timestamptz NOT NULL DEFAULT now(),
  -- absolute expiry, fixed at sign-in; the idle expiry is last_seen_at + the configured idle time
  expires_at   timestamptz NOT NULL
);
CREATE INDEX user_session_user_idx ON user_session (user_id);

-- API tokens for scripts: named, shown once, stored as sha-256, revocable, scoped like their owner.
CREATE TABLE api_token (
  id           uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  user_id      uuid NOT NULL REFERENCES app_user (id) ON DELETE CASCADE,
  name         text NOT NULL CHECK (length(name) BETWEEN 1 AND 100),
  token_hash   text NOT NULL UNIQUE,
  created_at   timestamptz NOT NULL DEFAULT now(),
  last_used_at timestamptz,
  revoked_at   timestamptz
);
CREATE INDEX api_token_user_idx ON api_token (user_id, created_at DESC);

-- Rate limits shared by every API process and kept across restarts: one fixed window per
-- (bucket, key); key is a salted hash (client address) or an account's email.
CREATE TABLE rate_limit (
  bucket       text NOT NULL,
  key          text NOT NULL,
  window_start timestamptz NOT NULL,
  hits         integer NOT NULL,
  PRIMARY KEY (bucket, key)
);
