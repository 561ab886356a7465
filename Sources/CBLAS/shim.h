// OpenBLAS's C interface to the BLAS; Debian installs it with libopenblas-dev.
#include <cblas.h>
