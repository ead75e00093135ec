// Tests of the TopicModel module; this file keeps the target present in a fresh clone.
