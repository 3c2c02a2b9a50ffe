/* sys.c - what the core asks of the machine: a clock and the number of
 * cores. */
#include "config.h"

#include <time.h>
#include <unistd.h>
#include "sdk/sys.h"

double gl_now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

unsigned gl_cpu_count(void)
{
    long n = sysconf(_SC_NPROCESSORS_ONLN);
    return n > 0 ? (unsigned)n : 1;
}
