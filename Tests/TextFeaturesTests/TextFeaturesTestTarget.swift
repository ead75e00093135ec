// Tests of the TextFeatures module; this file keeps the target present in a fresh clone.
