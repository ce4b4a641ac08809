-- A sweep that fails (e.g. TikTok rejects the shop's token) says why and how often in a row;
-- its schedule moves on regardless, so one broken connection never starves the others.
ALTER TABLE sweeps ADD COLUMN failures   integer NOT NULL DEFAULT 0;
ALTER TABLE sweeps ADD COLUMN last_error text;
