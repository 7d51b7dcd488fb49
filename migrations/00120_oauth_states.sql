-- +goose Up

-- OAuth install states already used: the callback records the state's nonce
-- before it exchanges the code, and the primary key makes a state work once,
-- across every serve process. Rows are forgotten once the state has expired.
CREATE TABLE oauth_states (
    nonce      text PRIMARY KEY,
    used_at    timestamptz NOT NULL,
    expires_at timestamptz NOT NULL
);

-- +goose Down
DROP TABLE oauth_states;
