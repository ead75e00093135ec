#ifndef PAPERFEED_CBLAS_SHIM_H
#define PAPERFEED_CBLAS_SHIM_H
/* Debian's OpenBLAS cblas.h also declares openblas_set_num_threads & co. */
#include <cblas.h>
#endif
