// CBLAS from OpenBLAS (libopenblas-dev): matrix products for the Learning module.
#include <cblas.h>
