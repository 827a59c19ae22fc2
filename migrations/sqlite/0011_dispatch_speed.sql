-- Deliveries by channel and state, kept by triggers in the same transaction as every change of a
-- delivery, so `/metrics` and the queue's summary read a few rows instead of counting the whole
-- deliveries table (which grows with every announcement ever published). Rows whose count
-- falls to zero stay, at zero.
CREATE TABLE delivery_counts (
    channel TEXT NOT NULL,
    state   TEXT NOT NULL,
    count   INTEGER NOT NULL,
    PRIMARY KEY (channel, state)
) WITHOUT ROWID;

INSERT INTO delivery_counts (channel, state, count)
SELECT channel, state, COUNT(*) FROM deliveries GROUP BY channel, state;

CREATE TRIGGER delivery_counts_insert AFTER INSERT ON deliveries
BEGIN
    INSERT INTO delivery_counts (channel, state, count) VALUES (NEW.channel, NEW.state, 1)
    ON CONFLICT (channel, state) DO UPDATE SET count = count + 1;
END;

CREATE TRIGGER delivery_counts_update AFTER UPDATE OF state, channel ON deliveries
WHEN OLD.state IS NOT NEW.state OR OLD.channel IS NOT NEW.channel
BEGIN
    UPDATE delivery_counts SET count = count - 1 WHERE channel = OLD.channel AND state = OLD.state;
    INSERT INTO delivery_counts (channel, state, count) VALUES (NEW.channel, NEW.state, 1)
    ON CONFLICT (channel, state) DO UPDATE SET count = count + 1;
END;

CREATE TRIGGER delivery_counts_delete AFTER DELETE ON deliveries
BEGIN
    UPDATE delivery_counts SET count = count - 1 WHERE channel = OLD.channel AND state = OLD.state;
END;
