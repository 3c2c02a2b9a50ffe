/* sys.h - the machine: a monotonic clock and the number of cores. */
#ifndef GALLEY_SYS_H
#define GALLEY_SYS_H

/* Seconds on a monotonic clock (only differences mean anything). */
double gl_now(void);
/* Online cores: the worker count for threads = 0. */
unsigned gl_cpu_count(void);

#endif
