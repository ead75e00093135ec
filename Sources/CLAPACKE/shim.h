#ifndef PAPERFEED_CLAPACKE_SHIM_H
#define PAPERFEED_CLAPACKE_SHIM_H
/* Without these two, lapacke.h declares complex types that Swift imports badly. */
#define HAVE_LAPACK_CONFIG_H
#define LAPACK_COMPLEX_STRUCTURE
#include <lapacke.h>
#endif
