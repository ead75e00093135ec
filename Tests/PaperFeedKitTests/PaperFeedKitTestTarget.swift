// Tests of the PaperFeedKit pipelines; this file keeps the target present in a fresh clone.
