-- What a chat turn reads from D1 before its model call, in one small query (issue 16,
-- worker/bots/bot-gate.ts): the bot's config version and today's spending.

-- A new random value on every write of a bot (create, update): a worker that caches the bot's
-- config in its isolate compares it with one read and reloads the config only when it changed.
-- Existing bots get '' until their next edit.
ALTER TABLE bots ADD COLUMN version TEXT NOT NULL DEFAULT '';

-- The running total of turns.cost_usd per bot and UTC day (day = created_at / 86400000), kept by the
-- triggers below, so the spending cap reads one row instead of summing the day's turns.
CREATE TABLE bot_daily_spend (
  bot_id TEXT NOT NULL,
  day INTEGER NOT NULL,
  cost_usd REAL NOT NULL DEFAULT 0,
  PRIMARY KEY (bot_id, day)
);
INSERT INTO bot_daily_spend (bot_id, day, cost_usd)
  SELECT bot_id, created_at / 86400000, SUM(cost_usd) FROM turns GROUP BY bot_id, created_at / 86400000;

-- Every row written to, changed in or removed from `turns` moves the total (an INSERT OR IGNORE that
-- ignores a repeated turn fires nothing, so a turn counts once).
CREATE TRIGGER turns_spend_insert AFTER INSERT ON turns BEGIN
  INSERT OR IGNORE INTO bot_daily_spend (bot_id, day, cost_usd) VALUES (NEW.bot_id, NEW.created_at / 86400000, 0);
  UPDATE bot_daily_spend SET cost_usd = cost_usd + NEW.cost_usd WHERE bot_id = NEW.bot_id AND day = NEW.created_at / 86400000;
END;
CREATE TRIGGER turns_spend_delete AFTER DELETE ON turns BEGIN
  UPDATE bot_daily_spend SET cost_usd = cost_usd - OLD.cost_usd WHERE bot_id = OLD.bot_id AND day = OLD.created_at / 86400000;
END;
CREATE TRIGGER turns_spend_update AFTER UPDATE OF bot_id, cost_usd, created_at ON turns BEGIN
  UPDATE bot_daily_spend SET cost_usd = cost_usd - OLD.cost_usd WHERE bot_id = OLD.bot_id AND day = OLD.created_at / 86400000;
  INSERT OR IGNORE INTO bot_daily_spend (bot_id, day, cost_usd) VALUES (NEW.bot_id, NEW.created_at / 86400000, 0);
  UPDATE bot_daily_spend SET cost_usd = cost_usd + NEW.cost_usd WHERE bot_id = NEW.bot_id AND day = NEW.created_at / 86400000;
END;
