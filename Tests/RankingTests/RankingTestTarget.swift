// Tests of the Ranking module; this file keeps the target present in a fresh clone.
