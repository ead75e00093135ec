#ifndef PAPERFEED_CZLIB_SHIM_H
#define PAPERFEED_CZLIB_SHIM_H
#include <zlib.h>
#endif
