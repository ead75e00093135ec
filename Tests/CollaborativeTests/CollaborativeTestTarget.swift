// Tests of the Collaborative module; this file keeps the target present in a fresh clone.
