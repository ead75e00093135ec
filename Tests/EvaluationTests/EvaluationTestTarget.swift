// Tests of the Evaluation module; this file keeps the target present in a fresh clone.
