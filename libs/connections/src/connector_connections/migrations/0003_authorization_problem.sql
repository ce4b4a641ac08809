-- Why a platform authorization stopped working (a refresh refused), in the merchant's words.
ALTER TABLE connections ADD COLUMN IF NOT EXISTS authorization_problem text;
