-- The down drops what the up made and leaves a table of its own: one
-- down-not-reverting, and no reapply-fails, since the second up does the
-- same as the first.
CREATE TABLE audit (id bigint PRIMARY KEY);
