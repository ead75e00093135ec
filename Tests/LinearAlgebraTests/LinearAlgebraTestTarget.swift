// Tests of the LinearAlgebra module; this file keeps the target present in a fresh clone.
