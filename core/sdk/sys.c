/* sys.c - what the core asks of the machine: a clock and the number of
 * cores. */
#include "config.h"

#include <signal.h>
#include <time.h>
#include <unistd.h>
#include "sdk/sys.h"

double gl_now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* Never 0: when sysconf cannot tell, one core. */
unsigned gl_cpu_count(void)
{
    long n = sysconf(_SC_NPROCESSORS_ONLN);
    return n > 0 ? (unsigned)n : 1;
}

static volatile sig_atomic_t stop_signal;

void gl_stop_request(int signo)
{
    if (!stop_signal)
        stop_signal = signo;
}

int gl_stop_requested(void)
{
    return stop_signal;
}

void gl_stop_clear(void)
{
    stop_signal = 0;
}
