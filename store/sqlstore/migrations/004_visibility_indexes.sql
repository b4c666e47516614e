-- Lists and counts filter on restricted for everyone but administrators
-- (Viewer): carrying the column in the list indexes keeps those counts
-- on the index. Without it, counting the overdue directives at 100k
-- looked up every open row in the table (96 ms instead of 7 ms).
DROP INDEX directives_open;
CREATE INDEX directives_open ON directives(deadline, id, restricted) WHERE completed_on IS NULL;
DROP INDEX directives_recent;
CREATE INDEX directives_recent ON directives(issued_on, id, restricted);
